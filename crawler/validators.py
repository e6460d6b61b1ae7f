"""Conditional-GET state: what the next request of a URL sends (ETag,
Last-Modified, a feed entry's update marker) and what a pass already knows.

The spiders and the poll client read this; only `crawler.persist` writes it.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from crawler.timestamps import marker_is_newer, parse_datetime
from store.models import Article, FetchState


@dataclass(frozen=True)
class Validators:
    """What to send on the next conditional GET, and the feed/sitemap marker."""

    etag: str | None = None
    last_modified: str | None = None
    entry_updated: str | None = None


def stored_validators(fs: FetchState | Row[Any]) -> Validators:
    """A fetch_state row (object or selected columns) as the validators of the
    next request."""
    return Validators(fs.etag, fs.last_modified, fs.entry_updated)


def changed_since(marker: str, known: Validators | None) -> bool:
    """Whether a stored page listed with update marker `marker` may have changed.

    Not when the marker is not newer than the one stored (compared as
    moments), nor when it is no later than the Last-Modified of the copy
    stored (the site's own clock, as the marker's): a sitemap's lastmod for
    a page first fetched through a feed without markers is not news. Our own
    fetch time is no baseline: the site's clock may not be ours.
    """
    if known is None:
        return True
    if known.entry_updated is not None and not marker_is_newer(marker, known.entry_updated):
        return False
    moment, copy_of = parse_datetime(marker), parse_datetime(known.last_modified)
    return not (moment is not None and copy_of is not None and moment <= copy_of)


@dataclass
class KnownState:
    """What the store already knows, loaded once per pass for one source."""

    article_urls: set[str] = field(default_factory=set)
    fetch: Mapping[str, Validators] = field(default_factory=dict)


def load_known(session: Session, source_id: int, source_url: str | None = None) -> KnownState:
    """Stored article URLs (any source: a URL is stored once) and the validators of
    the URLs this source owns, of its own URL whoever fetched it first, and of
    every stored article page whichever source fetched it (a page is the same
    page from any feed, so its update marker must not be lost between sources)."""
    return load_known_all(session, [(source_id, source_url)])[source_id]


def load_known_all(session: Session, sources: Sequence[tuple[int, str | None]]
                   ) -> dict[int, KnownState]:
    """`load_known` for several sources at once: the article URLs and the
    article pages' validators are read once and shared (with nine sources
    and 5,000 articles, reading them per source was most of a pass that
    found nothing new)."""
    f, a = FetchState.__table__, Article.__table__
    columns = (f.c.url, f.c.etag, f.c.last_modified, f.c.entry_updated)
    urls = set(session.scalars(select(a.c.url)))
    pages = {row.url: stored_validators(row)
             for row in session.execute(select(*columns).join(a, a.c.url == f.c.url))}
    known: dict[int, KnownState] = {}
    for source_id, source_url in sources:
        mine = f.c.source_id == source_id
        if source_url:
            mine = or_(mine, f.c.url == source_url)
        own = {row.url: stored_validators(row) for row in session.execute(
                   select(*columns).where(mine, f.c.url.not_in(select(a.c.url))))}
        known[source_id] = KnownState(article_urls=urls, fetch=ChainMap(own, pages))
    return known
