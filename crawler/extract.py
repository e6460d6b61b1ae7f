"""Article extraction: HTML in, clean body text and metadata out.

Everything goes through `extract_article`, which returns an `Extracted`
article or a `Rejection` whose reason is data, so a process pool with a
per-page time limit can wrap it without changing callers. trafilatura does
the main-text work (precision first, tables kept, no comments); before it,
the page loses its HTML comments (`pageparts.strip_comments` says why), its
marked standfirst and its captions (kept as their own fields) and the boxes
news sites wrap around a story (comments, related and most-read lists, share
bars, cookie banners), recognised by the class and id names sites give them
(`boxes`).
When that finds little, a second pass reads the unpruned page. What a page
must be before it is parsed is `intake`'s; the date is chosen by `published`,
the language checked by `language`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

from crawler.fingerprint import ShingleSketch
from crawler.page.boxes import prune_boilerplate
from crawler.page.intake import readable, refusal_reason
from crawler.page.jsonld import article_body, marked_not_free
from crawler.page.language import checked_language, normalise_language
from crawler.page.linkblocks import drop_link_blocks, drop_trailing_labels, is_credit_line
from crawler.page.parts import (
    strip_comments,
    take_captions,
    take_standfirst,
    unwrap_layout_tables,
)
from crawler.page.published import choose_date, page_date_candidates

__all__ = ["Extracted", "Fallback", "Rejection", "extract_article", "normalise_language"]

MIN_TEXT_CHARS = 80
# A first pass that yields less than this reads the page again without
# favor_precision: the pruned page, then the unpruned one. Above the second
# figure, a reading replaces the first only when it keeps the first's text.
SECOND_PASS_BELOW_CHARS = 1500
KEEP_FIRST_ABOVE_CHARS = 600
# A page marked for subscribers is refused when what is readable is at most
# one paragraph of story (a line this long) and less than this in all.
STORY_PARAGRAPH_CHARS = 80
TEASER_BELOW_CHARS = 600

_PREFIX_LINE = re.compile(
    r"^\s*(read also|also read|read more|see also|related|more on this|recommended)\b\s*[:：]",
    re.IGNORECASE,
)
# A short credit line under a syndicated story ("Source: Other Outlet").
_CREDIT_LINE = re.compile(r"^\s*(source|via|credit|courtesy)\s*[:：]\s*\S.{0,80}$", re.IGNORECASE)
_AUTHOR_PREFIX = re.compile(r"^\s*(by|words by|作者|记者|written by)\s*[:：]?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Fallback:
    """What the feed, sitemap or listing said about the page, for missing metadata."""

    title: str | None = None
    published: dt.datetime | None = None
    author: str | None = None
    summary: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Extracted:
    """A page's article: body paragraphs joined by blank lines, and its metadata."""

    text: str
    title: str | None
    author: str | None
    published: dt.datetime | None
    language: str | None
    summary: str | None
    canonical_url: str | None
    paragraphs: tuple[str, ...] = field(default=())
    # Identity of the text (crawler.fingerprint), when the extraction worker
    # computed it; the store computes what is missing.
    content_hash: str | None = None
    fingerprint: str | None = None
    # Its shingle ids (crawler.fingerprint.TextIdentity.shingle_bytes) and
    # their sketch, for the near-duplicate check.
    shingles: bytes | None = None
    sketch: ShingleSketch | None = None
    # The block the template marks as the standfirst (not the meta description,
    # which is `summary`), and the pictures' captions, in page order.
    standfirst: str | None = None
    captions: tuple[str, ...] = field(default=())
    # Where `published` came from (crawler.page.published: "json-ld", "meta", ...).
    published_from: str | None = None


@dataclass(frozen=True)
class Rejection:
    """Why a page yielded no article ("empty page", "no article text", ...)."""

    reason: str


def extract_article(html: str, url: str, fallback: Fallback | None = None) -> Extracted | Rejection:
    """The article in `html` (already decoded), or the reason there is none."""
    fallback = fallback or Fallback()
    refused = refusal_reason(html)
    if refused is not None:
        return Rejection(refused)
    html = readable(html)
    try:
        tree = _parse(html)
    except (etree.ParserError, ValueError) as exc:
        return Rejection(f"unparseable HTML: {exc}")
    meta = _page_metadata(tree)
    dates = page_date_candidates(tree, url)
    not_free = marked_not_free(tree)
    scripted_body = article_body(tree)
    page_chars = int(tree.xpath("string-length(normalize-space(//body))"))
    prune_boilerplate(tree)
    headline = _headline(tree)
    standfirst = take_standfirst(tree)
    captions = take_captions(tree)
    drop_link_blocks(tree)
    try:
        data = _trafilatura(tree, url, favor_precision=True)
        found = len(data.get("text") or "")
        # Only a page with clearly more text than was found can gain from it.
        if found < SECOND_PASS_BELOW_CHARS and page_chars > 2.5 * found:
            data = _second_pass(html, url, data, tree)
    except Exception as exc:  # noqa: BLE001 - trafilatura raises many types on odd pages
        return Rejection(f"extraction failed: {type(exc).__name__}: {exc}")
    title = _clean(data.get("title")) or meta.get("title") or fallback.title
    paragraphs = _body_lines(data.get("text") or "", (title, headline, standfirst))
    if not not_free and _longer_in_script(scripted_body, paragraphs):
        paragraphs = _body_lines("\n".join(scripted_body), (title, headline, standfirst))
    text = "\n\n".join(paragraphs)
    if not_free and _only_a_teaser(paragraphs):
        return Rejection("behind a paywall: only a teaser is readable")
    if len(text) < MIN_TEXT_CHARS:
        return Rejection("no article text found (too short)")
    chosen = choose_date(dates, fallback.published, _clean(data.get("date")))
    declared = meta.get("language") or normalise_language(data.get("language"))
    return Extracted(
        text=text,
        title=title,
        author=_author(data.get("author")) or fallback.author,
        published=chosen.published,
        language=checked_language(declared or fallback.language, text),
        summary=_clean(data.get("description")) or fallback.summary,
        canonical_url=meta.get("canonical") or _clean(data.get("url")),
        paragraphs=tuple(paragraphs),
        standfirst=standfirst,
        captions=tuple(c for c in captions if not _same(c, title)),
        published_from=chosen.source,
    )


