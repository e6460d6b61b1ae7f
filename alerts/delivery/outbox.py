"""The outbox: every message to send is a delivery row, drained with retries.

Detection writes Alert rows; `enqueue_alerts` turns each new alert into one
delivery per channel and recipient (unique dedup keys make it idempotent).
`send_due` claims due deliveries one at a time with a conditional UPDATE
(pending and due, or "sending" for longer than the claim timeout -> sending,
claimed by this worker), so two processes never send one message; it marks
a delivery sent only after the server accepted it, and otherwise backs off
exponentially until the attempt cap marks it failed. A delivery whose alert
the desk dismissed (alerts/feedback.py) is marked "dismissed", not sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from alerts.delivery.channels.apprise import AppriseTransport, apprise_label
from alerts.delivery.channels.base import Transport, TransportError
from alerts.delivery.channels.smtp import SmtpTransport
from alerts.delivery.compose import ComposeError
from alerts.feedback import is_dismissed
from store.config import Config
from store.db import session_scope
from store.models import Alert, Delivery
from store.types import utcnow

log = logging.getLogger(__name__)


@dataclass
class SendSummary:
    """What one drain of the outbox did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dismissed: int = 0  # claimed, then skipped: the desk dismissed its alert
    errors: list[str] = field(default_factory=list)

    @property
    def did_work(self) -> bool:
        return bool(self.sent or self.retrying or self.failed or self.dismissed)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _rowcount(result: Any) -> int:
    """Rows an UPDATE changed (a CursorResult's rowcount)."""
    return int(cast(CursorResult[Any], result).rowcount)


def insert_delivery(session: Session, **values: Any) -> bool:
    """Insert a delivery unless its dedup key exists; True when inserted."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = values.pop("now", None) or utcnow()
    row = {"status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
           "channel": "email", **values}
    stmt = (insert(Delivery).values(**row).on_conflict_do_nothing(index_elements=["dedup_key"])
            .returning(Delivery.id))
    # RETURNING, not rowcount: PostgreSQL reports a skipped conflicting row as 1.
    return session.execute(stmt).first() is not None


def alert_targets(config: Config) -> list[tuple[str, str]]:
    """(channel, recipient) pairs an alert goes to under the current config."""
    targets: list[tuple[str, str]] = []
    if config.email.enabled and config.email.alert_mode == "immediate":
        targets += [("email", r) for r in config.email.recipients]
    targets += [("apprise", apprise_label(u)) for u in config.alerts.apprise_urls]
    return targets


def enqueue_alerts(session: Session, config: Config, alert_ids: list[int] | None = None,
                   now: dt.datetime | None = None) -> int:
    """Queue deliveries for alerts not yet enqueued; returns how many were queued.

    Each alert is claimed by a conditional update of `enqueued_at`, in the
    caller's transaction, so two callers cannot queue it twice. In digest
    mode alerts are marked enqueued without email (the digest carries them).
    The Atom file is not written here but after the commit (channels/atom.py).
    """
    now = now or utcnow()
    query = select(Alert.id).where(Alert.enqueued_at.is_(None)).order_by(Alert.id)
    if alert_ids is not None:
        query = query.where(Alert.id.in_(list(alert_ids)))
    count = 0
    targets = alert_targets(config)
    for alert_id in session.scalars(query).all():
        won = _rowcount(session.execute(
            update(Alert).where(Alert.id == alert_id, Alert.enqueued_at.is_(None))
            .values(enqueued_at=now)
        ))
        if not won:
            continue
        if is_dismissed(session, alert_id):
            continue  # marked wrong or not the story before it was queued
        for channel, recipient in targets:
            count += insert_delivery(session, dedup_key=f"alert:{alert_id}:{channel}:{recipient}",
                                     kind="alert", alert_id=alert_id, channel=channel,
                                     recipient=recipient, now=now)
    return count


def _due(now: dt.datetime, stale_before: dt.datetime) -> Any:
    return or_(
        and_(Delivery.status == "pending", Delivery.next_attempt_at <= now),
        and_(Delivery.status == "sending", Delivery.claimed_at < stale_before),
    )


def claim_next(engine: Engine, worker: str, now: dt.datetime, stale_before: dt.datetime,
               channels: tuple[str, ...]) -> int | None:
    """Claim one due delivery for `worker`; its id, or None when nothing is due."""
    with session_scope(engine) as session:
        query = (select(Delivery.id).where(_due(now, stale_before), Delivery.channel.in_(channels))
                 .order_by(Delivery.next_attempt_at, Delivery.id).limit(1))
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        delivery_id = session.scalars(query).first()
        if delivery_id is None:
            return None
        won = _rowcount(session.execute(
            update(Delivery).where(Delivery.id == delivery_id, _due(now, stale_before))
            .values(status="sending", claimed_by=worker, claimed_at=now,
                    attempts=Delivery.attempts + 1)
        ))
        return delivery_id if won else -1


def _finish(engine: Engine, delivery_id: int, worker: str, **values: Any) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(Delivery).where(Delivery.id == delivery_id, Delivery.claimed_by == worker,
                                   Delivery.status == "sending")
            .values(claimed_by=None, **values)
        )


def transports(config: Config) -> dict[str, Transport]:
    """The channels this config sends through, by the name deliveries carry."""
    found: list[Transport] = [AppriseTransport.from_config(config)]
    if config.email.enabled:
        found.append(SmtpTransport.from_config(config))
    return {t.channel: t for t in found}


def _send_one(engine: Engine, config: Config, delivery_id: int,
              channels: dict[str, Transport]) -> str | None:
    """Compose and send one claimed delivery; the message id when the channel has one."""
    with session_scope(engine) as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        transport, recipient = channels[delivery.channel], delivery.recipient
        message = transport.prepare(session, config, delivery)
    # The network call happens outside any transaction: no lock is held while
    # a slow server makes us wait.
    return transport.send(message, recipient)


def send_due(engine: Engine, config: Config, now: dt.datetime | None = None, *,
             worker: str | None = None, limit: int = 200) -> SendSummary:
    """Drain due deliveries (at most `limit`); never sends one delivery twice at once."""
    now = now or utcnow()
    worker = worker or worker_name()
    stale_before = now - dt.timedelta(seconds=config.email.claim_timeout_seconds)
    channels = transports(config)
    summary = SendSummary()
    for _ in range(limit):
        delivery_id = claim_next(engine, worker, now, stale_before, tuple(channels))
        if delivery_id is None:
            break
        if delivery_id < 0:
            continue  # another worker won that row; look for the next one
        if _dismissed_delivery(engine, delivery_id):
            _finish(engine, delivery_id, worker, status="dismissed")
            summary.dismissed += 1
            continue
        try:
            message_id = _send_one(engine, config, delivery_id, channels)
        except (TransportError, ComposeError) as exc:
            _record_failure(engine, channels, delivery_id, worker, exc, now, summary)
            continue
        except Exception as exc:  # a bug with one message must not block the others
            log.exception("delivery %s could not be prepared", delivery_id)
            _record_failure(engine, channels, delivery_id, worker,
                            TransportError(f"internal error: {exc!r}", permanent=False), now,
                            summary)
            continue
        _finish(engine, delivery_id, worker, status="sent", sent_at=now, message_id=message_id)
        summary.sent += 1
    return summary


def _dismissed_delivery(engine: Engine, delivery_id: int) -> bool:
    """True when the delivery's alert was marked wrong or not the story."""
    with session_scope(engine) as session:
        return is_dismissed(session, session.scalar(
            select(Delivery.alert_id).where(Delivery.id == delivery_id)))


