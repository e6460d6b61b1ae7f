"""What the replay serves, from the corpus's own files: expected bodies per
URL and phase, and the boilerplate lines of a served page (for leakage)."""

from __future__ import annotations

import html
import json
import re
import urllib.request
from typing import Any

import lxml.html

from tests.support import DEV_CORPUS


def load_corpus() -> dict[str, Any]:
    return json.loads((DEV_CORPUS / "corpus.json").read_text(encoding="utf-8"))


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def body_at(article: dict[str, Any], phase: int) -> list[str]:
    """An article's paragraphs as served at `phase` (the latest revision up to it)."""
    paragraphs = article["paragraphs"]
    for rev in sorted(article.get("revisions", []), key=lambda r: r["phase"]):
        if rev["phase"] <= phase and "paragraphs" in rev:
            paragraphs = rev["paragraphs"]
    return [norm(p.removeprefix("## ")) for p in paragraphs]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as resp:
        raw = resp.read()
        charset = resp.headers.get_content_charset() or "utf-8"
    return raw.decode(charset, errors="replace")


def boilerplate_lines(page_html: str, own_text: list[str]) -> set[str]:
    """Texts of a page's elements that are not part of the article itself."""
    tree = lxml.html.document_fromstring(page_html)
    for bad in tree.xpath("//script|//style|//head"):
        bad.drop_tree()
    own = " \n ".join(own_text)
    lines: set[str] = set()
    for el in tree.xpath("//p|//li|//a|//h1|//h2|//h3|//h4|//span|//td|//figcaption|//b"):
        text = norm(el.text_content())
        if len(text) >= 15 and text not in own:
            lines.add(text)
    return lines
