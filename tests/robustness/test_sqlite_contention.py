"""SQLite with one writer at a time: a crawl runs while CLI commands write to
the same database and another connection holds the write lock for seconds.
No error reaches the user (exit 0, no "database is locked"), and the crawl
stores exactly what an undisturbed crawl of the same site stores."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from store.db import make_engine, session_scope
from store.models import Article, Source
from tests.crawler.conftest import CLI, db_url, make_config
from tests.daemon.helpers import cli
from tests.support import REPO, run_replay

pytestmark = pytest.mark.subprocess

HOLD_SECONDS = 4.0


def _stored(config: Path) -> set[str]:
    engine = make_engine(db_url(config))
    try:
        with session_scope(engine) as session:
            return {u.split("/", 3)[3] for u in session.scalars(select(Article.url))}
    finally:
        engine.dispose()


def _first_article(path: Path, crawl: subprocess.Popen[str], timeout: float = 180) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and crawl.poll() is None:
        conn = sqlite3.connect(path, timeout=30)
        try:
            if conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0:
                return True
        except sqlite3.OperationalError:
            pass
        finally:
            conn.close()
        time.sleep(0.05)
    return False


def _hold_write_lock(path: str, seconds: float, held: list[float]) -> None:
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        conn.execute("UPDATE sources SET paused = paused")
        time.sleep(seconds)
        conn.execute("COMMIT")
        held.append(time.monotonic() - started)
    finally:
        conn.close()


@pytest.mark.slow
def test_cli_writes_and_a_held_write_lock_during_a_crawl_lose_nothing_and_show_no_error(
        tmp_path: Path) -> None:
    with run_replay(phase=2) as replay:
        (tmp_path / "calm").mkdir()
        calm = make_config(tmp_path / "calm", replay)
        done = subprocess.run([*CLI, "--config", str(calm), "crawl", "--json"], check=False,
                              capture_output=True, text=True, cwd=REPO, timeout=240)
        assert done.returncode == 0, done.stderr[-2000:]
        expected = _stored(calm)

        busy_dir = tmp_path / "busy"
        busy_dir.mkdir()
        busy = make_config(busy_dir, replay)
        crawl = subprocess.Popen([*CLI, "--config", str(busy), "crawl", "--json"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 cwd=REPO)
        # Take the lock once the crawl is writing articles, so that it must wait.
        assert _first_article(busy_dir / "crawl.db", crawl), "the crawl stored nothing"
        held: list[float] = []
        locker = threading.Thread(target=_hold_write_lock,
                                  args=(str(busy_dir / "crawl.db"), HOLD_SECONDS, held))
        locker.start()
        writes = [
            cli(busy, "sources", "add", replay.outlets["wire"] + "/extra-section/",
                "--name", "extra", "--kind", "listing"),
            cli(busy, "sources", "pause", "extra"),
            cli(busy, "sources", "resume", "extra"),
            cli(busy, "articles", "--json"),
        ]
        locker.join()
        _, err = crawl.communicate(timeout=240)
    for w in writes:
        assert w.returncode == 0, w.stderr
        assert "locked" not in w.stderr.lower()
    assert crawl.returncode == 0, err[-2000:]
    assert "locked" not in err.lower() and "Traceback" not in err, err[-2000:]
    assert held and held[0] >= HOLD_SECONDS
    assert len(held) == 1
    got = _stored(busy)
    engine = make_engine(db_url(busy))
    with session_scope(engine) as session:
        extra = session.scalars(select(Source).where(Source.name == "extra")).one()
        assert extra.paused is False
    engine.dispose()
    print(f"FIGURES sqlite-lock: lock held {held[0]:.1f}s during the crawl, "
          f"{len(writes)} CLI commands ok, articles {len(got)} vs undisturbed {len(expected)}")
    assert got == expected and len(expected) > 0