def _record_failure(engine: Engine, channels: dict[str, Transport], delivery_id: int,
                    worker: str, exc: Exception, now: dt.datetime, summary: SendSummary) -> None:
    """Back off by the delivery's channel's policy, or fail it for good."""
    permanent = isinstance(exc, ComposeError) or getattr(exc, "permanent", False)
    with session_scope(engine) as session:
        attempts, channel = session.execute(select(Delivery.attempts, Delivery.channel).where(
            Delivery.id == delivery_id)).one()
    retry = channels[channel].retry
    error = str(exc)[:1000]
    summary.errors.append(f"delivery {delivery_id}: {error}")
    if permanent or (attempts or 0) >= retry.max_attempts:
        _finish(engine, delivery_id, worker, status="failed", last_error=error)
        summary.failed += 1
        log.warning("delivery %s failed for good: %s", delivery_id, error)
    else:
        _finish(engine, delivery_id, worker, status="pending", last_error=error,
                next_attempt_at=now + retry.delay(attempts or 0))
        summary.retrying += 1
        log.info("delivery %s will be retried: %s", delivery_id, error)


@dataclass(frozen=True)
class FailedDelivery:
    id: int
    kind: str
    channel: str
    recipient: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class PendingSummary:
    """Outbox counts for `status`, with the failed deliveries' errors."""

    pending: int
    sending: int
    failed: int
    sent: int
    failures: tuple[FailedDelivery, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"pending": self.pending, "sending": self.sending, "failed": self.failed,
                "sent": self.sent, "failures": [f.__dict__ for f in self.failures]}


def pending_summary(session: Session, max_failures: int = 20) -> PendingSummary:
    counts: dict[str, int] = {
        status: n for status, n in
        session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    }
    failed = session.scalars(select(Delivery).where(Delivery.status == "failed")
                             .order_by(Delivery.id.desc()).limit(max_failures)).all()
    return PendingSummary(
        pending=counts.get("pending", 0), sending=counts.get("sending", 0),
        failed=counts.get("failed", 0), sent=counts.get("sent", 0),
        failures=tuple(FailedDelivery(d.id, d.kind, d.channel, d.recipient, d.attempts,
                                      d.last_error) for d in failed),
    )


def retry_failed(session: Session, now: dt.datetime | None = None) -> int:
    """Make failed deliveries due again (after fixing the cause); how many."""
    return _rowcount(session.execute(
        update(Delivery).where(Delivery.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=now or utcnow())
    ))
