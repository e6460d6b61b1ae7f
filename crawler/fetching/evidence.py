"""The crawler's side of the archive: a Scrapy response as a `Capture`, and
the writer that archives the pages a write batch stores.

Order, so that a kill -9 anywhere is safe: the batch's articles are
written (not committed), their records are appended to the WARC file,
the file is flushed and fsynced, the pointers are inserted, and only then
does the batch commit. A kill before the commit leaves records nobody
points at (the pages are fetched again next pass); never a pointer to a
record that is not on disk.
"""

from __future__ import annotations

import http
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scrapy.http import Headers, Response
from scrapy.settings import BaseSettings
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from store.archive import Capture, WarcArchive, archive_dir
from store.captures import record_pointer
from store.config import Config
from store.models import Article, ArticleRevision
from store.types import utcnow

_ARTICLES = Article.__table__
_REVISIONS = ArticleRevision.__table__
# The revision an article URL has now (the one just stored in this transaction).
_CURRENT_REVISION = select(
    _REVISIONS.c.id.label("revision_id"), _ARTICLES.c.id.label("article_id"),
    _ARTICLES.c.revision,
).join(_ARTICLES, (_ARTICLES.c.id == _REVISIONS.c.article_id)
       & (_REVISIONS.c.revision == _ARTICLES.c.revision)
       ).where(_ARTICLES.c.url == bindparam("url"))


def evidence_settings(config: Config) -> dict[str, Any]:
    """The Scrapy settings that switch the archive on and say where it is."""
    ev = config.evidence
    return {
        "EVIDENCE_ENABLED": ev.enabled,
        "EVIDENCE_DIR": str(archive_dir(config)),
        "EVIDENCE_MAX_FILE_BYTES": ev.max_file_bytes,
        "EVIDENCE_ARCHIVE_DISCOVERY": ev.enabled and ev.archive_discovery,
    }


def _pairs(headers: Headers) -> tuple[tuple[str, str], ...]:
    return tuple((name.decode("latin-1"), value.decode("latin-1"))
                 for name, values in headers.items() for value in values)


def capture_of(response: Response) -> Capture:
    """The exchange as fetched (body decoded of chunking and compression, as
    Scrapy hands it over), stamped with the time it arrived."""
    try:
        reason = http.HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    request = response.request
    return Capture(
        url=response.url, status=response.status, reason=reason,
        response_headers=_pairs(response.headers), body=response.body, fetched_at=utcnow(),
        method=request.method if request is not None else "GET",
        request_headers=_pairs(request.headers) if request is not None else ())


# One archive per folder in this process, shared by the pass's spiders (they
# all write from the reactor thread), so a pass adds one file, not one a source.
_SHARED: dict[Path, tuple[WarcArchive, int]] = {}


def _acquire(directory: Path, max_file_bytes: int) -> WarcArchive:
    archive, users = _SHARED.get(directory, (None, 0))
    if archive is None:
        archive = WarcArchive(directory, max_file_bytes)
    _SHARED[directory] = (archive, users + 1)
    return archive


def _release(archive: WarcArchive) -> None:
    held, users = _SHARED.get(archive.directory, (None, 0))
    if held is not archive or users <= 1:
        _SHARED.pop(archive.directory, None)
        archive.close()
    else:
        _SHARED[archive.directory] = (archive, users - 1)


class EvidenceWriter:
    """Archives what a batch stores, inside the batch's transaction."""

    def __init__(self, archive: WarcArchive, archive_discovery: bool = False) -> None:
        self.archive = archive
        self.archive_discovery = archive_discovery

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> EvidenceWriter | None:
        """None when the archive is switched off (or no folder is configured)."""
        directory = settings.get("EVIDENCE_DIR")
        if not settings.getbool("EVIDENCE_ENABLED") or not directory:
            return None
        archive = _acquire(Path(directory), settings.getint("EVIDENCE_MAX_FILE_BYTES"))
        return cls(archive, settings.getbool("EVIDENCE_ARCHIVE_DISCOVERY"))

    def archive_stored(self, session: Session, stored: Sequence[tuple[str, Capture]]) -> int:
        """Archive (article URL, capture) pairs just stored in `session`'s
        transaction: records, then sync, then pointers. The caller commits."""
        if not stored:
            return 0
        conn = session.connection()
        pending = []
        for url, capture in stored:
            row = conn.execute(_CURRENT_REVISION, {"url": url}).first()
            if row is None:
                continue
            pointer = self.archive.write(capture, {
                "article_id": row.article_id, "revision_id": row.revision_id,
                "revision": row.revision, "article_url": url})
            pending.append((row.article_id, row.revision_id, pointer))
        self.archive.sync()
        for article_id, revision_id, pointer in pending:
            record_pointer(session, article_id, revision_id, pointer)
        return len(pending)

    def archive_documents(self, source_id: int, captures: Sequence[Capture]) -> None:
        """Feeds, sitemaps and listings, when `evidence.archive_discovery` asks for it
        (no pointer: they are context, not what an alert cites)."""
        for capture in captures:
            self.archive.write(capture, {"source_id": source_id, "role": "discovery"})
        self.archive.sync()

    def close(self) -> None:
        """Let go of the shared archive (closed, synced, when its last user goes)."""
        _release(self.archive)
