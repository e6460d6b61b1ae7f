"""The Apprise channel: alerts to Slack, Matrix, Telegram, webhooks...

Apprise URLs carry tokens, so they never reach the database or a log line:
a delivery's recipient is a label (`apprise:<scheme>:<hash>`) and the URL is
looked up in the config at send time.
"""

from __future__ import annotations

import hashlib
import logging

import apprise
from sqlalchemy.orm import Session

from alerts.delivery.channels.base import RetryPolicy, Transport, TransportError
from alerts.delivery.message_data import RenderedMessage
from store.config import Config
from store.models import Delivery


def apprise_label(url: str) -> str:
    """A token-free, stable name for an Apprise URL."""
    scheme = url.partition("://")[0][:20] or "url"
    return f"apprise:{scheme}:{hashlib.sha256(url.encode()).hexdigest()[:12]}"


class AppriseTransport(Transport):
    """Sends a message's subject and plain-text part to one Apprise URL."""

    channel = "apprise"

    def __init__(self, urls: tuple[str, ...], retry: RetryPolicy) -> None:
        self._by_label = {apprise_label(u): u for u in urls}
        self.retry = retry

    @classmethod
    def from_config(cls, config: Config) -> AppriseTransport:
        a = config.alerts
        return cls(a.apprise_urls, RetryPolicy(a.apprise_backoff_seconds,
                                               a.apprise_max_backoff_seconds,
                                               a.apprise_max_attempts))

    def prepare(self, session: Session, config: Config, delivery: Delivery) -> RenderedMessage:
        from alerts.delivery.compose import render_delivery

        return render_delivery(session, config, delivery)

    def knows(self, label: str) -> bool:
        return label in self._by_label

    def send(self, message: RenderedMessage, label: str) -> None:
        title, body = message.subject, message.text
        url = self._by_label.get(label)
        if url is None:
            raise TransportError(f"{label} is no longer in alerts.apprise_urls", permanent=True)
        app = apprise.Apprise()
        if not app.add(url):
            raise TransportError(f"{label}: Apprise does not understand this URL", permanent=True)
        # Apprise logs failures with the URL's host; keep its chatter (and any
        # token that might leak into it) out of our logs.
        logger = logging.getLogger("apprise")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        try:
            ok = app.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
        finally:
            logger.setLevel(level)
        if not ok:
            raise TransportError(f"{label}: the service did not accept the notification",
                                 permanent=False)
