"""A journalist's marks on alerts: "wrong" or "not the story", with a reason.

A mark dismisses an alert: it is not emailed again (its waiting deliveries
become "dismissed", and the outbox skips any it claims later), and
`alerts --json`, the digest and the web view show the mark. Nothing is
deleted: the alert, its deliveries and the mark stay in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.models import Alert, AlertFeedback, Delivery
from store.types import utcnow

VERDICTS = {"wrong": "wrong", "not_story": "not the story"}
MAX_REASON = 500


class FeedbackError(ValueError):
    """A mark that cannot be stored; the message says what to change."""


def clean_reason(reason: str) -> str:
    """The reason on one line, without control characters; FeedbackError if unusable."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in reason or "").split())
    if not flat:
        raise FeedbackError("Say in a few words why the alert is wrong or not the story.")
    if len(flat) > MAX_REASON:
        raise FeedbackError(f"Keep the reason under {MAX_REASON} characters.")
    return flat


def record_feedback(session: Session, alert_id: int, verdict: str, reason: str,
                    now: dt.datetime | None = None) -> AlertFeedback:
    """Store (or replace) the mark on an alert and stop its waiting deliveries."""
    if verdict not in VERDICTS:
        raise FeedbackError('Choose "wrong" or "not the story".')
    text = clean_reason(reason)
    if session.get(Alert, alert_id) is None:
        raise FeedbackError(f"There is no alert {alert_id}.")
    now = now or utcnow()
    mark = session.scalar(select(AlertFeedback).where(AlertFeedback.alert_id == alert_id))
    if mark is None:
        mark = AlertFeedback(alert_id=alert_id, verdict=verdict, reason=text, created_at=now)
        session.add(mark)
    else:
        mark.verdict, mark.reason, mark.created_at = verdict, text, now
    session.execute(update(Delivery).where(Delivery.alert_id == alert_id,
                                           Delivery.status == "pending")
                    .values(status="dismissed"))
    session.flush()
    return mark


def dismissal(mark: AlertFeedback) -> dict[str, Any]:
    """The `"dismissed"` object of `alerts --json` and the exports."""
    at = mark.created_at.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    return {"verdict": mark.verdict, "label": VERDICTS.get(mark.verdict, mark.verdict),
            "reason": mark.reason, "at": at}


def dismissals(session: Session, alert_ids: Iterable[int] | None = None) -> dict[int, dict[
        str, Any]]:
    """alert id -> its dismissal, for the given alerts (or all)."""
    query = select(AlertFeedback)
    if alert_ids is not None:
        ids = list(alert_ids)
        if not ids:
            return {}
        if len(ids) <= 500:  # beyond that, reading every mark is cheaper than a huge IN
            query = query.where(AlertFeedback.alert_id.in_(ids))
    return {m.alert_id: dismissal(m) for m in session.scalars(query)}


def is_dismissed(session: Session, alert_id: int | None) -> bool:
    if alert_id is None:
        return False
    return session.scalar(select(AlertFeedback.id).where(
        AlertFeedback.alert_id == alert_id)) is not None
