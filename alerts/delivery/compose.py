"""What a delivery says: the rendered alert or digest for one outbox row.

Composing reads the database (through context.py and digest_data.py) and
renders purely; the outbox then hands the result to a transport.
"""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy.orm import Session

from alerts.delivery.context import alert_view
from alerts.delivery.digest_data import gather_digest
from alerts.delivery.digest_render import render_digest
from alerts.delivery.mail import build_email, message_id_for
from alerts.delivery.message_data import RenderedMessage
from alerts.delivery.render import render_alert
from store.config import Config
from store.models import Alert, Delivery


class ComposeError(Exception):
    """The delivery's alert or digest cannot be rendered (e.g. the alert was deleted)."""


def render_delivery(session: Session, config: Config, delivery: Delivery) -> RenderedMessage:
    if delivery.kind == "alert":
        alert = session.get(Alert, delivery.alert_id) if delivery.alert_id else None
        if alert is None:
            raise ComposeError(f"alert {delivery.alert_id} no longer exists")
        return render_alert(alert_view(session, alert))
    if delivery.kind == "digest":
        if delivery.digest_date is None:
            raise ComposeError("digest delivery without a date")
        # Email: charts as inline PNGs (Gmail and Outlook strip inline SVG).
        return render_digest(gather_digest(session, config, delivery.digest_date),
                             inline_images=True)
    raise ComposeError(f"unknown delivery kind {delivery.kind!r}")


def compose_email(session: Session, config: Config, delivery: Delivery) -> EmailMessage:
    """The EmailMessage for an email delivery, with its stable Message-ID."""
    rendered = render_delivery(session, config, delivery)
    return build_email(
        rendered,
        sender=config.email.sender,
        recipient=delivery.recipient,
        message_id=message_id_for(delivery.dedup_key, config.email.sender),
        kind=delivery.kind,
    )
