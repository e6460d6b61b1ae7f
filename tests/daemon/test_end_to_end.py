"""The daemon runs the whole pipeline as coverage appears, on PostgreSQL.

The same story on SQLite, with and without kill -9 at random moments, is the
undisturbed and the disturbed run of tests/robustness/test_kill_nine.py: one
run there checks both, instead of playing the corpus twice more here."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.daemon.story import Story
from tests.delivery.smtpd import SmtpServer
from tests.support import Replay, postgres_database, run_replay

pytestmark = pytest.mark.subprocess


@pytest.fixture
def replay() -> Iterator[Replay]:
    with run_replay(phase=0) as r:
        yield r


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.mark.slow
@pytest.mark.postgres
def test_alerts_are_emailed_as_coverage_appears_and_sigterm_ends_it_cleanly(
    tmp_path: Path, pg_url: str, replay: Replay, smtp: SmtpServer
) -> None:
    story = Story.create(tmp_path, replay, smtp, pg_url)
    daemon = story.start()
    try:
        daemon.wait_for("event=daemon.started")
        story.wait_for_pass(daemon, 0)
        story.wait_until_quiet()
        assert [str(m["Subject"]) for m in story.alert_emails()] == []  # the seed alone: nothing
        seen = 0
        for phase in range(1, replay.max_phase + 1):
            mark = len(daemon.log())
            replay.set_phase(phase)
            story.wait_for_pass(daemon, mark)
            story.wait_until_quiet()
            alerts = story.check_every_alert_sent_exactly_once()
            assert alerts >= seen
            seen = alerts
        assert seen >= 5, "the dev corpus holds 16 expected alerts; few were raised"
        started = time.monotonic()
        assert daemon.stop(signal.SIGTERM) == 0
        assert time.monotonic() - started < 10
    finally:
        daemon.kill()
    log = daemon.log()
    assert "event=analyse.done" in log and "event=outbox.done" in log
    assert "level=error" not in log, log[-3000:]
