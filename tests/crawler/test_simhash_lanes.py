"""The lane-summing simhash gives the values the bit-by-bit one gave (stored
fingerprints stay comparable), including past the 65,535-shingle lane limit."""

from __future__ import annotations

import pytest

from crawler.fingerprint import simhash

# Values computed with the earlier bit-by-bit implementation.
CASES = [
    (" ".join(f"word{i % 97} figure {i * 7 % 13} rescued" for i in range(400)),
     "41b2e9e3d3fa1901"),
    ("柬埔寨警方在西港解救了数百名被困人员。" * 30, "e8d10d74653c88f2"),
    ("w " * 70000 + "x y z", "72de1d51c9b517ec"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_simhash_keeps_the_values_of_the_bit_by_bit_version(text: str, expected: str) -> None:
    assert simhash(text) == expected
