"""Syndicated copies: which stored article a newly stored one repeats.

A copy points at its original (`Article.duplicate_of_id`) when a canonical
link within one site names it, when the texts are the same, or when a
simhash within `NEAR_DUPLICATE_BITS` is confirmed by the shingles. The
simhashes of the latest articles and their shingles are kept in a
`DuplicateIndex`: one per crawl process and database, built by whoever
builds the extraction pool, and handed to `crawler.persist.store_article`.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from crawler.discovery.sites import same_registrable_domain
from crawler.fingerprint import (
    NEAR_DUPLICATE_BITS,
    ShingleSketch,
    SimhashWindow,
    may_be_same_text,
    near_duplicate,
    same_shingles,
    shingle_ids,
    sketch,
)
from store.models import Article

# How many recent original articles a new one is compared with for near-duplicates.
NEAR_DUPLICATE_WINDOW = 5000
_ARTICLES = Article.__table__
_SAME_TEXT = select(_ARTICLES.c.id).where(
    _ARTICLES.c.content_hash == bindparam("digest"), _ARTICLES.c.id != bindparam("me")
).order_by(_ARTICLES.c.id).limit(1)


@dataclass(frozen=True)
class NewArticle:
    """What the duplicate check needs of an article just inserted."""

    id: int
    url: str
    canonical_url: str | None
    content_hash: str
    fingerprint: str | None
    published: dt.datetime | None
    text: str


class ShingleCache:
    """Shingles of recent articles, by id and content hash.

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


@dataclass
class FingerprintWindow:
    """The simhashes of the latest articles of one database, topped up with the
    rows added since (`id > last_id`). Reading the whole window for every
    stored article made a pass quadratic in its size (5,000 rows an article)."""

    fingerprints: SimhashWindow = field(default_factory=SimhashWindow)
    last_id: int = 0


class DuplicateIndex:
    """Finds and links the original of each article a crawl process stores.

    Its caches describe one database; a process writing to two keeps two.
    """

    def __init__(self, window_size: int = NEAR_DUPLICATE_WINDOW, exact_size: int = 500) -> None:
        self.window_size = window_size
        self.shingles = ShingleCache(window_size, exact_size)
        self.window = FingerprintWindow()
        # Set in session.info once the window is topped up in that session's transaction.
        self._fresh_key = object()

    def link(self, session: Session, article: NewArticle) -> None:
        """Point a syndicated copy at its original (canonical link, same or near-same text).

        The article stored first stays the original, whatever the newcomer's
        date or canonical link says (a page's own claims: one claiming an earlier
        date would take an outlet's article out of analysis and have alerts cite
        it instead). Only the stored article's own word moves it: when its
        canonical link names the newcomer, and it was not analysed yet, the
        newcomer becomes the original (a copy fetched before its original).
        """
        original = self._find_original(session, article)
        if original is None:
            return
        if original.canonical_url == article.url and original.analysed_revision is None:
            for copy in session.scalars(select(Article).where(Article.duplicate_of_id == original.id)):
                copy.duplicate_of_id = article.id
            original.duplicate_of_id = article.id
            return
        session.execute(update(_ARTICLES).where(_ARTICLES.c.id == article.id)
                        .values(duplicate_of_id=original.id))

    def _find_original(self, session: Session, article: NewArticle) -> Article | None:
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
        near = [row_id for row_id in self._window(session).near(mine_fp, NEAR_DUPLICATE_BITS)
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
        mine_sketch = self.shingles.sketch(session, article.id, article.content_hash)
        if mine_sketch is None:
            return None
        mine: frozenset[int] | None = None
        for row_id, digest in candidates:
            theirs = self.shingles.sketch(session, row_id, digest)
            if theirs is None or not may_be_same_text(mine_sketch, theirs):
                continue
            if mine is None:
                mine = frozenset(self.shingles.ids(session, article.id, article.content_hash,
                                               article.text) or ())
            exact = self.shingles.ids(session, row_id, digest)
            if exact is not None and same_shingles(mine, exact, len(exact)):
                return _root(session, session.get(Article, row_id))  # type: ignore[arg-type]
        return None

    def _window(self, session: Session) -> SimhashWindow:
        """Recent article id -> simhash (candidates only: confirmed against the rows).

        Topped up from the database once per transaction (a write batch), not per
        article: the articles this process stores are added as they are stored.
        """
        window = self.window
        if session.info.get(self._fresh_key):
            return window.fingerprints
        newest = session.scalar(select(func.max(Article.id))) or 0
        if newest < window.last_id:  # the database was emptied or replaced
            window = self.window = FingerprintWindow()
        rows = session.execute(
            select(Article.id, Article.fingerprint)
            .where(Article.id > window.last_id, Article.fingerprint.is_not(None))
            .order_by(Article.id.desc())
            .limit(self.window_size)
        ).all()
        for row_id, fp in reversed(rows):
            window.fingerprints.add(row_id, int(fp, 16))
            window.last_id = max(window.last_id, row_id)
        self._trim()
        session.info[self._fresh_key] = True
        return window.fingerprints

    def remember(self, session: Session, article: NewArticle) -> None:
        """Add an article just stored to the window, so later pages of the batch see it."""
        if article.fingerprint is None or not session.info.get(self._fresh_key):
            return
        window = self.window
        window.fingerprints.add(article.id, int(article.fingerprint, 16))
        window.last_id = max(window.last_id, article.id)
        self._trim()

    def _trim(self) -> None:
        # Ids arrive in ascending order, so the first ones are the oldest.
        excess = len(self.window.fingerprints) - self.window_size
        if excess > 0:
            self.window.fingerprints.drop_oldest(excess)


def _root(session: Session, article: Article) -> Article:
    seen = {article.id}
    while article.duplicate_of_id is not None and article.duplicate_of_id not in seen:
        seen.add(article.duplicate_of_id)
        parent = session.get(Article, article.duplicate_of_id)
        if parent is None:
            break
        article = parent
    return article
