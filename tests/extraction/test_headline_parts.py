"""The headline and the dek under it are not the body (bench/extraction_real.py
found both leaking into it on scrapinghub's benchmark), rebuilt as small
made-up pages: the <h1> differs from the <title>, and the dek is an <h2>
beside the <h1> in the template's headline block."""

from __future__ import annotations

from crawler.extract import Extracted
from tests.extraction.pagekit import extracted, paragraphs

LEDE = ("Firefighters in the valley town put out a blaze at a timber yard on Sunday night "
        "after four hours, the town's fire service said on Monday morning.")
MORE = ("No one was hurt, but the yard's owner said stock worth several months of sales "
        "had burned and the cause was not yet known.")
LAST = ("The service asked residents near the yard to keep their windows closed until the "
        "smoke over the river had cleared.")
HEADLINE = "Timber yard blaze put out after four hours"
DEK = "The valley town's fire service fought the flames through the night."


def _extract(body: str) -> Extracted:
    page = ('<!DOCTYPE html><html lang="en"><head><title>Timber yard fire | The Valley Paper'
            f"</title></head><body>{body}</body></html>")
    return extracted(page, "https://x.example/timber-yard-fire")


def test_the_headline_does_not_open_the_body_when_it_differs_from_the_title() -> None:
    art = _extract(f"<article><h1>{HEADLINE}</h1>{paragraphs(LEDE, MORE, LAST)}</article>")
    assert art.paragraphs == (LEDE, MORE, LAST)


def test_the_dek_in_the_headline_block_is_the_standfirst() -> None:
    head = f'<div class="article-head"><h1>{HEADLINE}</h1><h2>{DEK}</h2></div>'
    art = _extract(f"<article>{head}{paragraphs(LEDE, MORE, LAST)}</article>")
    assert art.standfirst == DEK
    assert art.paragraphs == (LEDE, MORE, LAST)


def test_a_subheading_after_a_headline_outside_a_headline_block_stays() -> None:
    # Without a headline block, an <h2> after the <h1> may open the body.
    art = _extract(f'<div class="row"><h1>{HEADLINE}</h1><h2>{DEK}</h2>'
                   f"{paragraphs(LEDE, MORE, LAST)}</div>")
    assert art.standfirst is None


def test_the_lede_beside_the_headline_is_never_the_standfirst() -> None:
    art = _extract(f'<article><div class="story-head"><h1>{HEADLINE}</h1><p>{LEDE}</p></div>'
                   f"{paragraphs(MORE, LAST)}</article>")
    assert art.standfirst is None
    assert art.paragraphs[0] == LEDE
