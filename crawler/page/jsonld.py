"""The JSON-LD a page embeds for search engines: its objects, walked once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import lxml.html

# Nesting followed at most (a hostile page may nest deeply).
_MAX_DEPTH = 6
# NewsArticle, ReportageNewsArticle, BlogPosting, Report... (schema.org's CreativeWork kinds of a story).
_ARTICLE_TYPE = re.compile(r"Article|BlogPosting|Report|LiveBlogPosting")
_MARKUP = re.compile(r"<(?:p|br|div|span|a|strong|em)\b", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def jsonld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    """Every JSON object of the page's ld+json scripts (lists, @graph and
    main entities walked); unreadable scripts are skipped."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        yield from _objects(data, 0)


def marked_not_free(tree: lxml.html.HtmlElement) -> bool:
    """Whether the page tells search engines its story is for subscribers
    (`isAccessibleForFree: false`, schema.org's paywall markup)."""
    for obj in jsonld_objects(tree):
        value = obj.get("isAccessibleForFree")
        if value is False or (isinstance(value, str) and value.strip().lower() == "false"):
            return True
    return False


def article_body(tree: lxml.html.HtmlElement) -> list[str]:
    """The paragraphs of the longest `articleBody` an Article-type object
    carries, for pages that render their story with script from this JSON
    (the HTML then holds only a shell). Markup inside is read as text."""
    bodies = [obj.get("articleBody") for obj in jsonld_objects(tree)
              if _ARTICLE_TYPE.search(type_names(obj))]
    texts = [b for b in bodies if isinstance(b, str) and b.strip()]
    if not texts:
        return []
    body = max(texts, key=len)
    if _MARKUP.search(body):
        body = "\n".join(lxml.html.fragment_fromstring(body, create_parent="div").itertext())
    return [line.strip() for line in _LINE_BREAKS.split(body) if line.strip()]


def type_names(obj: dict) -> str:
    """An object's @type, one string however it is given."""
    kind = obj.get("@type")
    return " ".join(map(str, kind)) if isinstance(kind, list) else str(kind or "")


def _objects(data: object, depth: int) -> Iterator[dict]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"):
            if isinstance(data.get(key), (list, dict)):
                yield from _objects(data[key], depth + 1)
