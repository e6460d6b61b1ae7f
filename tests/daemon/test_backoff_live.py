"""A source that fails backs off while the daemon runs, and recovers when it answers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.daemon.helpers import DaemonProcess, cli, status_rows, write_config
from tests.support import Replay, run_replay

pytestmark = pytest.mark.subprocess


def _when(line: str, key: str) -> dt.datetime:
    text = re.search(rf"\b{key}=(\S+)", line).group(1).rstrip("Z")
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def replay() -> Iterator[Replay]:
    with run_replay(phase=1) as r:
        yield r


@pytest.mark.slow
def test_a_failing_source_backs_off_and_recovers_when_it_answers_again(
    tmp_path: Path, sqlite_url: str, replay: Replay
) -> None:
    body = f'\n[[sources]]\nname = "wire"\nurl = "{replay.outlets["wire"]}/feed/"\n' \
           'kind = "feed"\nevery = "2s"\n'
    config = write_config(tmp_path / "config.toml", sqlite_url, body,
                          crawl="retries = 0\ndownload_delay = 0.0\n",
                          daemon='max_backoff = "1h"\n')
    assert cli(config, "init").returncode == 0
    replay.add_fault("wire", "/feed/", "status:503", times=2)
    daemon = DaemonProcess(config, tmp_path / "run.log")
    try:
        log = daemon.wait_for("event=crawl.done source=wire", timeout=120)
        failures = [line for line in log.splitlines() if "event=crawl.failed" in line]
        assert len(failures) == 2
        # The next run after each failure: 4 s, then 8 s later (every 2 s, doubled);
        # the log line is written a moment after the delay was computed.
        delays = [(_when(line, "next_run") - _when(line, "ts")).total_seconds()
                  for line in failures]
        assert 2.5 < delays[0] <= 4.1 and 6.5 < delays[1] <= 8.1, delays
        source = next(r for r in status_rows(config) if r["record"] == "source")
        assert source["consecutive_failures"] == 0 and source["health"] == "ok"
        assert "503" in (source["last_error"] or "")
    finally:
        assert daemon.stop() == 0
