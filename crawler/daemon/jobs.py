"""The daemon's jobs: small functions that do one unit of work and return
whether they did any, callable directly from tests (habit 7).

`DaemonContext` carries what they share. The scheduler is optional: a job
that wants another to run soon (a crawl poking the outbox) asks through
`ctx.poke`, which is a no-op when a test calls the job on its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from crawler.daemon.crawl import (
    ChildRegistry,
    ChildResult,
    bounded_jitter,
    record_outcome,
    run_child,
)
from crawler.daemon.log import emit
from store.config import Config, parse_interval
from store.db import session_scope
from store.models import Source
from store.types import utcnow

OUTBOX_JOB = "outbox"
ANALYSE_JOB = "analyse"
RECONCILE_JOB = "reconcile"
DIGEST_JOB = "digest"
SOURCE_JOB_PREFIX = "source:"


def source_job_id(source_id: int) -> str:
    return f"{SOURCE_JOB_PREFIX}{source_id}"


@dataclass
class DaemonContext:
    """What the jobs share: config, engine, the crawl children, counters."""

    config: Config
    engine: Engine
    config_path: str | None = None
    registry: ChildRegistry = field(default_factory=ChildRegistry)
    # Analysis runs one at a time: a figure change depends on what came before.
    analysis_lock: threading.Lock = field(default_factory=threading.Lock)
    poke: Callable[[str, dt.datetime | None], None] = lambda job_id, when: None
    crawls: int = 0
    rng: random.Random = field(default_factory=random.Random)
    # Set once the crawl forkserver has its imports (the daemon clears it at start).
    warmed: threading.Event = field(default_factory=lambda: _set_event())
    # Full crawl children at once (source jobs may have more threads, for polls).
    crawl_slots: threading.Semaphore | None = None

    @property
    def max_backoff(self) -> float:
        return float(parse_interval(self.config.daemon.max_backoff))

    def jitter(self, interval: float) -> float:
        return self.rng.uniform(0.0, bounded_jitter(self.config.daemon.jitter_seconds, interval))


def _set_event() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


def _counts(summary: Any) -> dict[str, Any]:
    """Numbers of a summary object, for the log line."""
    if summary is None:
        return {}
    if hasattr(summary, "to_dict"):
        data = summary.to_dict()
    elif dataclasses.is_dataclass(summary) and not isinstance(summary, type):
        data = dataclasses.asdict(summary)
    elif isinstance(summary, dict):
        data = summary
    elif isinstance(summary, int) and not isinstance(summary, bool):
        return {"count": summary}
    else:
        return {}
    return {k: v for k, v in data.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)}


def _did_work(counts: dict[str, Any]) -> bool:
    return any(v for v in counts.values())


# --------------------------------------------------------------------------- crawl


def crawl_source(ctx: DaemonContext, source_id: int) -> bool:
    """Crawl one source in a child, record its health, then analyse and enqueue.

    Returns False when there was nothing to do (source gone or paused, or the
    daemon is stopping). The next run is pushed to the backed-off time.
    """
    with session_scope(ctx.engine) as session:
        source = session.get(Source, source_id)
        if source is None or source.paused:
            return False
        name = source.name
    # Logged before the waits: the pass has begun once the job runs, even if
    # the forkserver is still importing (slow on a loaded machine).
    emit("crawl.start", source=name, phase="crawl")
    ctx.warmed.wait(ctx.config.crawl.crawl_timeout_seconds)
    if ctx.registry.stopping.is_set():
        return False
    slots = ctx.crawl_slots
    if slots is not None:
        while not slots.acquire(timeout=0.5):
            if ctx.registry.stopping.is_set():
                return False
    try:
        result = run_child((name,), config_path=ctx.config_path,
                           timeout=ctx.config.crawl.crawl_timeout_seconds, registry=ctx.registry)
    finally:
        if slots is not None:
            slots.release()
    if result.cancelled:
        emit("crawl.cancelled", source=name, phase="crawl", seconds=result.seconds)
        return False
    ctx.crawls += 1
    next_run = record_outcome(ctx.engine, source_id, result, max_backoff=ctx.max_backoff,
                              jitter=ctx.jitter)
    _log_crawl(name, result, next_run)
    if next_run is not None:
        ctx.poke(source_job_id(source_id), next_run)
    # Even a failed or timed-out pass may have stored articles (commits are
    # per article): analyse whatever is pending. A failing analysis is not
    # the source's fault: it is logged, and the periodic analyse job retries.
    try:
        analyse_and_enqueue(ctx)
    except Exception as exc:
        emit("analyse.failed", 40, source=name, phase="analyse",
             error=f"{type(exc).__name__}: {exc}")
    return True


def _log_crawl(name: str, result: ChildResult, next_run: dt.datetime | None) -> None:
    fields: dict[str, Any] = {
        "source": name, "phase": "crawl", "seconds": result.seconds,
        "new": result.count("new"),
        "updated": result.count("updated"),
        "fetched": result.count("fetched"),
        "next_run": next_run,
    }
    if result.ok:
        emit("crawl.done", **fields)
    else:
        emit("crawl.failed", 30, error=result.error, timed_out=result.timed_out, **fields)


# --------------------------------------------------------------------------- analysis


def analyse_and_enqueue(ctx: DaemonContext) -> bool:
    """Analyse pending articles and enqueue their alerts, one analysis at a time."""
    from alerts import analyse_and_enqueue as follow_up

    with ctx.analysis_lock:
        result = follow_up(ctx.engine, ctx.config)
    summary, queued = result.analysis, result.enqueued
    counts = _counts(summary)
    if not _did_work(counts) and not queued:
        return False
    emit("analyse.done", phase="analyse", enqueued=queued, **counts)
    if queued:
        ctx.poke(OUTBOX_JOB, None)
    return True


# --------------------------------------------------------------------------- delivery


def send_outbox(ctx: DaemonContext) -> bool:
    """Send the deliveries that are due (claims make a second sender harmless)."""
    from alerts import send_due

    summary = send_due(ctx.engine, ctx.config)
    counts = _counts(summary)
    if _did_work(counts):
        emit("outbox.done", phase="deliver", **counts)
        return True
    return False


def send_digest(ctx: DaemonContext, now: dt.datetime | None = None) -> bool:
    """Send today's digest if it is due and not sent (also catches up a missed one)."""
    from alerts import send_digest_if_due

    result = send_digest_if_due(ctx.engine, ctx.config, now or utcnow())
    if not result:
        return False
    emit("digest.done", phase="digest", **_counts(result))
    ctx.poke(OUTBOX_JOB, None)
    return True


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class SourcePlan:
    """What the scheduler should know about one active source."""

    id: int
    name: str
    interval_seconds: int
    next_run_at: dt.datetime | None


def active_plans(engine: Engine) -> dict[int, SourcePlan]:
    """The sources that should have a job: every one not paused."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Source.id, Source.name, Source.interval_seconds, Source.next_run_at)
            .where(Source.paused.is_(False))
        ).all()
    return {r.id: SourcePlan(r.id, r.name, r.interval_seconds, r.next_run_at) for r in rows}


def first_run_time(ctx: DaemonContext, plan: SourcePlan,
                   now: dt.datetime | None = None) -> dt.datetime:
    """When a newly scheduled source first runs: its stored next run, or soon.

    A restart keeps each source's rhythm (and its backoff) instead of
    crawling everything at once; a new source starts within its jitter.
    """
    now = now or utcnow()
    if plan.next_run_at is not None and plan.next_run_at > now:
        return plan.next_run_at
    return now + dt.timedelta(seconds=ctx.jitter(plan.interval_seconds))
