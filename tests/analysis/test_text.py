"""Paragraphs and sentences: the splitting every analysis step starts from."""

from __future__ import annotations

import re

import pytest

from alerts.analysis.text import paragraphs, split_sentences


@pytest.mark.parametrize("text", [
    "", "\n", "\n\n\n", "one", "one\ntwo", "one\n\n\ntwo\n", "\n  one  \n\n \n two",
    "## Heading\n\nBody.", "one\r\ntwo\r\n\r\nthree", "#\n# \nx", "a\u00a0b\n\nc",
])
def test_paragraphs_are_the_non_blank_runs_between_newlines(text: str) -> None:
    runs = [p.strip().lstrip("#").strip() for p in re.split(r"\n+", text) if p.strip()]
    assert paragraphs(text) == runs


@pytest.mark.parametrize(("text", "expected"), [
    ("Police raided it. Then they left.", ["Police raided it.", "Then they left."]),
    ("Mr. Sok said so. U.S. officials agreed.", ["Mr. Sok said so.", "U.S. officials agreed."]),
    ("He said no! Then 5 left?", ["He said no!", "Then 5 left?"]),
    ("柬埔寨警方突查园区。解救了数十人！", ["柬埔寨警方突查园区。", "解救了数十人！"]),
    ("Was it? (Yes) it was.", ["Was it?", "(Yes) it was."]),
    ("The end.  \n\nNext one.", ["The end.", "Next one."]),
    ("A. B. Smith came.", ["A. B. Smith came."]),
    # A figure ends a sentence; a list number opening an item does not.
    ("It stood in Commune 4. Police left.", ["It stood in Commune 4.", "Police left."]),
    ("1. Kampot, May 3 — a villa.", ["1. Kampot, May 3 — a villa."]),
])
def test_sentences_end_at_end_marks_but_not_after_abbreviations(text: str,
                                                                 expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected
