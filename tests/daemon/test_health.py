"""Backoff of failing sources and the health fields the daemon records."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from crawler.daemon.crawl import (
    ChildResult,
    backoff_delay,
    bounded_jitter,
    record_outcome,
    sources_error,
)
from crawler.passes.tally import SourceSummary
from store.db import session_scope
from store.models import Source
from store.sources import add_source

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("interval", "failures", "cap", "expected"),
    [
        (1800, 0, 21600, 1800),   # healthy: the interval itself
        (1800, 1, 21600, 3600),   # doubles with each failure
        (1800, 2, 21600, 7200),
        (1800, 3, 21600, 14400),
        (1800, 4, 21600, 21600),  # capped by max_backoff
        (1800, 60, 21600, 21600),  # and stays capped, without overflow
        (86400, 3, 21600, 86400),  # never shorter than the interval
    ],
)
def test_a_failing_source_backs_off_exponentially_up_to_the_cap(
    interval: int, failures: int, cap: int, expected: int
) -> None:
    assert backoff_delay(interval, failures, cap) == expected


def test_jitter_is_at_most_a_tenth_of_a_short_interval() -> None:
    assert bounded_jitter(30, 2) == pytest.approx(0.2)
    assert bounded_jitter(30, 1800) == 30


@pytest.mark.parametrize(
    ("summaries", "error"),
    [
        ([SourceSummary("wire", new=3)], None),
        ([SourceSummary("wire", error="HTTP 503")], "HTTP 503"),
        ([SourceSummary("wire", error="HTTP 503"), SourceSummary("daily", new=1),
          SourceSummary("zhdaily", error="the pass hit its time limit (60 s)")],
         "HTTP 503; the pass hit its time limit (60 s)"),
    ],
)
def test_a_source_summary_that_reports_an_error_is_a_failure(
    summaries: list[SourceSummary], error: str | None
) -> None:
    assert sources_error(summaries) == error


def _source(engine: Engine) -> int:
    with session_scope(engine) as session:
        return add_source(session, "http://127.0.0.1:1/feed", name="wire",
                          interval_seconds=60).id


def test_failures_push_the_next_run_out_and_a_success_brings_it_back(engine: Engine) -> None:
    sid = _source(engine)
    failed = ChildResult(ok=False, error="HTTP 503")
    no_jitter = lambda _interval: 0.0
    runs = [record_outcome(engine, sid, failed, max_backoff=600, jitter=no_jitter, now=NOW)
            for _ in range(5)]
    assert [(r - NOW).total_seconds() for r in runs] == [120, 240, 480, 600, 600]
    with session_scope(engine) as session:
        src = session.get(Source, sid)
        assert src.consecutive_failures == 5
        assert src.last_error == "HTTP 503"
        assert src.last_error_at == NOW
        assert src.last_success_at is None
        assert src.next_run_at == NOW + dt.timedelta(seconds=600)
    later = NOW + dt.timedelta(minutes=10)
    ok = record_outcome(engine, sid, ChildResult(ok=True), max_backoff=600,
                        jitter=no_jitter, now=later)
    assert ok == later + dt.timedelta(seconds=60)
    with session_scope(engine) as session:
        src = session.get(Source, sid)
        assert src.consecutive_failures == 0
        assert src.last_success_at == later
        assert src.last_error == "HTTP 503"  # kept for `status`, with its time


def test_recording_the_outcome_of_a_removed_source_does_nothing(engine: Engine) -> None:
    assert record_outcome(engine, 999, ChildResult(ok=True), max_backoff=60,
                          jitter=lambda _i: 0.0) is None


def test_a_failure_the_crawler_already_recorded_is_not_counted_twice(engine: Engine) -> None:
    sid = _source(engine)
    with session_scope(engine) as session:  # what crawler.passes.runner wrote for a failed pass
        src = session.get(Source, sid)
        src.consecutive_failures, src.last_error = 2, "HTTP 503"
    reported = ChildResult(ok=False, error="HTTP 503", returncode=0,
                           summaries=[SourceSummary("wire", error="HTTP 503")])
    next_run = record_outcome(engine, sid, reported, max_backoff=3600,
                              jitter=lambda _i: 0.0, now=NOW)
    assert next_run == NOW + dt.timedelta(seconds=240)
    with session_scope(engine) as session:
        assert session.get(Source, sid).consecutive_failures == 2
