"""Page structures real news sites build, written for these tests: the body
keeps its lede, captions and standfirst are their own fields, the date comes
from the most trusted source, and paywalled or teaser pages are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.extract import Extracted, Rejection
from tests.extraction.regression import Case, load_cases, norm, score

CASES = load_cases()
ACCEPTED = [c for c in CASES if "rejected" not in c.expected]
REFUSED = [c for c in CASES if "rejected" in c.expected]


def _extracted(case: Case) -> Extracted:
    result = case.extract()
    assert isinstance(result, Extracted), f"{case.name}: {result}"
    return result


def test_the_corpus_has_the_structures_it_promises() -> None:
    names = {c.name for c in CASES}
    assert {"wordpress_yoast", "khmer_times_like", "gbk_portal", "amp", "time_vs_jsonld",
            "liveblog", "paywall", "teaser"} <= names


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.name)
def test_every_body_paragraph_is_kept_the_lede_first(case: Case) -> None:
    art = _extracted(case)
    text = norm(art.text)
    missing = [p for p in case.expected["body"] if norm(p) not in text]
    assert not missing, missing
    # In the page's order, nothing of the story before the lede.
    where = [text.index(norm(p)) for p in case.expected["body"]]
    assert where == sorted(where)
    assert norm(art.paragraphs[0]) in (norm(p) for p in
                                       [case.expected["body"][0], *case.expected.get("body_fragments", [])])


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.name)
def test_captions_and_standfirst_are_their_own_fields(case: Case) -> None:
    art = _extracted(case)
    assert list(art.captions) == case.expected["captions"]
    assert art.standfirst == case.expected["standfirst"]
    for part in [*art.captions, art.standfirst or ""]:
        if part:
            assert norm(part) not in norm(art.text), f"{part!r} left in the body"


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.name)
def test_the_date_and_its_source_and_the_language(case: Case) -> None:
    art = _extracted(case)
    assert art.published == dt.datetime.fromisoformat(case.expected["published"])
    assert art.published_from == case.expected["published_from"]
    assert art.language == case.expected["language"]
    assert art.title == case.expected["title"]


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_paywalled_and_teaser_pages_are_refused_with_a_reason(case: Case) -> None:
    result = case.extract()
    assert isinstance(result, Rejection) and case.expected["rejected"] in result.reason


def test_paragraph_recall_and_boilerplate_leak_meet_their_targets() -> None:
    scores = score(CASES)
    assert scores.lines > 80  # the pages carry real boilerplate to leak
    assert scores.recall >= 0.99, f"recall {scores.found}/{scores.paragraphs}"
    assert scores.leak <= 0.02, scores.leaked
