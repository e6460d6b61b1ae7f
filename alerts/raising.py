"""Raising an alert: one row per dedup key, however many analysers race.

Detection (detect.py for figures, detect_raids.py for raids) builds the typed
payload; this writes it once and counts it in the run's summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.payloads import AlertPayload, to_json
from store.models import Alert, Article


@dataclass
class AnalysisSummary:
    """What one call of `analyse_pending` did."""

    analysed: int = 0
    relevant: int = 0
    observations: int = 0
    raids_reported: int = 0
    alert_ids: list[int] = field(default_factory=list)


def raise_alert(session: Session, key: str, payload: AlertPayload, article: Article,
           summary: AnalysisSummary) -> None:
    key = key[:500]
    if session.scalar(select(Alert.id).where(Alert.dedup_key == key)) is not None:
        return
    alert = Alert(kind=payload.kind, dedup_key=key, payload=to_json(payload),
                  article_id=article.id)
    try:
        # A second analyser that raised the same alert first wins; this one skips it.
        with session.begin_nested():
            session.add(alert)
    except IntegrityError:
        return
    summary.alert_ids.append(alert.id)


def iso_moment(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None
