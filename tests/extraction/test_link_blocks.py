"""Lines that point elsewhere instead of telling the story (bench/extraction_real.py
found them leaking on both public benchmarks), rebuilt as small made-up pages:
a link line with or without its label, a run of them under a short heading,
the follow-us line under a story, and the section labels left at its end."""

from __future__ import annotations

import pytest

from crawler.extract import Extracted
from crawler.page.linkblocks import drop_trailing_labels, is_credit_line, is_label
from tests.extraction.pagekit import extracted, paragraphs

LEDE = ("Customs officers at the river port seized forty crates of counterfeit medicine "
        "on Tuesday morning, the provincial customs office said in a statement.")
MORE = ("The crates had been declared as kitchen tiles and were bound for a warehouse "
        "on the edge of the city, officers said after opening them.")
LAST = ("Two drivers were questioned and released, and the importer named on the papers "
        "has been asked to appear before investigators next week.")


def _extract(body: str) -> Extracted:
    page = (f'<!DOCTYPE html><html lang="en"><head><title>Port seizure</title></head>'
            f"<body><article><h1>Port seizure</h1>{body}</article></body></html>")
    return extracted(page, "https://x.example/port-seizure")


@pytest.mark.parametrize("line", [
    '<p><a href="/other">Flooded roads close two schools in the hill district</a></p>',
    '<p>Read also: <a href="/other">Flooded roads close two schools in the hill district</a></p>',
    '<p><strong>Lees ook</strong>: <a href="/o">Bridge repairs will take until the summer</a></p>',
    '<p>[Related: <a href="/o">Bridge repairs will take until the summer</a>]</p>',
])
def test_a_line_that_is_a_link_elsewhere_leaves_the_body(line: str) -> None:
    art = _extract(paragraphs(LEDE, MORE) + line + paragraphs(LAST))
    assert art.paragraphs == (LEDE, MORE, LAST)


def test_a_run_of_links_goes_with_its_short_label() -> None:
    teasers = "".join(f'<li><a href="/t{n}">A made-up headline about harbour number {n}</a></li>'
                      for n in range(3))
    art = _extract(paragraphs(LEDE, MORE, LAST) + f"<p>Don't miss</p><ul>{teasers}</ul>")
    assert art.paragraphs == (LEDE, MORE, LAST)


def test_prose_that_links_a_source_stays() -> None:
    linked = ("The office said the seizure was its largest this year, according to "
              '<a href="/report">a report it published</a> on its website on Wednesday.')
    art = _extract(paragraphs(LEDE, linked, LAST))
    assert len(art.paragraphs) == 3 and "largest this year" in art.paragraphs[1]


@pytest.mark.parametrize("href", [
    "mailto:desk@x.example", "https://twitter.com/portdesk", "https://www.facebook.com/portdesk/",
])
def test_the_follow_or_write_to_line_that_ends_a_story_leaves(href: str) -> None:
    contact = f'<p>Write to the port desk or follow it <a href="{href}">here</a> for news.</p>'
    art = _extract(paragraphs(LEDE, MORE, LAST) + contact)
    assert art.paragraphs == (LEDE, MORE, LAST)


def test_a_link_to_a_post_inside_the_story_is_not_a_follow_line() -> None:
    quote = ('The minister wrote on <a href="https://twitter.com/minister/status/123">social '
             "media</a> that the crates would be destroyed.")
    art = _extract(paragraphs(LEDE, MORE, quote))
    assert art.paragraphs[-1].startswith("The minister wrote")


@pytest.mark.parametrize(("line", "label"), [
    ("Comments", True), ("Tags", True), ("More on this topic:", True), ("You may also like", True),
    ("Officers seized forty crates.", False),         # a sentence
    ("Forty crates seized on 3 May", False),           # a figure is a fact
    ("税关官员周二上午在河港查获了四十箱假药并已移交调查", False),  # a sentence without spaces
])
def test_labels(line: str, label: bool) -> None:
    assert is_label(line) is label


def test_only_the_labels_of_the_tail_go() -> None:
    lines = [LEDE, "Background", MORE, LAST, "Tags", "Comments"]
    assert drop_trailing_labels(lines) == [LEDE, "Background", MORE, LAST]


def test_labels_after_the_last_story_paragraph_go_the_short_lines_stay() -> None:
    teaser = "Harbour fees rise for the second time this year"
    lines = [LEDE, MORE, LAST, "Further reading", teaser, "Contact:", "The port desk.",
             "Ports that raised fees", "- North harbour: pilots", "- South harbour: berths", "税关"]
    assert drop_trailing_labels(lines) == [LEDE, MORE, LAST, teaser, "The port desk.",
                                           "- North harbour: pilots", "- South harbour: berths", "税关"]


@pytest.mark.parametrize(("line", "credit"), [
    ("© Made-up Agency/A. Photographer", True),
    ("Copyright © 2024 The Valley Paper. All rights reserved.", True),
    ("Bild: © Erfundene Agentur", True),
    ("(c) 2023 An Invented Publisher", True),
    ("From a made-up memoir by A. Writer. Copyright © 2019 by A. Writer. Reprinted by "
     "permission of an invented publisher, which holds the rights in all countries.", False),
    ("Customs officers seized forty crates of counterfeit medicine.", False),
])
def test_credit_lines(line: str, credit: bool) -> None:
    assert is_credit_line(line) is credit


def test_a_picture_credit_between_paragraphs_leaves_the_body() -> None:
    art = _extract(paragraphs(LEDE, "© Made-up Agency/A. Photographer", MORE, LAST))
    assert art.paragraphs == (LEDE, MORE, LAST)
