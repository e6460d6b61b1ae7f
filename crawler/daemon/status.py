"""What `compoundwatch status` shows, read from the database only.

Why only the database: the daemon may run on another machine or as another
user; the source health fields, the outbox and the lease row are written by
it as it works, so any process can read them while it runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from alerts.delivery.outbox import pending_summary
from crawler.daemon import lease
from store.config import format_interval
from store.db import session_scope
from store.latency import median_delays
from store.models import Delivery, Source
from store.types import utcnow


@dataclass(frozen=True)
class SourceStatus:
    name: str
    url: str
    kind: str
    every: str
    paused: bool
    last_run_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error: str | None
    last_error_at: dt.datetime | None
    consecutive_failures: int
    next_run_at: dt.datetime | None
    # The same fields as `sources list --json` (one "source" record shape).
    id: int | None = None
    detected_kind: str | None = None
    interval_seconds: int | None = None
    origin: str | None = None
    # Light polling: the interval learned from the publication rhythm, the
    # last poll, the last poll that found an entry, and the median delay
    # from publication to storage over the last day (seconds).
    learned_every: str | None = None
    last_poll_at: dt.datetime | None = None
    last_entry_at: dt.datetime | None = None
    median_delay_seconds: float | None = None

    @property
    def health(self) -> str:
        return source_health(self.paused, self.consecutive_failures, self.last_success_at)


def source_health(paused: bool, failures: int, last_success_at: dt.datetime | None) -> str:
    """paused, failing, ok, or new (never crawled successfully)."""
    if paused:
        return "paused"
    if failures:
        return "failing"
    return "ok" if last_success_at else "new"


@dataclass(frozen=True)
class DeliveryStatus:
    pending: int
    sending: int
    failed: int
    sent: int
    oldest_pending_at: dt.datetime | None
    # The failed deliveries with their last errors (the outbox's summary).
    failures: list[dict[str, Any]]


@dataclass(frozen=True)
class DaemonStatus:
    running: bool
    holder: str | None
    acquired_at: dt.datetime | None
    expires_at: dt.datetime | None


@dataclass(frozen=True)
class Status:
    sources: list[SourceStatus]
    deliveries: DeliveryStatus
    daemon: DaemonStatus

    def rows(self) -> list[dict[str, Any]]:
        """JSON Lines records: one per source, then the deliveries, then the daemon."""
        out: list[dict[str, Any]] = []
        for s in self.sources:
            out.append({"record": "source", **asdict(s), "health": s.health})
        out.append({"record": "deliveries", **asdict(self.deliveries)})
        out.append({"record": "daemon", **asdict(self.daemon)})
        return out


def read_status(engine: Engine, now: dt.datetime | None = None) -> Status:
    """Sources' health, the outbox's counts and the daemon lease, as data."""
    now = now or utcnow()
    with session_scope(engine) as session:
        delays = median_delays(session, now)
        sources = [
            SourceStatus(
                name=s.name, url=s.url, kind=s.detected_kind or s.kind,
                every=format_interval(s.interval_seconds), paused=s.paused,
                last_run_at=s.last_run_at, last_success_at=s.last_success_at,
                last_error=s.last_error, last_error_at=s.last_error_at,
                consecutive_failures=s.consecutive_failures or 0, next_run_at=s.next_run_at,
                id=s.id, detected_kind=s.detected_kind, interval_seconds=s.interval_seconds,
                origin=s.origin,
                learned_every=format_interval(s.poll_interval_seconds)
                if s.poll_interval_seconds else None,
                last_poll_at=s.last_poll_at, last_entry_at=s.last_entry_at,
                median_delay_seconds=delays.get(s.id),
            )
            for s in session.scalars(select(Source).order_by(Source.id))
        ]
        outbox = pending_summary(session)
        oldest = session.scalar(
            select(func.min(Delivery.created_at)).where(Delivery.status == "pending"))
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    deliveries = DeliveryStatus(
        pending=outbox.pending, sending=outbox.sending, failed=outbox.failed, sent=outbox.sent,
        oldest_pending_at=oldest, failures=[dict(vars(f)) for f in outbox.failures],
    )
    held = lease.read_lease(engine)
    running = bool(held and held.expires_at > now
                   and not lease.holder_is_dead(held.holder, held.acquired_at))
    daemon = DaemonStatus(
        running=running,
        holder=held.holder if held else None,
        acquired_at=held.acquired_at if held else None,
        expires_at=held.expires_at if held else None,
    )
    return Status(sources, deliveries, daemon)
