"""The column-counting simhash gives the values the bit-by-bit one gave (stored
fingerprints stay comparable), also for very long texts; `identify` (run in
the extraction workers) agrees with the functions the store uses."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crawler.fingerprint import (
    SimhashWindow,
    content_hash,
    identify,
    may_be_same_text,
    same_shingles,
    shingle_ids,
    simhash,
    sketch,
)

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


# Small ids collide in the sketch's 16,384 bits often; large ones rarely.
IDS = st.one_of(st.integers(0, 2**16), st.integers(0, 2**64 - 1))


@settings(max_examples=300, deadline=None)
@given(st.sets(IDS, min_size=1, max_size=400), st.sets(IDS, max_size=400),
       st.integers(0, 400))
@example(base={0, 15843, 32227}, extra=set(), keep=3)  # two ids on one bit
def test_the_sketch_never_rules_out_a_copy(base: set[int], extra: set[int], keep: int) -> None:
    """may_be_same_text is a filter: False only where the exact check is False."""
    a = frozenset(base)
    b = frozenset(list(base)[:keep]) | frozenset(extra)
    if same_shingles(a, b, len(b)):
        assert may_be_same_text(sketch(a), sketch(b))


def test_the_sketch_rules_out_texts_on_one_topic() -> None:
    words = [f"w{i}" for i in range(3000)]
    one = " ".join(words[:1500])
    other = " ".join(words[1000:2500])  # a third in common
    copy = one.replace("w700 ", "w700x ")
    assert not may_be_same_text(identify(one).sketch, identify(other).sketch)
    assert may_be_same_text(identify(one).sketch, identify(copy).sketch)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=150), st.integers(0, 2**64 - 1),
       st.integers(0, 64), st.integers(0, 40))
def test_the_simhash_window_finds_what_a_loop_finds(fps: list[int], mine: int, bits: int,
                                                    dropped: int) -> None:
    window = SimhashWindow()
    # Some near ones for sure: the probe with a few bits flipped.
    fps = fps + [mine ^ 0b101, mine ^ (1 << 63), mine]
    for i, fp in enumerate(fps):
        window.add(i + 100, fp)
    window.drop_oldest(dropped)
    kept = list(enumerate(fps))[dropped:]
    assert window.near(mine, bits) == [i + 100 for i, fp in kept if (mine ^ fp).bit_count() <= bits]
