"""The daemon runs the whole pipeline as coverage appears, and survives kill -9."""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.daemon.story import Story
from tests.delivery.smtpd import SmtpServer
from tests.support import Replay, run_replay

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


@pytest.mark.slow
def test_alerts_are_emailed_as_coverage_appears_and_sigterm_ends_it_cleanly(
    tmp_path: Path, db_url: str, replay: Replay, smtp: SmtpServer
) -> None:
    story = Story.create(tmp_path, replay, smtp, db_url)
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


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_nothing_and_never_resends_under_a_new_id(
    tmp_path: Path, sqlite_url: str, replay: Replay, smtp: SmtpServer
) -> None:
    story = Story.create(tmp_path, replay, smtp, sqlite_url)
    rng = random.Random(20261128)
    for phase in range(1, replay.max_phase + 1):
        daemon = story.start()
        daemon.wait_for("event=daemon.warmed", timeout=60)
        replay.set_phase(phase)
        time.sleep(rng.uniform(0.5, 9.0))  # mid-crawl, mid-analysis or mid-send
        daemon.kill()
    daemon = story.start()
    try:
        daemon.wait_for("event=daemon.started", timeout=30)
        story.wait_for_pass(daemon, 0)
        story.wait_until_quiet()
        alerts = story.check_every_alert_sent_exactly_once(kills=replay.max_phase)
        assert alerts >= 5
        assert daemon.stop() == 0
    finally:
        daemon.kill()
