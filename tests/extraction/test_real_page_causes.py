"""Causes of lost text found page by page on public benchmarks of real pages
(bench/extraction_real.py), each rebuilt here as a small page of made-up
sentences: the cause is a page shape, never a site."""

from __future__ import annotations

import unicodedata

import pytest

from crawler.extract import Extracted, Rejection, extract_article
from crawler.page.boxes import names_a_box

LEDE = ("Police in Kandal province detained twelve people on Monday at a warehouse where "
        "victims of a job scam had been held for weeks, the provincial police said.")
MORE = ("Officers said the people held there had answered advertisements for jobs in "
        "hotels and were made to cheat strangers online instead.")
LAST = ("The owner of the warehouse told reporters he had rented it to a logistics firm "
        "and had not visited the site since the spring.")
COMMENT = "What a shame that nobody in the village noticed anything for so long."


def _page(body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><title>Kandal raid</title>{head}</head>'
            f"<body>{body}</body></html>")


def _story(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _extract(page: str) -> Extracted:
    result = extract_article(page, "https://x.example/kandal-raid")
    assert isinstance(result, Extracted), result
    return result


def test_a_control_character_in_a_paragraph_does_not_lose_the_page() -> None:
    # trafilatura gives up on a whole document when a text holds a C0 control.
    art = _extract(_page(f"<article>{_story(LEDE[:40] + chr(1) + LEDE[40:], MORE, LAST)}</article>"))
    assert art.paragraphs == (LEDE, MORE, LAST)


def test_text_is_in_composed_form_whatever_the_page_spells() -> None:
    decomposed = unicodedata.normalize("NFD", "Đà Nẵng police said the compound held 300 people.")
    art = _extract(_page(f"<article>{_story(LEDE, decomposed, MORE)}</article>"))
    assert art.paragraphs[1] == unicodedata.normalize("NFC", decomposed)
    assert unicodedata.is_normalized("NFC", art.text)


@pytest.mark.parametrize("container", [
    '<div class="story commentary opinion">',   # an opinion piece, not a comments box
    '<section class="row no-paywall">',         # a layout flag: nothing is locked here
    '<div class="layout has-left-sidebar">',    # says what is beside the story
])
def test_a_container_named_for_its_genre_or_layout_keeps_its_story(container: str) -> None:
    tag = container[1:container.index(" ")]
    story = (LEDE, MORE, LAST, f"{MORE} (2)", f"{LAST} (2)")
    comments = f'<div class="comments">{_story(*(f"{COMMENT} ({n})" for n in range(2)))}</div>'
    art = _extract(_page(f"{container}<h1>Kandal raid</h1>{_story(*story)}</{tag}>{comments}"))
    assert art.paragraphs == story


@pytest.mark.parametrize(("names", "a_box"), [
    ("story commentary", False), ("comments-list", True), ("comment", True),
    ("row no-paywall", False), ("paywall-prompt", True), ("has-left-sidebar", False),
    ("sidebar", True), ("no-cookie-banner", True), ("with-share", False), ("share-bar", True),
])
def test_box_names(names: str, a_box: bool) -> None:
    assert names_a_box(names) is a_box


def test_a_comment_closed_the_lenient_way_does_not_make_the_page_truncated() -> None:
    # HTML closes a comment with "--!>" as with "-->".
    page = _page(f"<article>{_story(LEDE, MORE)}</article><!-- tracking code --!>"
                 "<script>var a = 1;</script>")
    assert _extract(page).paragraphs == (LEDE, MORE)


def test_a_page_cut_inside_a_comment_is_still_refused() -> None:
    page = _page(f"<article>{_story(LEDE, MORE)}</article>")[:-len("</body></html>")]
    result = extract_article(page + "<!-- tracking code, then the connection dr", "https://x.example/a")
    assert isinstance(result, Rejection) and "truncated" in result.reason
