"""The column-counting simhash gives the values the bit-by-bit one gave (stored
fingerprints stay comparable), also for very long texts; `identify` (run in
the extraction workers) agrees with the functions the store uses."""

from __future__ import annotations

import pytest

from crawler.fingerprint import content_hash, identify, shingle_ids, simhash

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


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_identify_agrees_with_the_separate_functions(text: str, expected: str) -> None:
    ident = identify(text)
    assert ident.simhash == expected
    assert ident.content_hash == content_hash(text)
    assert ident.shingles == shingle_ids(text)
    assert ident.shingles


def test_identify_of_a_short_text_has_no_simhash_but_its_shingles() -> None:
    ident = identify("only a few words here")
    assert ident.simhash is None and ident.shingles == shingle_ids("only a few words here")
