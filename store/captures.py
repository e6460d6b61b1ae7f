"""Store-side queries of the archive: the pointer each revision keeps to its
archived copy, and which copy an alert cites. Callers own the session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from store.archive import ArchiveError, CapturePointer, read_capture, read_span
from store.models import ArticleCapture, ArticleRevision

_INSERT_CAPTURE = insert(ArticleCapture.__table__)


@dataclass(frozen=True)
class CaptureRef:
    """One revision's archived copy, as views and exports use it."""

    article_id: int
    revision: int
    url: str
    status: int
    fetched_at: dt.datetime
    sha256: str
    record_id: str
    warc_file: str
    offset: int
    length: int


def record_pointer(session: Session, article_id: int, revision_id: int,
                   pointer: CapturePointer) -> None:
    """Keep a revision's pointer (in the caller's transaction: commit after `sync()`)."""
    session.connection().execute(_INSERT_CAPTURE, {
        "article_id": article_id, "revision_id": revision_id, "record_id": pointer.record_id,
        "url": pointer.url[:2048], "status": pointer.status, "warc_file": pointer.warc_file,
        "offset": pointer.offset, "length": pointer.length, "sha256": pointer.sha256,
        "fetched_at": pointer.fetched_at})


def captures_of(session: Session, article_ids: Iterable[int]) -> dict[int, list[CaptureRef]]:
    """Every archived copy of these articles, oldest revision first, by article id."""
    ids = sorted(set(article_ids))
    out: dict[int, list[CaptureRef]] = {i: [] for i in ids}
    if not ids:
        return out
    c, r = ArticleCapture, ArticleRevision
    rows = session.execute(
        select(c.article_id, r.revision, c.url, c.status, c.fetched_at, c.sha256, c.record_id,
               c.warc_file, c.offset, c.length)
        .join(r, r.id == c.revision_id)
        .where(c.article_id.in_(ids))
        .order_by(c.article_id, r.revision))
    for row in rows:
        out[row.article_id].append(CaptureRef(*row))
    return out


def copy_as_of(copies: Sequence[CaptureRef], moment: dt.datetime | None) -> CaptureRef | None:
    """The copy an alert raised at `moment` cites: the latest fetched by then
    (the revision it was raised from), else the first one (a report added later)."""
    if not copies:
        return None
    if moment is not None:
        before = [c for c in copies if c.fetched_at <= moment]
        if before:
            return before[-1]
    return copies[0]


def check_copy(directory: Path, ref: CaptureRef) -> str | None:
    """None when the archived copy reads back with its stored hash, else the problem."""
    try:
        back = read_capture(read_span(directory, ref.warc_file, ref.offset, ref.length))
    except ArchiveError as exc:
        return f"{ref.warc_file}: {exc}" if not str(exc).startswith(ref.warc_file) else str(exc)
    if back.record_id != ref.record_id:
        return f"{ref.warc_file}: the record at offset {ref.offset} is not {ref.record_id}"
    if back.sha256 != ref.sha256:
        return (f"{ref.warc_file}: the body of {ref.record_id} has sha256 {back.sha256}, "
                f"not the stored {ref.sha256}")
    return None
