"""The crawler's database writes: articles and revisions, duplicates, fetch
state and source health. Callers own the session (and its transaction)."""

from __future__ import annotations

import datetime as dt
from array import array
from collections import ChainMap, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from crawler.dates import later_marker, marker_is_newer, parse_datetime
from crawler.extract import Extracted
from crawler.fingerprint import (
    NEAR_DUPLICATE_BITS,
    ShingleSketch,
    SimhashWindow,
    content_hash,
    may_be_same_text,
    near_duplicate,
    same_shingles,
    shingle_ids,
    simhash,
    sketch,
)
from crawler.sites import same_registrable_domain
from store.models import Article, ArticleRevision, FetchState, Source
from store.types import utcnow
from store.urls import MAX_URL_LENGTH

# How many recent original articles a new one is compared with for near-duplicates.
NEAR_DUPLICATE_WINDOW = 5000


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


_ARTICLES = Article.__table__
_REVISIONS = ArticleRevision.__table__
_FETCH_STATES = FetchState.__table__


# The statements run for every page, built once (building one cost more CPU
# than SQLite took to run it).
_ARTICLE_BY_URL = select(_ARTICLES.c.id, _ARTICLES.c.content_hash).where(
    _ARTICLES.c.url == bindparam("url"))
_SAME_TEXT = select(_ARTICLES.c.id).where(
    _ARTICLES.c.content_hash == bindparam("digest"), _ARTICLES.c.id != bindparam("me")
).order_by(_ARTICLES.c.id).limit(1)
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


@dataclass(frozen=True)
class _NewArticle:
    """What the duplicate check needs of an article just inserted."""

    id: int
    url: str
    canonical_url: str | None
    content_hash: str
    fingerprint: str | None
    published: dt.datetime | None
    text: str


def store_article(session: Session, source_id: int, url: str, art: Extracted) -> str:
    """Insert or revise the article at `url`: returns "new", "updated" or "unchanged"."""
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
        _SHINGLES.put(article.id, digest, art.shingles, art.sketch)
    _link_duplicate(session, article)
    _remember_fingerprint(session, article)
    return "new"


