"""A full disk under the SQLite database (a 2 MiB tmpfs mounted by the test):
the crawl fails with a clear message and no traceback, the database passes
PRAGMA integrity_check, and once space returns the next crawl stores the
articles. Mounting needs root: without it the case cannot run here (it is
reported as skipped with that reason, never as passed)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawler.conftest import CLI, make_config
from tests.support import REPO, run_replay

pytestmark = pytest.mark.subprocess


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a 2 MiB tmpfs needs root; the full-disk case did not run")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=False,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"cannot mount a tmpfs as root: {done.stderr}"
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    """Write a filler file until the disk is full; return it."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _crawl(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "--config", str(config), "crawl", "--json"], check=False,
                          capture_output=True, text=True, cwd=REPO, timeout=240)


@pytest.mark.slow
def test_a_full_disk_fails_the_crawl_clearly_keeps_the_database_sound_and_recovers(
        small_disk: Path) -> None:
    with run_replay(phase=2) as replay:
        config = make_config(small_disk, replay)
        db = small_disk / "crawl.db"
        filler = _fill(small_disk)
        full = _crawl(config)
        stat = os.statvfs(small_disk)
        free_when_full = stat.f_bavail * stat.f_frsize
        err_lines = [ln for ln in full.stderr.splitlines()
                     if ln.strip() and not ln.startswith(("20", "MAXRSS"))]
        assert full.returncode == 1, (full.returncode, full.stderr[-2000:])
        assert "Traceback" not in full.stderr, full.stderr[-3000:]
        assert any("full" in ln.lower() and "disk" in ln.lower() for ln in err_lines), \
            full.stderr[-2000:]

        filler.unlink()
        # (SQLite cannot even open a WAL database on a full disk to check it.)
        assert _integrity(db) == "ok"
        again = _crawl(config)
        assert again.returncode == 0, again.stderr[-2000:]
        rows = [json.loads(line) for line in again.stdout.splitlines()]
        assert sum(r["new"] for r in rows) > 0, rows
        assert _integrity(db) == "ok"
    print(f"FIGURES full-disk: free when full={free_when_full} B, exit={full.returncode}, "
          f"message={err_lines[-1][:160]!r}, after space returned new="
          f"{sum(r['new'] for r in rows)}, integrity ok")
