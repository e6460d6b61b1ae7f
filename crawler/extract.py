"""Article extraction: HTML in, clean body text and metadata out.

Everything goes through `extract_article`, which returns an `Extracted`
article or a `Rejection` whose reason is data, so a process pool with a
per-page time limit can wrap it without changing callers. trafilatura does
the main-text work (precision first, no comments, no tables); before it, the
page is pruned of the boxes news sites wrap around a story (comments,
related and most-read lists, share bars, cookie banners), recognised by the
class and id names sites give them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

from crawler.dates import parse_datetime
from crawler.fingerprint import ShingleSketch

# Pages above this size are cut before parsing: extraction time grows with size.
MAX_HTML_CHARS = 2_000_000
MIN_TEXT_CHARS = 80

# Class/id fragments of boxes that are never the story itself.
_BOILERPLATE = re.compile(
    r"comment|discussion|related|popular|most-?read|mostread|read-?also|readalso|"
    r"share|sharing|social|cookie|consent|gdpr|newsletter|subscribe|promo|advert|"
    r"\bads?\b|ad-slot|sponsor|teaser|breadcrumb|sidebar|widget|donat|paywall|"
    r"outbrain|taboola|recommend|trending|author-bio|tags?-links|skip-link|republish|syndicat",
    re.IGNORECASE,
)
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CLOSING = re.compile(r"</(body|html)\s*>", re.IGNORECASE)
_KEEP_TAGS = {"html", "body", "main", "article"}
_PREFIX_LINE = re.compile(
    r"^\s*(read also|also read|read more|see also|related|more on this|recommended)\b\s*[:：]",
    re.IGNORECASE,
)
# A short credit line under a syndicated story ("Source: Other Outlet").
_CREDIT_LINE = re.compile(r"^\s*(source|via|credit|courtesy)\s*[:：]\s*\S.{0,80}$", re.IGNORECASE)
_AUTHOR_PREFIX = re.compile(r"^\s*(by|words by|作者|记者|written by)\s*[:：]?\s*", re.IGNORECASE)
_DATE_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='date']/@content",
    "//meta[@name='dc.date']/@content",
    "//meta[@name='DC.date.issued']/@content",
    "//article//time/@datetime",
)


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


@dataclass(frozen=True)
class Rejection:
    """Why a page yielded no article ("empty page", "no article text", ...)."""

    reason: str


def extract_article(html: str, url: str, fallback: Fallback | None = None) -> Extracted | Rejection:
    """The article in `html` (already decoded), or the reason there is none."""
    fallback = fallback or Fallback()
    if not html or not html.strip():
        return Rejection("empty page")
    if _looks_binary(html):
        return Rejection("not a text page (binary content)")
    if _ENTITY_DECL.search(html[:65536]):
        return Rejection("the page declares XML entities (refused: never expanded)")
    if not _CLOSING.search(html[-4096:]):
        return Rejection("the page looks truncated or malformed (no closing </body> or </html>)")
    html = _XML_DECL.sub("", html[:MAX_HTML_CHARS], count=1)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        return Rejection(f"unparseable HTML: {exc}")
    meta = _page_metadata(tree)
    _prune_boilerplate(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, favor_precision=True, include_comments=False,
            include_tables=False, include_images=False, with_metadata=True,
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura raises many types on odd pages
        return Rejection(f"extraction failed: {type(exc).__name__}: {exc}")
    if doc is None:
        return Rejection("no article text found")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = _clean(data.get("title")) or meta.get("title") or fallback.title
    summary = _clean(data.get("description")) or fallback.summary
    paragraphs = _body_lines(data.get("text") or "", title, summary)
    text = "\n\n".join(paragraphs)
    if len(text) < MIN_TEXT_CHARS:
        return Rejection("no article text found (too short)")
    published = meta.get("published") or fallback.published
    if published is None and data.get("date"):
        published = parse_datetime(str(data["date"]))
    return Extracted(
        text=text,
        title=title,
        author=_author(data.get("author")) or fallback.author,
        published=published,
        language=meta.get("language") or normalise_language(data.get("language"))
        or fallback.language,
        summary=summary,
        canonical_url=meta.get("canonical") or _clean(data.get("url")),
        paragraphs=tuple(paragraphs),
    )


def normalise_language(value: object) -> str | None:
    """The primary language subtag, lower case ("zh-CN" -> "zh")."""
    if not isinstance(value, str) or not value.strip():
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _looks_binary(html: str) -> bool:
    sample = html[:4096]
    bad = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\t\r\n\f"))
    return bad > len(sample) * 0.1


def _page_metadata(tree: lxml.html.HtmlElement) -> dict:
    out: dict = {}
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        found = tree.xpath("//meta[@http-equiv='content-language']/@content")
        lang = found[0] if found else None
    out["language"] = normalise_language(lang)
    for xp in _DATE_XPATHS:
        for value in tree.xpath(xp):
            parsed = parse_datetime(str(value))
            if parsed is not None:
                out["published"] = parsed
                break
        if "published" in out:
            break
    canon = tree.xpath("//link[@rel='canonical']/@href")
    if canon:
        out["canonical"] = str(canon[0]).strip() or None
    og = tree.xpath("//meta[@property='og:title']/@content")
    if og:
        out["title"] = _clean(str(og[0]))
    return out


def _prune_boilerplate(tree: lxml.html.HtmlElement) -> None:
    """Drop elements whose class or id names a non-story box (comments, related...).

    A box holding most of the page's paragraph text is the story's own
    container whatever its name ("layout has-sidebar"), so it is kept.
    """
    total = _paragraph_chars(tree)
    doomed = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _KEEP_TAGS:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')}"
        if names.strip() and _BOILERPLATE.search(names):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is None:
            continue
        if total and _paragraph_chars(el) * 2 > total:
            continue
        el.drop_tree()
    for el in tree.xpath("//nav|//footer[not(ancestor::article)]|//aside|//form"):
        if el.getparent() is not None and not (total and _paragraph_chars(el) * 2 > total):
            el.drop_tree()


def _paragraph_chars(el: lxml.html.HtmlElement) -> int:
    return sum(len(p.text_content()) for p in el.iter("p"))


def _body_lines(text: str, title: str | None, summary: str | None) -> list[str]:
    lines = [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    # trafilatura keeps an in-article headline and standfirst: they are not body.
    while lines and (_same(lines[0], title) or _same(lines[0], summary)):
        lines.pop(0)
    return [ln for ln in lines if not _PREFIX_LINE.match(ln) and not _CREDIT_LINE.match(ln)]


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