def _insert_article(session: Session, source_id: int, url: str, art: Extracted,
                    digest: str) -> _NewArticle:
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
    return _NewArticle(article_id, url, stored_canonical(art), digest, fingerprint,
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


def _link_duplicate(session: Session, article: _NewArticle) -> None:
    """Point a syndicated copy at its original (canonical link, same or near-same text).

    The article stored first stays the original, whatever the newcomer's
    date or canonical link says (a page's own claims: one claiming an earlier
    date would take an outlet's article out of analysis and have alerts cite
    it instead). Only the stored article's own word moves it: when its
    canonical link names the newcomer, and it was not analysed yet, the
    newcomer becomes the original (a copy fetched before its original).
    """
    original = _find_original(session, article)
    if original is None:
        return
    if original.canonical_url == article.url and original.analysed_revision is None:
        for copy in session.scalars(select(Article).where(Article.duplicate_of_id == original.id)):
            copy.duplicate_of_id = article.id
        original.duplicate_of_id = article.id
        return
    session.execute(update(_ARTICLES).where(_ARTICLES.c.id == article.id)
                    .values(duplicate_of_id=original.id))


def _find_original(session: Session, article: _NewArticle) -> Article | None:
    # A canonical link names the original only within one site (registrable
    # domain); across sites only the texts decide.
    if (article.canonical_url and article.canonical_url != article.url
            and same_registrable_domain(article.canonical_url, article.url)):
        target = session.scalars(
            select(Article).where(Article.url == article.canonical_url, Article.id != article.id)
        ).first()
        if target is not None:
            return _root(session, target)
    same = session.connection().execute(
        _SAME_TEXT, {"digest": article.content_hash, "me": article.id}).scalar()
    if same is not None:
        return _root(session, session.get(Article, same))  # type: ignore[arg-type]
    if article.fingerprint is None:
        return None
    mine_fp = int(article.fingerprint, 16)
    near = [row_id for row_id in _window(session).near(mine_fp, NEAR_DUPLICATE_BITS)
            if row_id != article.id]
    if not near:
        return None
    # The window may be stale (kept in this process): the rows themselves decide.
    rows = session.execute(
        select(Article.id, Article.fingerprint, Article.content_hash)
        .where(Article.id.in_(near), Article.duplicate_of_id.is_(None))
        .order_by(Article.id.desc())
    ).all()
    candidates = [(row_id, digest) for row_id, fp, digest in rows
                  if near_duplicate(article.fingerprint, fp)]
    if not candidates:
        return None
    mine_sketch = _SHINGLES.sketch(session, article.id, article.content_hash)
    if mine_sketch is None:
        return None
    mine: frozenset[int] | None = None
    for row_id, digest in candidates:
        theirs = _SHINGLES.sketch(session, row_id, digest)
        if theirs is None or not may_be_same_text(mine_sketch, theirs):
            continue
        if mine is None:
            mine = frozenset(_SHINGLES.ids(session, article.id, article.content_hash,
                                           article.text) or ())
        exact = _SHINGLES.ids(session, row_id, digest)
        if exact is not None and same_shingles(mine, exact, len(exact)):
            return _root(session, session.get(Article, row_id))  # type: ignore[arg-type]
    return None


class _ShingleCache:
    """Shingles of recent articles, by id and content hash, kept in this process.

    On a corpus of one topic many simhashes fall within the candidate
    distance (~30 candidates an article at 5,000 articles), and shingling
    each candidate's text again, or even intersecting every candidate's ids,
    cost more than extraction. So each article of the window keeps a 2 KB
    sketch that rules most candidates out exactly (`may_be_same_text`), and
    only the latest articles keep their ids (8 bytes a shingle) for the
    exact check; an older one's text is read and shingled again when needed.
    """

    def __init__(self, size: int, exact_size: int) -> None:
        self.size = size
        self.exact_size = exact_size
        self._sketches: OrderedDict[int, tuple[str | None, ShingleSketch]] = OrderedDict()
        self._ids: OrderedDict[int, tuple[str | None, array[int]]] = OrderedDict()
    def put(self, article_id: int, digest: str | None, ids: bytes,
            made: ShingleSketch | None) -> None:
        """Keep the shingle ids and sketch an extraction worker computed
        (TextIdentity.shingle_bytes: distinct ids, no set to build here)."""
        exact = array("Q", ids)
        self._keep(article_id, digest, exact, made or sketch(exact))

    def sketch(self, session: Session, article_id: int, digest: str | None
               ) -> ShingleSketch | None:
        hit = self._sketches.get(article_id)
        if hit is not None and hit[0] == digest:
            return hit[1]
        ids = self._load(session, article_id, digest)
        return None if ids is None else self._sketches[article_id][1]

    def ids(self, session: Session, article_id: int, digest: str | None,
            text: str | None = None) -> array[int] | frozenset[int] | None:
        """The article's shingle ids (from `text` when given and not kept)."""
        hit = self._ids.get(article_id)
        if hit is not None and hit[0] == digest:
            return hit[1]
        return self._load(session, article_id, digest, text)

    def _load(self, session: Session, article_id: int, digest: str | None,
              text: str | None = None) -> frozenset[int] | None:
        if text is None:
            text = session.scalar(select(Article.text).where(Article.id == article_id))
        if text is None:
            return None
        ids = shingle_ids(text)
        self._keep(article_id, digest, array("Q", ids), sketch(ids))
        return ids

    def _keep(self, article_id: int, digest: str | None, ids: array[int],
              made: ShingleSketch) -> None:
        self._sketches[article_id] = (digest, made)
        self._ids[article_id] = (digest, ids)
        while len(self._sketches) > self.size:
            self._sketches.popitem(last=False)
        while len(self._ids) > self.exact_size:
            self._ids.popitem(last=False)


_SHINGLES = _ShingleCache(NEAR_DUPLICATE_WINDOW, exact_size=500)


@dataclass
class _FingerprintWindow:
    """The simhashes of the latest articles of one database, kept in this
    process and topped up with the rows added since (`id > last_id`).
    Reading the whole window for every stored article made a pass quadratic
    in its size (5,000 rows read per article)."""

    fingerprints: SimhashWindow = field(default_factory=SimhashWindow)
    last_id: int = 0


_WINDOWS: dict[str, _FingerprintWindow] = {}
# Set in session.info once the window is topped up in that session's transaction.
_WINDOW_FRESH = "cw_fingerprint_window_fresh"


def _window_of(session: Session) -> _FingerprintWindow:
    key = str(session.get_bind().engine.url)
    return _WINDOWS.setdefault(key, _FingerprintWindow())


def _window(session: Session) -> SimhashWindow:
    """Recent article id -> simhash (candidates only: confirmed against the rows).

    Topped up from the database once per transaction (a write batch), not per
    article: the articles this process stores are added as they are stored.
    """
    window = _window_of(session)
    if session.info.get(_WINDOW_FRESH):
        return window.fingerprints
    newest = session.scalar(select(func.max(Article.id))) or 0
    if newest < window.last_id:  # the database was emptied or replaced
        window = _WINDOWS[str(session.get_bind().engine.url)] = _FingerprintWindow()
    rows = session.execute(
        select(Article.id, Article.fingerprint)
        .where(Article.id > window.last_id, Article.fingerprint.is_not(None))
        .order_by(Article.id.desc())
        .limit(NEAR_DUPLICATE_WINDOW)
    ).all()
    for row_id, fp in reversed(rows):
        window.fingerprints.add(row_id, int(fp, 16))
        window.last_id = max(window.last_id, row_id)
    _trim_window(window)
    session.info[_WINDOW_FRESH] = True
    return window.fingerprints


def _remember_fingerprint(session: Session, article: _NewArticle) -> None:
    """Add an article just stored to the window, so later pages of the batch see it."""
    if article.fingerprint is None or not session.info.get(_WINDOW_FRESH):
        return
    window = _window_of(session)
    window.fingerprints.add(article.id, int(article.fingerprint, 16))
    window.last_id = max(window.last_id, article.id)
    _trim_window(window)


def _trim_window(window: _FingerprintWindow) -> None:
    # Ids arrive in ascending order, so the first ones are the oldest.
    excess = len(window.fingerprints) - NEAR_DUPLICATE_WINDOW
    if excess > 0:
        window.fingerprints.drop_oldest(excess)


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
