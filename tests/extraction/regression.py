"""The regression pages (tests/extraction/pages): each `NAME.html` with its
`NAME.json` of what extraction must give, and the two scores over them.

Expectations: `url`, optional `charset` (else the page's own), optional
`feed_published`; then either `rejected` (a fragment of the reason) or
`title`, `body` (paragraphs), optional `body_fragments` (table cells),
`captions`, `standfirst`, `published`, `published_from`, `language`.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html

from crawler.extract import Extracted, Fallback, Rejection, extract_article
from crawler.page.decoding import decode_bytes

PAGES = Path(__file__).resolve().parent / "pages"
# Texts shorter than this are not counted as boilerplate lines (menu words).
MIN_LINE_CHARS = 15


@dataclass(frozen=True)
class Case:
    name: str
    html: str
    expected: dict[str, Any]

    def extract(self) -> Extracted | Rejection:
        feed = self.expected.get("feed_published")
        fallback = Fallback(published=dt.datetime.fromisoformat(feed) if feed else None)
        return extract_article(self.html, self.expected["url"], fallback)

    def own_text(self) -> list[str]:
        e = self.expected
        return [e.get("title") or "", *e.get("body", []), *e.get("body_fragments", []),
                *e.get("captions", []), e.get("standfirst") or ""]


def load_cases() -> list[Case]:
    cases = []
    for spec in sorted(PAGES.glob("*.json")):
        expected = json.loads(spec.read_text(encoding="utf-8"))
        raw = spec.with_suffix(".html").read_bytes()
        text, _ = decode_bytes(raw, expected.get("charset"))
        cases.append(Case(spec.stem, text or "", expected))
    return cases


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(text)).strip().casefold()


def boilerplate_lines(page: str, own: list[str]) -> set[str]:
    """Texts of the page's elements that are none of the story's own text."""
    tree = lxml.html.document_fromstring(page)
    for bad in tree.xpath("//script|//style|//head"):
        bad.drop_tree()
    mine = " \n ".join(norm(t) for t in own)
    lines: set[str] = set()
    for el in tree.xpath("//p|//li|//a|//h1|//h2|//h3|//h4|//span|//td|//th|//figcaption|//div"):
        text = norm(el.text_content())
        if len(text) >= MIN_LINE_CHARS and text not in mine and not _holds_own(text, mine):
            lines.add(text)
    return lines


def _holds_own(text: str, mine: str) -> bool:
    """A container whose text includes story text is not itself boilerplate."""
    return any(len(part) >= MIN_LINE_CHARS and part in text for part in mine.split(" \n "))


@dataclass(frozen=True)
class Scores:
    paragraphs: int
    found: int
    lines: int
    leaked: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.paragraphs if self.paragraphs else 1.0

    @property
    def leak(self) -> float:
        return len(self.leaked) / self.lines if self.lines else 0.0


def score(cases: list[Case]) -> Scores:
    """Paragraph recall and boilerplate leak of the body over the accepted pages."""
    paragraphs = found = lines = 0
    leaked: list[str] = []
    for case in cases:
        if "rejected" in case.expected:
            continue
        result = case.extract()
        text = norm(result.text) if isinstance(result, Extracted) else ""
        wanted = [*case.expected["body"], *case.expected.get("body_fragments", [])]
        paragraphs += len(wanted)
        found += sum(norm(p) in text for p in wanted)
        for line in boilerplate_lines(case.html, case.own_text()):
            lines += 1
            if line in text:
                leaked.append(f"{case.name}: {line}")
    return Scores(paragraphs, found, lines, tuple(leaked))
