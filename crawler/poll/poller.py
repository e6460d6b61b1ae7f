"""One poll of one source: its discovery documents fetched conditionally,
parsed with the crawler's own parsers, and the entries that are new or
marked updated since they were stored.

Nothing is written here: the caller records the documents' validators only
once the entries found are stored (a crawl child that fails leaves them
unrecorded, so the next poll finds the same entries again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from alerts.safe_fetch import FetchRefused
from crawler.discovery.documents import (
    DocumentError,
    Entry,
    listing_links,
    parse_sitemap,
    read_feed,
    robots_sitemaps,
    same_site,
    sniff_kind,
    strip_fragment,
)
from crawler.poll.client import Answer
from crawler.poll.fetcher import Fetcher
from crawler.poll.manners import server_wait
from crawler.validators import Validators, changed_since
from store.urls import UrlError, check_http_url

POLLABLE_KINDS = frozenset({"feed", "sitemap", "listing"})
# Child sitemaps of an index followed per poll (a news index names few).
MAX_CHILD_SITEMAPS = 20
MAX_SITEMAP_DEPTH = 2


@dataclass(frozen=True)
class Document:
    """A discovery document fetched this poll, with what to remember of it."""

    url: str
    status: int
    validators: Validators


@dataclass
class PollOutcome:
    """What a poll found: entries to fetch, documents to record, the rhythm seen."""

    entries: list[Entry] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    published: list[dt.datetime] = field(default_factory=list)
    requests: int = 0
    # Seconds the server asked us to leave this source alone (Cache-Control, Retry-After).
    server_wait: float = 0.0
    error: str | None = None
    note: str | None = None

    @property
    def changed(self) -> bool:
        return any(d.status != 304 for d in self.documents)


# Stored state of article URLs: url -> validators (None: not stored).
KnownLookup = Callable[[list[str]], Mapping[str, Validators | None]]
# Stored validators of discovery documents.
DocLookup = Callable[[str], Validators | None]


def pollable_kind(kind: str, detected: str | None) -> str | None:
    """The kind a source is polled as, or None when it needs a full crawl."""
    resolved = detected if kind == "auto" else kind
    return resolved if resolved in POLLABLE_KINDS else None


def fresh_entries(entries: Iterable[Entry], stored: Mapping[str, Validators | None],
                  limit: int) -> list[Entry]:
    """Entries not stored yet, or stored and marked updated since (as the spiders decide)."""
    out: dict[str, Entry] = {}
    for entry in entries:
        try:
            url = strip_fragment(check_http_url(entry.url))
        except (UrlError, ValueError):
            continue
        if url in out:
            continue
        if url in stored:
            known = stored[url]
            if entry.updated is None or not changed_since(entry.updated, known):
                continue
        out[url] = entry if entry.url == url else _with_url(entry, url)
        if len(out) >= limit:
            break
    return list(out.values())


def _with_url(entry: Entry, url: str) -> Entry:
    return Entry(url, entry.title, entry.published, entry.updated, entry.author,
                 entry.summary, entry.language)


def entries_of(kind: str, answer: Answer) -> tuple[list[Entry], list[Entry], str | None]:
    """(article entries, child sitemaps, problem) of one fetched document."""
    ctype = answer.headers.get("content-type", "")
    if kind == "feed":
        entries, problem = read_feed(answer.body, answer.url, ctype)
        return entries, [], problem
    if kind == "listing":
        text = answer.body.decode(_charset(ctype) or "utf-8", errors="replace")
        articles, _pages = listing_links(text, answer.url)
        if not articles:
            raise DocumentError("no article links found on the section page")
        return articles, [], None
    if sniff_kind(answer.body, ctype) == "robots":
        urls = [u for u in robots_sitemaps(answer.body.decode("utf-8", "replace"), answer.url)
                if same_site(u, answer.url)]
        if not urls:
            raise DocumentError("robots.txt names no Sitemap")
        return [], [Entry(url=u) for u in urls], None
    children, pages = parse_sitemap(answer.body)
    return pages, children, None


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def poll(url: str, kind: str, fetcher: Fetcher, docs: DocLookup, stored: KnownLookup,
         limit: int) -> PollOutcome:
    """Poll one source; failures become `outcome.error` (never an exception)."""
    outcome = PollOutcome()
    found: list[Entry] = []
    try:
        _visit(url, kind, fetcher, docs, outcome, found, depth=0)
    except (FetchRefused, DocumentError) as exc:
        outcome.error = str(exc)
    except (UnicodeError, ValueError) as exc:
        outcome.error = f"{url[:200]}: unreadable document ({exc})"
    outcome.published = [e.published for e in found if e.published is not None]
    if found and outcome.error is None:
        urls = list(dict.fromkeys(strip_fragment(e.url) for e in found))
        outcome.entries = fresh_entries(found, stored(urls), limit)
    return outcome


def _visit(url: str, kind: str, fetcher: Fetcher, docs: DocLookup, outcome: PollOutcome,
           found: list[Entry], depth: int, marker: str | None = None) -> None:
    if urlsplit(url).path.endswith("/robots.txt"):
        # The host's robots.txt is already kept (and re-read hourly) for its
        # rules: its Sitemap lines cost no request of their own.
        return _visit_children(_robots_sitemaps(url, fetcher), fetcher, docs, outcome,
                               found, depth)
    if not fetcher.allowed(url):
        outcome.note = f"{url[:200]}: forbidden by robots.txt"
        return None
    known = docs(url)
    answer = fetcher.get(url, known)
    outcome.requests += 1
    outcome.server_wait = max(outcome.server_wait, server_wait(answer.status, answer.headers))
    if answer.status == 304:
        outcome.documents.append(Document(url, 304, known or Validators()))
        return
    if answer.status >= 400:
        raise FetchRefused(f"{url[:200]}: HTTP {answer.status}")
    entries, children, problem = entries_of(kind, answer)
    if problem:
        outcome.note = f"{url[:200]}: {problem}"
    outcome.documents.append(Document(url, answer.status, Validators(
        answer.etag, answer.last_modified, marker)))
    found.extend(entries)
    return _visit_children(children, fetcher, docs, outcome, found, depth)


def _visit_children(children: list[Entry], fetcher: Fetcher, docs: DocLookup,
                    outcome: PollOutcome, found: list[Entry], depth: int) -> None:
    """Child sitemaps, skipping those whose <lastmod> did not move."""
    if depth >= MAX_SITEMAP_DEPTH:
        return
    for child in children[:MAX_CHILD_SITEMAPS]:
        child_known = docs(child.url)
        if child.updated and child_known and child_known.entry_updated \
                and not changed_since(child.updated, child_known):
            continue
        _visit(child.url, "sitemap", fetcher, docs, outcome, found, depth + 1, child.updated)


def _robots_sitemaps(url: str, fetcher: Fetcher) -> list[Entry]:
    rules = fetcher.robots.rules(url)
    named = rules.parser.sitemaps if rules.parser is not None else ()
    urls = [u for u in (urljoin(url, s) for s in named) if same_site(u, url)]
    if not urls:
        raise DocumentError("robots.txt names no Sitemap")
    return [Entry(url=u) for u in urls]
