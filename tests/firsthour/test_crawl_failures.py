"""A crawl with unreachable sources: one line per source naming it and the
reason in words, no traceback unless --debug, and a host whose name does not
resolve is looked up once, not again for its feed or on retries."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clirun import cli_in_process
from tests.support import REPO

pytestmark = pytest.mark.subprocess


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(tmp: Path) -> Path:
    path = tmp / "config.toml"
    path.write_text(
        '[store]\nurl = "sqlite:///cw.db"\n'
        "[crawl]\nallow_private_addresses = true\nretries = 2\ndownload_delay = 0.0\n"
        "autothrottle = false\ntimeout_seconds = 5.0\n"
        '[[sources]]\nname = "gone"\nurl = "http://no-such-outlet.invalid/feed/"\n'
        'kind = "feed"\n'
        f'[[sources]]\nname = "closed"\nurl = "http://127.0.0.1:{_free_port()}/rss"\n'
        'kind = "feed"\n', encoding="utf-8")
    return path


def cw(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=180, cwd=REPO)


def test_each_unreachable_source_is_one_plain_line_without_a_traceback(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert cli_in_process(config, "init").returncode == 0
    result = cw(config, "crawl")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    gone = [line for line in lines if line.startswith("gone: ")]
    closed = [line for line in lines if line.startswith("closed: ")]
    assert len(gone) == 1 and "no-such-outlet.invalid" in gone[0]
    assert "does not resolve" in gone[0]
    assert len(closed) == 1 and "connection refused" in closed[0]
    # Nothing but our own lines: no Scrapy log records at all.
    assert not [line for line in lines if "[scrapy" in line or "ERROR:" in line]


def test_debug_shows_tracebacks_and_a_dead_name_is_not_retried(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert cli_in_process(config, "init").returncode == 0
    result = cw(config, "--debug", "crawl", "--source", "gone")
    assert result.returncode == 0
    assert "Traceback" in result.stderr
    assert "Retrying <GET http://no-such-outlet.invalid" not in result.stderr
    assert ("not fetching http://no-such-outlet.invalid/feed/: robots.txt showed "
            "no-such-outlet.invalid cannot be reached") in result.stderr
