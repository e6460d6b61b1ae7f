"""A page's publication date, from the sources a page offers, in order of trust.

JSON-LD `datePublished` (what the CMS wrote for search engines), then the
meta tags (Open Graph `article:published_time` and its kin), then a `<time>`
element of the story, then a date in the URL, then the feed's entry, then
trafilatura's guess (htmldate). The first found wins, and which one it was is
recorded. A date-only value ("2024-05-02") takes the time of day from a later
source that names the same day, so the hour is not lost to the better source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html

from crawler.timestamps import parse_datetime, plausible
from crawler.page.jsonld import jsonld_objects, type_names

# Beyond this, a page's date and its feed entry's are worth a log line.
DISAGREEMENT = dt.timedelta(days=1)

_META_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@property='og:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='pubdate']/@content",
    "//meta[@name='publishdate']/@content",
    "//meta[@name='date']/@content",
    "//meta[@name='dc.date']/@content",
    "//meta[@name='DC.date.issued']/@content",
    "//meta[@name='parsely-pub-date']/@content",
)
# <time> of the story itself: marked as its publication, or inside the
# article, never one of a sidebar's teasers.
_TIME_XPATHS = (
    "//time[@itemprop='datePublished']/@datetime",
    "//*[@itemprop='datePublished']/@datetime",
    "//time[@pubdate]/@datetime",
    "//article//time[not(ancestor::aside)][not(ancestor::*[contains(@class,'related')])]/@datetime",
    "//main//time[not(ancestor::aside)]/@datetime",
    "//time[not(ancestor::aside or ancestor::nav or ancestor::footer)][not(ancestor::*["
    "contains(@class,'related') or contains(@class,'sidebar') or contains(@class,'widget')])]"
    "/@datetime",
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_]|$)"
    r"|[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)")
_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_JSONLD_ARTICLE = re.compile(r"Article|Posting|Report|BlogPosting|LiveBlog", re.IGNORECASE)


@dataclass(frozen=True)
class DateChoice:
    """The chosen date, where it came from ("json-ld", "meta", "time", "url",
    "feed", "trafilatura"), and whether it carries a time of day."""

    published: dt.datetime | None
    source: str | None
    has_time: bool = False


@dataclass(frozen=True)
class Candidate:
    source: str
    moment: dt.datetime
    has_time: bool


def page_date_candidates(tree: lxml.html.HtmlElement, url: str) -> list[Candidate]:
    """Every readable date the page states, best source first (one per source)."""
    out: list[Candidate] = []
    for source, values in (("json-ld", _jsonld_dates(tree)),
                           ("meta", _xpath_values(tree, _META_XPATHS)),
                           ("time", _xpath_values(tree, _TIME_XPATHS))):
        found = _first_readable(source, values)
        if found is not None:
            out.append(found)
    from_url = date_in_url(url)
    if from_url is not None:
        out.append(Candidate("url", from_url, False))
    return out


def choose_date(candidates: list[Candidate], feed: dt.datetime | None,
                guessed: str | None) -> DateChoice:
    """The first candidate (page, then feed, then trafilatura's guess), with
    the time of day borrowed from a later one on the same day when it has none."""
    pool = list(candidates)
    if feed is not None:
        pool.append(Candidate("feed", feed, True))
    guess = _candidate("trafilatura", guessed)
    if guess is not None:
        pool.append(guess)
    if not pool:
        return DateChoice(None, None)
    best = pool[0]
    if not best.has_time:
        for later in pool[1:]:
            if later.has_time and _same_day(later.moment, best.moment):
                return DateChoice(later.moment, best.source, True)
    return DateChoice(best.moment, best.source, best.has_time)


def disagreement(published: dt.datetime | None, source: str | None,
                 feed: dt.datetime | None) -> dt.timedelta | None:
    """How far a page's own date is from its feed entry's, when beyond a day."""
    if feed is None or published is None or source in (None, "feed"):
        return None
    gap = abs(published - feed)
    return gap if gap > DISAGREEMENT else None


def date_in_url(url: str) -> dt.datetime | None:
    """/2024/05/02/ or -20240502- in a URL's path, as midnight UTC that day."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    found = _URL_DATE.search(path)
    if found is None:
        return None
    parts = [g for g in found.groups() if g is not None]
    try:
        return plausible(dt.datetime(int(parts[0]), int(parts[1]), int(parts[2]), tzinfo=dt.UTC))
    except ValueError:
        return None


def _candidate(source: str, value: str | None) -> Candidate | None:
    moment = parse_datetime(value) if value else None
    if moment is None:
        return None
    return Candidate(source, moment, not _DATE_ONLY.match(value or ""))


def _first_readable(source: str, values: Iterator[str]) -> Candidate | None:
    for value in values:
        found = _candidate(source, value)
        if found is not None:
            return found
    return None


def _xpath_values(tree: lxml.html.HtmlElement, xpaths: tuple[str, ...]) -> Iterator[str]:
    for xp in xpaths:
        for value in tree.xpath(xp):
            yield str(value)


def _jsonld_dates(tree: lxml.html.HtmlElement) -> Iterator[str]:
    """datePublished of the JSON-LD objects that describe an article (any other
    typed object, such as a WebPage, only when no article has one)."""
    others: list[str] = []
    for obj in jsonld_objects(tree):
        value = obj.get("datePublished")
        if not isinstance(value, str):
            continue
        if _JSONLD_ARTICLE.search(type_names(obj)):
            yield value
        else:
            others.append(value)
    yield from others


def _same_day(a: dt.datetime, b: dt.datetime) -> bool:
    # A date-only value is a calendar day somewhere: within a day of midnight UTC.
    return abs(a - b) < dt.timedelta(days=1)
