"""What follows a crawl, in one place: analyse the articles that need it,
queue their alerts for delivery, and (optionally) send what is due.

The CLI's `crawl`, the daemon and the demo all go through here, so the
order — analysis, then enqueue in the same transaction, then sending — is
the same everywhere: an alert is never raised without its deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from alerts.delivery.channels.atom import refresh_atom_file
from alerts.delivery.outbox import SendSummary, enqueue_alerts, send_due
from alerts.detect import AnalysisSummary, analyse_pending
from store.config import Config
from store.db import session_scope


@dataclass
class FollowUp:
    """What analysis and delivery did after a crawl."""

    analysis: AnalysisSummary
    enqueued: int
    sending: SendSummary = field(default_factory=SendSummary)

    @property
    def alerts_raised(self) -> int:
        return len(self.analysis.alert_ids)


def analyse_and_enqueue(engine: Engine, config: Config) -> FollowUp:
    """Analyse pending articles and queue deliveries for their alerts, in one transaction."""
    with session_scope(engine) as session:
        analysis = analyse_pending(session, config)
        enqueued = enqueue_alerts(session, config)
    refresh_atom_file(engine, config)  # after the commit: the feed shows only what is kept
    return FollowUp(analysis, enqueued)


def follow_up(engine: Engine, config: Config, *, send: bool = True) -> FollowUp:
    """Analyse, enqueue, then send the deliveries that are due (when email is on)."""
    result = analyse_and_enqueue(engine, config)
    if send and config.email.enabled and config.email.recipients:
        result.sending = send_due(engine, config)
    return result
