"""Why mail is (not) going out, in one sentence for `crawl` and `status`.

Counts alone ("15 pending") leave a new user guessing; the outbox already
holds the reason (each waiting delivery's last error and next attempt), and
the config says whether email is on, to whom, and in which mode.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alerts.delivery.plural import plural
from store.config import Config
from store.models import Delivery


@dataclass(frozen=True)
class OutboxFacts:
    """What the outbox holds that explains the mail's state."""

    waiting: int
    waiting_alerts: int
    failed: int
    last_error: str | None
    next_try: dt.datetime | None
    failed_error: str | None


def read_outbox_facts(session: Session) -> OutboxFacts:
    def count(*where: object) -> int:
        return int(session.scalar(select(func.count()).select_from(Delivery).where(*where)) or 0)

    waiting = count(Delivery.status.in_(("pending", "sending")))
    waiting_alerts = count(Delivery.status.in_(("pending", "sending")), Delivery.kind == "alert")
    failed = count(Delivery.status == "failed")
    errored = session.scalars(
        select(Delivery).where(Delivery.status == "pending", Delivery.last_error.is_not(None))
        .order_by(Delivery.next_attempt_at).limit(1)).first()
    failed_row = session.scalars(select(Delivery).where(Delivery.status == "failed")
                                 .order_by(Delivery.id.desc()).limit(1)).first()
    return OutboxFacts(waiting, waiting_alerts, failed,
                       errored.last_error if errored else None,
                       errored.next_attempt_at if errored else None,
                       failed_row.last_error if failed_row else None)


def plain_error(error: str) -> str:
    """'cannot connect to h:25: [Errno 111] Connection refused' -> 'h:25: connection refused'."""
    text = re.sub(r"\[Errno -?\d+\]\s*", "", error).strip()
    text = re.sub(r"^(temporary|permanent): ", "", text)
    text = re.sub(r"^cannot connect to ", "", text)
    return re.sub(r": ([A-Z])([a-z])", lambda m: ": " + m.group(1).lower() + m.group(2), text)


def local_hhmm(moment: dt.datetime, zone: str) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def mail_reasons(config: Config, facts: OutboxFacts) -> list[str]:
    """Sentences saying why mail is not going out (empty when nothing is held up)."""
    email = config.email
    reasons: list[str] = []
    if not email.enabled:
        reasons.append("Email is off (email.enabled = false): nothing is mailed.")
    elif not email.recipients:
        reasons.append("No one to mail: set email.recipients in the config.")
    elif email.alert_mode == "digest":
        reasons.append(f"Alerts are mailed only in the daily digest, at {config.digest.at} "
                       f"{config.digest.timezone} (email.alert_mode = \"digest\").")
    if facts.last_error:
        what = (plural(facts.waiting_alerts, "alert") if facts.waiting_alerts
                else plural(facts.waiting, "message"))
        when = (f", next try {local_hhmm(facts.next_try, config.digest.timezone)}"
                if facts.next_try else "")
        error = plain_error(facts.last_error)
        # "SMTP host:port: ..." for the server's errors, the bare reason for others.
        where = "SMTP " if re.match(r"^\S+:\d+: ", error) else ""
        reasons.append(f"Mail is not going out: {where}{error}; {what} waiting{when}.")
    if facts.failed:
        reasons.append(f"{plural(facts.failed, 'message')} failed for good"
                       + (f" ({plain_error(facts.failed_error)})" if facts.failed_error else "")
                       + "; `compoundwatch status` lists them.")
    return reasons
