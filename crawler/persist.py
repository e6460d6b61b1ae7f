"""The crawler's database writes: articles and revisions, duplicates, fetch
state and source health. Callers own the session (and its transaction)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crawler.extract import Extracted
from crawler.fingerprint import content_hash, near_duplicate, same_text, simhash
from store.models import Article, ArticleRevision, FetchState, Source
from store.types import utcnow

# How many recent original articles a new one is compared with for near-duplicates.
NEAR_DUPLICATE_WINDOW = 5000


@dataclass(frozen=True)
class Validators:
    """What to send on the next conditional GET, and the feed/sitemap marker."""

    etag: str | None = None
    last_modified: str | None = None
    entry_updated: str | None = None


@dataclass
class KnownState:
    """What the store already knows, loaded once per pass for one source."""

    article_urls: set[str] = field(default_factory=set)
    fetch: dict[str, Validators] = field(default_factory=dict)


def load_known(session: Session, source_id: int, source_url: str | None = None) -> KnownState:
    """Stored article URLs (any source: a URL is stored once) and the validators of
    the URLs this source owns, and of its own URL whoever fetched it first."""
    urls = set(session.scalars(select(Article.url)))
    owned = FetchState.source_id == source_id
    if source_url:
        owned = or_(owned, FetchState.url == source_url)
    fetch = {
        fs.url: Validators(fs.etag, fs.last_modified, fs.entry_updated)
        for fs in session.scalars(select(FetchState).where(owned))
    }
    return KnownState(article_urls=urls, fetch=fetch)


def record_fetch(
    session: Session, source_id: int, url: str, status: int, validators: Validators
) -> None:
    """Remember a URL's validators and last status (the marker only when given)."""
    fs = session.scalars(select(FetchState).where(FetchState.url == url)).first()
    if fs is None:
        fs = FetchState(url=url, source_id=source_id)
        session.add(fs)
    # The first source to fetch a URL owns it (a URL is stored once).
    if fs.source_id is None:
        fs.source_id = source_id
    fs.last_status = status
    fs.fetched_at = utcnow()
    if status != 304:
        fs.etag = validators.etag
        fs.last_modified = validators.last_modified
    if validators.entry_updated is not None:
        fs.entry_updated = validators.entry_updated


def store_article(session: Session, source_id: int, url: str, art: Extracted) -> str:
    """Insert or revise the article at `url`: returns "new", "updated" or "unchanged"."""
    digest = content_hash(art.text)
    existing = session.scalars(select(Article).where(Article.url == url)).first()
    now = utcnow()
    if existing is not None:
        if existing.content_hash == digest:
            return "unchanged"
        existing.revision += 1
        _apply(existing, art, digest)
        existing.updated_at = now
        existing.needs_analysis = True
        existing.revisions.append(ArticleRevision(
            revision=existing.revision, title=art.title, text=art.text, content_hash=digest))
        return "updated"
    article = Article(url=url, source_id=source_id, revision=1, needs_analysis=True, fetched_at=now)
    _apply(article, art, digest)
    article.revisions.append(ArticleRevision(
        revision=1, title=art.title, text=art.text, content_hash=digest))
    session.add(article)
    session.flush()
    _link_duplicate(session, article)
    return "new"


def _apply(article: Article, art: Extracted, digest: str) -> None:
    article.title = art.title
    article.author = art.author
    article.summary = art.summary
    article.published = art.published
    article.language = art.language
    article.text = art.text
    article.canonical_url = art.canonical_url
    article.content_hash = digest
    article.fingerprint = simhash(art.text)


def _link_duplicate(session: Session, article: Article) -> None:
    """Point a syndicated copy at its original (canonical link, same or near-same text)."""
    original = _find_original(session, article)
    if original is None:
        return
    # The earlier-published one is the original, whichever was fetched first,
    # unless the other was already analysed (its alerts stand).
    if (
        original.analysed_revision is None
        and article.published is not None
        and original.published is not None
        and article.published < original.published
    ):
        for copy in session.scalars(select(Article).where(Article.duplicate_of_id == original.id)):
            copy.duplicate_of_id = article.id
        original.duplicate_of_id = article.id
        return
    article.duplicate_of_id = original.id


def _find_original(session: Session, article: Article) -> Article | None:
    if article.canonical_url and article.canonical_url != article.url:
        target = session.scalars(
            select(Article).where(Article.url == article.canonical_url, Article.id != article.id)
        ).first()
        if target is not None:
            return _root(session, target)
    same = session.scalars(
        select(Article)
        .where(Article.content_hash == article.content_hash, Article.id != article.id)
        .order_by(Article.id)
    ).first()
    if same is not None:
        return _root(session, same)
    if article.fingerprint is None:
        return None
    rows = session.execute(
        select(Article.id, Article.fingerprint)
        .where(Article.fingerprint.is_not(None), Article.duplicate_of_id.is_(None),
               Article.id != article.id)
        .order_by(Article.id.desc())
        .limit(NEAR_DUPLICATE_WINDOW)
    ).all()
    for row_id, fp in rows:
        if near_duplicate(article.fingerprint, fp):
            candidate = session.get(Article, row_id)
            if candidate is not None and same_text(article.text, candidate.text):
                return _root(session, candidate)
    return None


def _root(session: Session, article: Article) -> Article:
    seen = {article.id}
    while article.duplicate_of_id is not None and article.duplicate_of_id not in seen:
        seen.add(article.duplicate_of_id)
        parent = session.get(Article, article.duplicate_of_id)
        if parent is None:
            break
        article = parent
    return article


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
