"""Pure parsers for discovery documents: feeds, sitemaps, robots.txt, listings.

XML is never parsed with entity expansion: a document that declares entities
is refused before any parser sees it, and lxml runs with
`resolve_entities=False, no_network=True`.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
from lxml import etree

from crawler.extract import normalise_language
from crawler.timestamps import from_struct_time, parse_datetime


class DocumentError(ValueError):
    """A discovery document that cannot be used; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One article a feed, sitemap or listing points at."""

    url: str
    title: str | None = None
    published: dt.datetime | None = None
    # An explicit update marker (Atom <updated>, sitemap <lastmod>), as text.
    updated: str | None = None
    author: str | None = None
    summary: str | None = None
    language: str | None = None


_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
)


_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


def _as_utf8(body: bytes) -> bytes:
    """A UTF-16 document (BOM, or NULs beside the first '<') as UTF-8, so that
    its declarations are seen; any other body unchanged."""
    codec = None
    if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16"
    elif body[:2] == b"<\x00":
        codec = "utf-16-le"
    elif body[:2] == b"\x00<":
        codec = "utf-16-be"
    if codec is None:
        return body
    return body.decode(codec, "replace").encode("utf-8")


def refuse_entities(body: bytes) -> None:
    """Raise DocumentError when an XML document declares entities (bombs, XXE),
    anywhere in it and in UTF-16 too."""
    text = _as_utf8(body)
    head = text[:65536]
    if (_ENTITY_DECL.search(text) or _INTERNAL_SUBSET.search(text)
            or (b"<!DOCTYPE" in head.upper() and b"[" in head)):
        raise DocumentError("the XML declares entities (refused: entity expansion and "
                            "external entities are never processed)")


# What may precede a document's root element: whitespace, the XML declaration,
# processing instructions, comments (a sitemap may open with a long one).
_PROLOGUE = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
SNIFF_SCAN_BYTES = 1_000_000


def sniff_kind(body: bytes, content_type: str = "") -> str:
    """"feed", "sitemap", "robots" or "html" from a response's first bytes
    (after any leading comments, within the first megabyte)."""
    start = _PROLOGUE.match(body, 0, SNIFF_SCAN_BYTES)
    head = body[start.end() if start else 0:][:4096].lstrip().lower()
    ct = content_type.lower()
    if re.search(rb"<(rss|rdf:rdf|feed)[\s>]", head):
        return "feed"
    if re.search(rb"<(urlset|sitemapindex)[\s>]", head):
        return "sitemap"
    if "text/plain" in ct and re.search(rb"^\s*(user-agent|sitemap|disallow)\s*:", head, re.MULTILINE):
        return "robots"
    return "html"


def parse_feed(body: bytes, base_url: str, content_type: str = "") -> list[Entry]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed (lenient with broken feeds)."""
    return read_feed(body, base_url, content_type)[0]