def _longer_in_script(scripted: list[str], paragraphs: list[str]) -> bool:
    """Whether the page's HTML holds too little story and its JSON-LD
    `articleBody` holds one: a page rendered by script from that JSON. A
    subscribers' page is not read this way (its JSON is for search engines)."""
    found = sum(len(p) for p in paragraphs)
    return found < MIN_TEXT_CHARS and sum(len(p) for p in scripted) >= MIN_TEXT_CHARS


def _only_a_teaser(paragraphs: list[str]) -> bool:
    """Whether a subscribers' page shows only a teaser: under 600 characters
    with at most one paragraph of story. Two or more are the story's opening,
    which is its text (its lede carries the date, place and figure): such a
    page is kept, where a lone paragraph before a subscribe prompt is not."""
    if sum(len(p) for p in paragraphs) >= TEASER_BELOW_CHARS:
        return False
    return sum(1 for p in paragraphs if len(p) >= STORY_PARAGRAPH_CHARS) <= 1


def _parse(html: str) -> lxml.html.HtmlElement:
    tree = lxml.html.document_fromstring(html)
    strip_comments(tree)
    unwrap_layout_tables(tree)
    return tree


def _trafilatura(tree: lxml.html.HtmlElement, url: str, favor_precision: bool) -> dict:
    doc = trafilatura.bare_extraction(
        tree, url=url, favor_precision=favor_precision, include_comments=False,
        include_tables=True, include_images=False, with_metadata=True,
    )
    if doc is None:
        return {}
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def _second_pass(html: str, url: str, first: dict, pruned: lxml.html.HtmlElement) -> dict:
    """The page read again without favor_precision when that finds clearly
    more: first the pruned page (precision drops short blocks, headed
    sections and lists of non-news layouts), then the unpruned one (pages
    without <p>, whose post the pruning removed whole, and pages where
    precision kept a short notice instead of the story). A first reading of
    600 characters or more is replaced only by one that holds most of it: else the
    second read another part of the page (a recipe's steps for its list).
    Each reading must be more than twice as long as the one it replaces."""
    for tree in (pruned, None):
        if tree is None:
            tree = _parse(html)
            take_standfirst(tree)
            take_captions(tree)
            drop_link_blocks(tree)
        second = _trafilatura(tree, url, favor_precision=False)
        found, more = first.get("text") or "", second.get("text") or ""
        if len(more) > (1.5 if tree is pruned else 2) * len(found) and (
                len(found) < KEEP_FIRST_ABOVE_CHARS or _holds(more, found)):
            kept = {k: v for k, v in first.items()
                    if k != "text" and v is not None and not (isinstance(v, str) and not v)}
            first = {**second, **kept}
    return first


def _holds(more: str, found: str) -> bool:
    """Whether most of `found` (by characters, whitespace aside) is in `more`,
    line by line."""
    flat = " ".join(more.split())
    lines = [" ".join(ln.split()) for ln in found.splitlines()]
    held = sum(len(ln) for ln in lines if ln in flat)
    return held * 2 >= sum(len(ln) for ln in lines)


def _page_metadata(tree: lxml.html.HtmlElement) -> dict:
    out: dict = {}
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        found = tree.xpath("//meta[@http-equiv='content-language']/@content")
        lang = found[0] if found else None
    out["language"] = normalise_language(lang)
    canon = tree.xpath("//link[@rel='canonical']/@href")
    if canon:
        out["canonical"] = str(canon[0]).strip() or None
    og = tree.xpath("//meta[@property='og:title']/@content")
    if og:
        out["title"] = _clean(str(og[0]))
    return out


def _headline(tree: lxml.html.HtmlElement) -> str | None:
    """The page's first <h1>: the headline, which may differ from its <title>."""
    first = next(tree.iter("h1"), None)
    return _clean(first.text_content()) if first is not None else None


def _body_lines(text: str, heads: tuple[str | None, ...]) -> list[str]:
    """The body's lines, less the repeated title or headline and the
    standfirst at their head (heads: title, headline, standfirst).

    Never less the meta description for equalling a line: CMSs derive it from
    the first paragraph, and dropping that lost the lede (date, place, figure).
    """
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    while lines and any(_same(lines[0], head) for head in heads):
        lines.pop(0)
    lines = [ln for ln in lines if not _PREFIX_LINE.match(ln) and not _CREDIT_LINE.match(ln)
             and not is_credit_line(ln)]
    return drop_trailing_labels(lines)


def _same(a: str, b: str | None) -> bool:
    return bool(b) and a.casefold().strip() == re.sub(r"\s+", " ", b).casefold().strip()


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


def _author(value: object) -> str | None:
    cleaned = _clean(value)
    if cleaned is None:
        return None
    return _AUTHOR_PREFIX.sub("", cleaned).strip() or None
