"""The crawler's database writes: articles and revisions (their duplicates
linked by crawler/dedup.py), fetch state and source health. Callers own the
session (and its transaction); conditional-GET state is read through
crawler/validators.py."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from crawler.dedup import DuplicateIndex, NewArticle
from crawler.extract import Extracted
from crawler.fingerprint import (
    content_hash,
    simhash,
)
from crawler.timestamps import later_marker
from crawler.validators import Validators
from store.models import Article, ArticleRevision, FetchState, Source
from store.types import utcnow
from store.urls import MAX_URL_LENGTH

_ARTICLES = Article.__table__
_REVISIONS = ArticleRevision.__table__
_FETCH_STATES = FetchState.__table__


# The statements run for every page, built once (building one cost more CPU
# than SQLite took to run it).
_ARTICLE_BY_URL = select(_ARTICLES.c.id, _ARTICLES.c.content_hash).where(
    _ARTICLES.c.url == bindparam("url"))
_INSERT_ARTICLE = insert(_ARTICLES).returning(_ARTICLES.c.id)
_INSERT_REVISION = insert(_REVISIONS)
_FETCH_BY_URL = select(
    _FETCH_STATES.c.id, _FETCH_STATES.c.source_id, _FETCH_STATES.c.entry_updated
).where(_FETCH_STATES.c.url == bindparam("url"))
_INSERT_FETCH = insert(_FETCH_STATES)
_UPDATE_FETCH = update(_FETCH_STATES).where(_FETCH_STATES.c.id == bindparam("row_id"))


def record_fetch(
    session: Session, source_id: int, url: str, status: int, validators: Validators
) -> None:
    """Remember a URL's validators and last status (the marker only when given).

    Plain SQL statements, not ORM objects: this runs for every page of a
    pass, and the ORM's unit of work cost more than the write itself.
    """
    conn = session.connection()
    row = conn.execute(_FETCH_BY_URL, {"url": url}).first()
    values: dict[str, object] = {"last_status": status, "fetched_at": utcnow()}
    if status != 304:
        values.update(etag=validators.etag, last_modified=validators.last_modified)
    if validators.entry_updated is not None:
        values["entry_updated"] = later_marker(row.entry_updated if row else None,
                                               validators.entry_updated)
    if row is None:
        conn.execute(_INSERT_FETCH, {"url": url, "source_id": source_id, **values})
        return
    # The first source to fetch a URL owns it (a URL is stored once).
    if row.source_id is None:
        values["source_id"] = source_id
    conn.execute(_UPDATE_FETCH, {"row_id": row.id, **values})


def store_article(session: Session, source_id: int, url: str, art: Extracted,
                  dedup: DuplicateIndex) -> str:
    """Insert or revise the article at `url`: returns "new", "updated" or "unchanged".
    A new article is linked to its original through `dedup` (crawler/dedup.py)."""
    digest = art.content_hash or content_hash(art.text)
    found = session.connection().execute(_ARTICLE_BY_URL, {"url": url}).first()
    if found is not None:
        if found.content_hash == digest:
            return "unchanged"
        existing = session.get(Article, found.id)
        assert existing is not None
        existing.revision += 1
        _apply(existing, art, digest)
        existing.updated_at = utcnow()
        existing.needs_analysis = True
        existing.revisions.append(ArticleRevision(
            revision=existing.revision, title=art.title, text=art.text, content_hash=digest))
        # Later pages of the batch are looked up with plain statements, which
        # do not flush the session first.
        session.flush()
        return "updated"
    article = _insert_article(session, source_id, url, art, digest)
    if art.shingles is not None:
        dedup.shingles.put(article.id, digest, art.shingles, art.sketch)
    dedup.link(session, article)
    dedup.remember(session, article)
    return "new"


def _insert_article(session: Session, source_id: int, url: str, art: Extracted,
                    digest: str) -> NewArticle:
    """The article and its first revision, as two INSERTs (no unit of work)."""
    now = utcnow()
    fingerprint = _fingerprint_of(art)
    conn = session.connection()
    article_id = conn.execute(_INSERT_ARTICLE, {
        "url": url, "source_id": source_id, "revision": 1, "needs_analysis": True,
        "fetched_at": now, "title": art.title, "author": art.author, "summary": art.summary,
        "published": art.published, "language": art.language, "text": art.text,
        "canonical_url": stored_canonical(art), "content_hash": digest,
        "fingerprint": fingerprint, **_parts_of(art),
    }).scalar_one()
    conn.execute(_INSERT_REVISION, {
        "article_id": article_id, "revision": 1, "title": art.title, "text": art.text,
        "content_hash": digest, "fetched_at": now})
    return NewArticle(article_id, url, stored_canonical(art), digest, fingerprint,
                       art.published, art.text)


def stored_canonical(art: Extracted) -> str | None:
    """The canonical link as stored: one longer than a URL column holds is
    dropped (it names no page we could have stored)."""
    url = art.canonical_url
    return url if url is not None and len(url) <= MAX_URL_LENGTH else None


def _apply(article: Article, art: Extracted, digest: str) -> None:
    article.title = art.title
    article.author = art.author
    article.summary = art.summary
    article.published = art.published
    article.language = art.language
    article.text = art.text
    article.canonical_url = stored_canonical(art)
    article.content_hash = digest
    article.fingerprint = _fingerprint_of(art)
    for key, value in _parts_of(art).items():
        setattr(article, key, value)


def _parts_of(art: Extracted) -> dict[str, object]:
    """The page's parts beside its body: standfirst, captions, the date's source."""
    return {"standfirst": art.standfirst, "captions": list(art.captions) or None,
            "published_from": art.published_from}


def _fingerprint_of(art: Extracted) -> str | None:
    """The worker's simhash when it identified the text, else computed here."""
    return art.fingerprint if art.content_hash else simhash(art.text)


def record_health(
    session: Session, source_id: int, *, error: str | None, detected_kind: str | None,
    new_articles: int, when: dt.datetime | None = None,
) -> None:
    """Write a pass's outcome on the source for `status` and the digest."""
    source = session.get(Source, source_id)
    if source is None:
        return
    when = when or utcnow()
    source.last_run_at = when
    if detected_kind:
        source.detected_kind = detected_kind
    if new_articles:
        source.last_new_article_at = when
    if error:
        source.last_error = error[:2000]
        source.last_error_at = when
        source.consecutive_failures = (source.consecutive_failures or 0) + 1
    else:
        source.last_success_at = when
        source.consecutive_failures = 0