def read_feed(body: bytes, base_url: str, content_type: str = "") -> tuple[list[Entry], str | None]:
    """(entries, problem): a broken feed still yields the entries that could be read,
    and the problem says what was wrong with it."""
    refuse_entities(body)
    headers = {"content-location": base_url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.entries and sniff_kind(body) != "feed":
        problem = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise DocumentError(f"not a readable feed: {problem}")
    problem = None
    if parsed.get("bozo"):
        problem = f"malformed feed ({parsed.get('bozo_exception')}); {len(parsed.entries)} " \
                  "entries read"
    language = normalise_language(parsed.feed.get("language"))
    entries: list[Entry] = []
    for e in parsed.entries:
        link = e.get("link") or (e.get("id") if str(e.get("id", "")).startswith("http") else None)
        if not link:
            continue
        published = parse_datetime(e.get("published")) or from_struct_time(
            e.get("published_parsed")
        )
        entries.append(Entry(
            url=urljoin(base_url, link.strip()),
            title=(e.get("title") or "").strip() or None,
            published=published,
            # Only a real <updated>: feedparser's get() falls back to the pubDate.
            updated=(dict.get(e, "updated") or None),
            author=(e.get("author") or None),
            summary=(e.get("summary") or None),
            language=language,
        ))
    return entries, problem


def gunzip_bounded(body: bytes, limit: int) -> bytes:
    """A gzip file's content (a `sitemap.xml.gz` served as a file, not as a
    Content-Encoding), refused past `limit` bytes; other bodies unchanged."""
    if body[:2] != b"\x1f\x8b":
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise DocumentError(f"not a readable gzip file: {exc}") from None
    if len(out) > limit:
        raise DocumentError(f"the gzipped sitemap is larger than {limit:,} bytes "
                            "uncompressed (refused)")
    return out


def parse_sitemap(body: bytes) -> tuple[list[Entry], list[Entry]]:
    """(child sitemaps, page entries) of a sitemap index, urlset or Google News sitemap."""
    refuse_entities(body)
    try:
        root = etree.fromstring(body, parser=_SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"not a readable sitemap: {exc}") from None
    if root is None:
        raise DocumentError("not a readable sitemap: empty document")
    sitemaps: list[Entry] = []
    pages: list[Entry] = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        name = _localname(node.tag)
        loc = _child_text(node, "loc")
        if not loc:
            continue
        lastmod = _child_text(node, "lastmod")
        if name == "sitemap":
            sitemaps.append(Entry(url=loc, updated=lastmod))
        elif name == "url":
            published = parse_datetime(_child_text(node, "publication_date"))
            pages.append(Entry(
                url=loc, title=_child_text(node, "title"), published=published,
                updated=lastmod, language=normalise_language(_child_text(node, "language")),
            ))
    if _localname(root.tag) not in ("urlset", "sitemapindex"):
        raise DocumentError("not a sitemap: the root element is not urlset or sitemapindex")
    return sitemaps, pages


def _localname(tag: str) -> str:
    """A tag's local name; a prefix whose namespace was never declared (recovered
    as 'news:title', which etree.QName refuses) is dropped too."""
    return tag.rpartition("}")[2].rpartition(":")[2]


def _child_text(node: etree._Element, localname: str) -> str | None:
    for el in node.iter():
        if isinstance(el.tag, str) and _localname(el.tag) == localname:
            text = (el.text or "").strip()
            return text or None
    return None


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """The `Sitemap:` URLs a robots.txt names."""
    found = re.findall(r"^\s*sitemap\s*:\s*(\S+)", text, flags=re.IGNORECASE | re.MULTILINE)
    return [urljoin(base_url, u) for u in found]


# A path segment that reads like an article slug or id: several words or a long number.
_SLUG = re.compile(r"([a-z0-9]+-){3,}[a-z0-9]+|\d{4,}", re.IGNORECASE)
_NEXT_TEXT = re.compile(r"^\s*(next|older|»|›|下一页|次へ)\b", re.IGNORECASE)


def same_site(url: str, base_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.hostname, a.port) == (b.hostname, b.port) and a.scheme in ("http", "https")


def strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def listing_links(html: str, base_url: str) -> tuple[list[Entry], list[str]]:
    """(article links, next-page links) of an HTML section page, on its own site only."""
    # lxml refuses a str that starts with an XML declaration (XHTML pages do).
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"not a readable HTML page: {exc}") from None
    for el in tree.xpath("//nav|//header|//footer"):
        if el.getparent() is not None:
            el.drop_tree()
    articles: dict[str, Entry] = {}
    pages: list[str] = []
    for a in tree.xpath("//a[@href]"):
        url = strip_fragment(urljoin(base_url, a.get("href").strip()))
        if not same_site(url, base_url) or url == strip_fragment(base_url):
            continue
        text = " ".join(a.text_content().split())
        rel = (a.get("rel") or "").lower()
        if "next" in rel.split() or _NEXT_TEXT.match(text):
            pages.append(url)
            continue
        last = [s for s in urlsplit(url).path.split("/") if s]
        if last and _SLUG.search(last[-1]) and len(text) >= 15 and not urlsplit(url).query:
            articles.setdefault(url, Entry(url=url, title=text or None))
    return list(articles.values()), list(dict.fromkeys(pages))


def page_is_article(html: str) -> bool:
    """Whether an HTML page is one article (page kind) rather than a section (listing)."""
    head = html[:200_000].lower()
    if re.search(r"property=[\"']og:type[\"']\s+content=[\"']article", head) or \
            re.search(r"content=[\"']article[\"']\s+property=[\"']og:type", head):
        return True
    return "article:published_time" in head or '"newsarticle"' in head
