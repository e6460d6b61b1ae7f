"""The poller's reads and writes: stored validators of documents and articles,
a source's recent publication times, and a poll's outcome on the source.
Callers own the session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import desc, select
from sqlalchemy.orm import Session

from crawler.persist import record_fetch
from crawler.poll.poller import Document
from crawler.validators import Validators, stored_validators
from store.models import Article, FetchState, Source
from store.types import utcnow

IN_CHUNK = 500


@dataclass(frozen=True)
class PollTarget:
    """What a poll needs of its source row."""

    id: int
    name: str
    url: str
    kind: str
    detected_kind: str | None
    every: int
    learned: int | None
    failures: int
    ever_succeeded: bool


def poll_target(session: Session, source_id: int) -> PollTarget | None:
    """The source to poll (None: gone or paused)."""
    s = session.get(Source, source_id)
    if s is None or s.paused:
        return None
    return PollTarget(s.id, s.name, s.url, s.kind, s.detected_kind, s.interval_seconds,
                      s.poll_interval_seconds, s.consecutive_failures or 0,
                      s.last_success_at is not None)


def document_validators(session: Session, url: str) -> Validators | None:
    row = session.execute(select(FetchState.etag, FetchState.last_modified,
                                 FetchState.entry_updated).where(FetchState.url == url)).first()
    return stored_validators(row) if row is not None else None


def stored_articles(session: Session, urls: Sequence[str]) -> dict[str, Validators | None]:
    """Stored article URLs among `urls`, with their page validators (None: none kept)."""
    out: dict[str, Validators | None] = {}
    for i in range(0, len(urls), IN_CHUNK):
        chunk = list(urls[i:i + IN_CHUNK])
        rows = session.execute(
            select(Article.url, FetchState.etag, FetchState.last_modified,
                   FetchState.entry_updated)
            .outerjoin(FetchState, FetchState.url == Article.url)
            .where(Article.url.in_(chunk))).all()
        for row in rows:
            out[row.url] = stored_validators(row) if row.entry_updated or row.etag \
                or row.last_modified else None
    return out


def recent_publications(session: Session, source_id: int, limit: int = 12) -> list[dt.datetime]:
    """When the source's latest stored articles were published (else fetched)."""
    rows = session.execute(
        select(Article.published, Article.fetched_at).where(Article.source_id == source_id)
        .order_by(desc(Article.id)).limit(limit)).all()
    return [_aware(p or f) for p, f in rows if (p or f) is not None]


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def record_documents(session: Session, source_id: int, documents: Iterable[Document]) -> None:
    """Remember the documents' validators (only once their entries are stored)."""
    for doc in documents:
        if doc.status != 304:
            record_fetch(session, source_id, doc.url, doc.status, doc.validators)


@dataclass(frozen=True)
class PollRecord:
    """A poll's outcome, as written on the source."""

    error: str | None
    learned: int
    next_run: dt.datetime
    found_entries: bool
    new_articles: int


def record_poll(session: Session, source_id: int, outcome: PollRecord,
                now: dt.datetime | None = None) -> None:
    source = session.get(Source, source_id)
    if source is None:
        return
    now = now or utcnow()
    source.last_run_at = source.last_poll_at = now
    source.poll_interval_seconds = outcome.learned
    source.next_run_at = outcome.next_run
    if outcome.found_entries:
        source.last_entry_at = now
    if outcome.new_articles:
        source.last_new_article_at = now
    if outcome.error:
        source.last_error = outcome.error[:2000]
        source.last_error_at = now
        source.consecutive_failures = (source.consecutive_failures or 0) + 1
    else:
        source.last_success_at = now
        source.consecutive_failures = 0
