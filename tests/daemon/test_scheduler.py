"""The scheduler's jobs follow the database; a failing job moves out, not loops."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from crawler.daemon.service import Daemon
from store.config import config_from_dict
from store.db import session_scope
from store.sources import add_source, remove_source, set_paused
from store.types import utcnow


@pytest.fixture
def daemon(engine: Engine) -> Iterator[Daemon]:
    config = config_from_dict({"daemon": {"jitter_seconds": 0.0, "max_backoff": "1h"}})
    d = Daemon(config, engine, holder="test:1")
    d.scheduler.start(paused=True)  # jobs are planned but never run here
    yield d
    d.scheduler.shutdown(wait=False)


def _add(engine: Engine, name: str, every: int = 60) -> int:
    with session_scope(engine) as session:
        return add_source(session, f"http://127.0.0.1:1/{name}", name=name,
                          interval_seconds=every).id


def _source_jobs(d: Daemon) -> dict[str, int]:
    return {j.name: int(j.trigger.interval.total_seconds())
            for j in d.scheduler.get_jobs() if j.id.startswith("source:")}


def test_reconcile_follows_sources_added_paused_resumed_and_removed(
    engine: Engine, daemon: Daemon
) -> None:
    _add(engine, "wire")
    _add(engine, "daily", every=120)
    assert daemon.reconcile()
    assert _source_jobs(daemon) == {"wire": 60, "daily": 120}
    assert not daemon.reconcile()  # nothing changed, nothing done

    with session_scope(engine) as session:
        set_paused(session, "wire", True)
    assert daemon.reconcile()
    assert _source_jobs(daemon) == {"daily": 120}

    with session_scope(engine) as session:
        set_paused(session, "wire", False)
        remove_source(session, "daily")
    _add(engine, "portal", every=300)
    assert daemon.reconcile()
    assert _source_jobs(daemon) == {"wire": 60, "portal": 300}


def test_a_changed_interval_reschedules_the_source(engine: Engine, daemon: Daemon) -> None:
    sid = _add(engine, "wire")
    daemon.reconcile()
    from store.models import Source

    with session_scope(engine) as session:
        session.get(Source, sid).interval_seconds = 900
    assert daemon.reconcile()
    assert _source_jobs(daemon) == {"wire": 900}


def test_a_restart_keeps_a_sources_stored_next_run(engine: Engine, daemon: Daemon) -> None:
    from store.models import Source

    sid = _add(engine, "wire")
    later = utcnow() + dt.timedelta(hours=2)
    with session_scope(engine) as session:
        session.get(Source, sid).next_run_at = later
    daemon.reconcile()
    job = daemon.scheduler.get_job(f"source:{sid}")
    assert abs((job.next_run_time - later).total_seconds()) < 1


def test_source_jobs_never_overlap_and_fold_missed_runs(engine: Engine, daemon: Daemon) -> None:
    _add(engine, "wire")
    daemon.reconcile()
    job = next(j for j in daemon.scheduler.get_jobs() if j.id.startswith("source:"))
    assert job.max_instances == 1 and job.coalesce
    assert job.misfire_grace_time == 60
    assert job.executor == "crawl"


def test_a_failing_job_pushes_its_next_run_forward(daemon: Daemon) -> None:
    calls: list[int] = []

    def broken() -> bool:
        calls.append(1)
        raise RuntimeError("the SMTP server is away")

    guarded = daemon._guard("flaky", broken)
    daemon.scheduler.add_job(guarded, IntervalTrigger(seconds=60), id="flaky")
    before = utcnow()
    delays = []
    for _ in range(3):
        assert guarded() is False  # the failure is contained, not raised
        delays.append((daemon.scheduler.get_job("flaky").next_run_time - before)
                      .total_seconds())
    assert len(calls) == 3
    assert 115 < delays[0] < 125 and 235 < delays[1] < 245 and 475 < delays[2] < 485


def test_a_job_that_works_again_clears_its_failures(daemon: Daemon) -> None:
    outcomes = iter([RuntimeError("down"), True])

    def job() -> bool:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    guarded = daemon._guard("flaky", job)
    guarded()
    assert daemon._job_failures == {"flaky": 1}
    assert guarded() is True
    assert daemon._job_failures == {}


def test_the_digest_runs_at_its_hour_in_its_time_zone_and_the_outbox_on_its_interval(
    engine: Engine,
) -> None:
    config = config_from_dict({"digest": {"at": "06:30", "timezone": "Asia/Phnom_Penh"},
                               "daemon": {"outbox_every": "45s"}})
    d = Daemon(config, engine, holder="test:1")
    d.scheduler.start(paused=True)
    try:
        d.schedule_all()
        digest = d.scheduler.get_job("digest")
        fire = digest.trigger.get_next_fire_time(None, dt.datetime(2026, 11, 28, 0, 0,
                                                                    tzinfo=dt.UTC))
        assert fire == dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC)  # 06:30 at UTC+7
        assert digest.coalesce and digest.max_instances == 1 and digest.misfire_grace_time
        outbox = d.scheduler.get_job("outbox")
        assert outbox.trigger.interval.total_seconds() == 45
        assert d.scheduler.get_job("digest-catch-up") is not None
    finally:
        d.scheduler.shutdown(wait=False)
