"""kill -9 while the archive is being written: every record completed before
the kill reads back, and the store never points at a record that is not
fully on disk (write, flush and fsync, then commit the pointer)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from store.archive import ArchiveError, WarcArchive, bare_id, iter_records
from store.captures import CaptureRef, captures_of, check_copy
from store.db import make_engine, session_scope, upgrade
from store.models import Article, ArticleCapture, Source
from tests.evidence.helpers import capture
from tests.support import REPO

pytestmark = pytest.mark.subprocess

ROUNDS = 3


def _complete_records(path: Path) -> tuple[list[str], bool]:
    """The record ids warcio reads from the start of a file, and whether it hit a torn tail."""
    ids: list[str] = []
    try:
        for rec_type, headers, _ in iter_records(path.read_bytes()):
            if rec_type == "response":
                ids.append(bare_id(headers["WARC-Record-ID"]))
    except ArchiveError:
        return ids, True
    return ids, False


def _run_and_kill(db_url: str, directory: Path, first: int, rng: random.Random) -> set[int]:
    """Start a writer, let it commit a few batches, kill -9 it at a random moment;
    the ids it reported committed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.evidence.kill_writer", db_url, str(directory), str(first)],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    committed: set[int] = set()
    for _ in range(rng.randint(2, 4)):
        line = proc.stdout.readline()
        assert line, "the writer died before it was killed"
        committed.update(map(int, line.split()))
    time.sleep(rng.uniform(0.0, 0.25))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    committed.update(map(int, proc.stdout.read().split()))
    return committed


def test_kill_nine_mid_write_leaves_every_pointer_readable(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'kill.db'}"
    directory = tmp_path / "archive"
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        session.add(Source(id=1, name="s", url="http://127.0.0.1:8000/feed/", kind="feed"))
    rng = random.Random(20261202)
    first, torn, orphans = 0, 0, 0
    committed: set[int] = set()
    for _ in range(ROUNDS):
        committed |= _run_and_kill(db_url, directory, first, rng)
        with session_scope(engine) as session:
            stored = session.scalar(select(func.count()).select_from(Article))
            pointed = session.scalar(select(func.count()).select_from(ArticleCapture))
            urls = set(session.scalars(select(Article.url)))
            ids = session.scalars(select(Article.id)).all()
            copies: list[CaptureRef] = [c for cs in captures_of(session, ids).values()
                                        for c in cs]
        # Everything reported committed is stored, and every stored page has its copy.
        assert {capture(i).url for i in committed} <= urls
        assert stored == pointed
        for copy in copies:
            assert check_copy(directory, copy) is None, copy
        by_file: dict[str, set[str]] = {}
        for copy in copies:
            by_file.setdefault(copy.warc_file, set()).add(copy.record_id)
        for path in directory.glob("*.warc.gz"):
            readable, was_torn = _complete_records(path)
            torn += was_torn
            # Reading from the start reaches every record the store points at.
            assert by_file.get(path.name, set()) <= set(readable), path.name
            orphans += len(set(readable) - by_file.get(path.name, set()))
        first = max(committed) + 1000
    engine.dispose()
    # Reported, not asserted (where the kill lands is luck): records written
    # but never pointed at are the kill between sync and commit.
    print(f"torn tails: {torn}, records without a pointer: {orphans}")


def test_a_torn_tail_leaves_the_earlier_records_readable_and_is_never_appended_to(
        tmp_path: Path) -> None:
    """A kill inside a write (or a full disk) cuts the last record short."""
    archive = WarcArchive(tmp_path, 100_000_000)
    pointers = [archive.write(capture(n), {}) for n in range(3)]
    archive.close()
    path = tmp_path / pointers[0].warc_file
    last = pointers[-1]
    with open(path, "r+b") as fh:
        fh.truncate(last.offset + last.length // 2)
    readable, was_torn = _complete_records(path)
    assert was_torn
    assert readable[:2] == [p.record_id for p in pointers[:2]]
    later = WarcArchive(tmp_path, 100_000_000)
    p = later.write(capture(9), {})
    later.close()
    assert p.warc_file != path.name
    assert check_copy(tmp_path, CaptureRef(0, 1, p.url, 200, p.fetched_at, p.sha256,
                                           p.record_id, p.warc_file, p.offset, p.length)) is None
