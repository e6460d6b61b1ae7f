"""The daily digest: queued once per day, sent at the hour, caught up after downtime.

One digest per day holds across restarts because its deliveries have the
unique key `digest:<date>:email:<recipient>`: queuing again is a no-op.
When the daemon was down at the digest hour, `send_digest_if_due` queues
the latest due day's digest as soon as it runs again; missed earlier days
are not sent one by one, but that one digest's window reaches back to the
last digest queued (see digest_data.digest_window).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alerts.delivery.digest_data import gather_digest, latest_due_day, upcoming_day
from alerts.delivery.digest_render import render_digest
from alerts.delivery.message_data import RenderedMessage
from alerts.delivery.outbox import SendSummary, insert_delivery, send_due
from store.config import Config
from store.db import session_scope
from store.models import Delivery
from store.types import utcnow


def digest_key(day: dt.date, recipient: str) -> str:
    return f"digest:{day.isoformat()}:email:{recipient}"


def digest_queued(session: Session, day: dt.date) -> bool:
    return session.scalar(select(Delivery.id).where(Delivery.kind == "digest",
                                                    Delivery.digest_date == day).limit(1)) is not None


def ensure_digest(session: Session, config: Config, day: dt.date, *, force: bool = False,
                  now: dt.datetime | None = None) -> int:
    """Queue `day`'s digest for every recipient unless already queued; how many queued.

    An empty day queues nothing when `digest.send_empty` is false (unless
    `force`, as `digest --send` does).
    """
    if not (config.email.enabled and config.email.recipients):
        return 0
    if not force and not config.digest.send_empty and not digest_queued(session, day):
        if gather_digest(session, config, day).is_empty:
            return 0
    return sum(
        insert_delivery(session, dedup_key=digest_key(day, r), kind="digest", digest_date=day,
                        channel="email", recipient=r, now=now)
        for r in config.email.recipients
    )


def digest_message(session: Session, config: Config, day: dt.date,
                   until: dt.datetime | None = None) -> RenderedMessage:
    """The digest for `day`, rendered (for `digest --print` and `--out`); with
    `until`, only what was collected before it (the digest so far)."""
    return render_digest(gather_digest(session, config, day, until))


class DigestDateError(ValueError):
    """A digest day that cannot be shown (it lies in the future)."""


def check_digest_day(config: Config, day: dt.date, now: dt.datetime | None = None) -> None:
    """Refuse a day after the next digest's: nothing can be collected for it yet."""
    latest = upcoming_day(config, now or utcnow())
    if day > latest:
        raise DigestDateError(
            f"{day} is in the future: the next digest is for {latest} "
            f"(at {config.digest.at} {config.digest.timezone}); leave out --date for it so far.")


def default_day(config: Config, now: dt.datetime | None = None) -> dt.date:
    """The latest day whose digest hour has passed."""
    return latest_due_day(config, now or utcnow())


@dataclass(frozen=True)
class DigestSendResult:
    day: dt.date
    queued: int
    summary: SendSummary


def send_digest(engine: Engine, config: Config, day: dt.date,
                now: dt.datetime | None = None) -> DigestSendResult:
    """Queue `day`'s digest (if not yet) and drain the outbox now."""
    with session_scope(engine) as session:
        queued = ensure_digest(session, config, day, force=True, now=now)
    return DigestSendResult(day, queued, send_due(engine, config, now))


def send_digest_if_due(engine: Engine, config: Config, now: dt.datetime | None = None) -> bool:
    """For the daemon: queue and send the latest due digest; True when one was queued."""
    now = now or utcnow()
    day = latest_due_day(config, now)
    with session_scope(engine) as session:
        queued = ensure_digest(session, config, day, now=now)
    if queued:
        send_due(engine, config, now)
    return bool(queued)
