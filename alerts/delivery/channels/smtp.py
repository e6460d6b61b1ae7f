"""The SMTP transport: one connection per message, typed errors.

Plain, STARTTLS or implicit TLS; login only when a username is set, with
the password from the environment variable the config names. SMTP reply
codes decide permanence: 5xx is permanent, 4xx and network trouble are
temporary. Authentication failures are treated as temporary even when the
server says 535: they are a configuration problem that the operator fixes,
and the message must still go out afterwards instead of being dropped.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

from alerts.delivery.channels.base import RetryPolicy, Transport, TransportError
from store.config import Config
from store.models import Delivery


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool = False
    tls: bool = False
    username: str = ""
    password: str | None = None
    sender: str = "compoundwatch@localhost"
    timeout: float = 30.0
    ca_file: str | None = None

    @classmethod
    def from_config(cls, config: Config) -> SmtpSettings:
        e = config.email
        return cls(host=e.host, port=e.port, starttls=e.starttls, tls=e.tls,
                   username=e.username, password=config.smtp_password(), sender=e.sender,
                   timeout=e.timeout_seconds,
                   ca_file=str(config.resolve_path(e.ca_file)) if e.ca_file else None)


def _reply(code: int, text: bytes | str) -> str:
    msg = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(msg.split())}"[:500]


class SmtpTransport(Transport):
    """Sends one EmailMessage to one envelope recipient."""

    channel = "email"

    def __init__(self, settings: SmtpSettings, retry: RetryPolicy) -> None:
        self.settings = settings
        self.retry = retry

    @classmethod
    def from_config(cls, config: Config) -> SmtpTransport:
        e = config.email
        return cls(SmtpSettings.from_config(config),
                   RetryPolicy(e.backoff_seconds, e.max_backoff_seconds, e.max_attempts))

    def prepare(self, session: Session, config: Config, delivery: Delivery) -> EmailMessage:
        from alerts.delivery.compose import compose_email

        return compose_email(session, config, delivery)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file)
        if s.tls:
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.starttls:
            conn.starttls(context=context)
        return conn

    def send(self, message: EmailMessage, recipient: str) -> str:
        """Send and return the message's Message-ID (stable across retries)."""
        self.deliver(message, recipient)
        return str(message["Message-ID"])

    def deliver(self, message: EmailMessage, recipient: str) -> str:
        """Send and return the server's final reply; TransportError on failure."""
        s = self.settings
        try:
            conn = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"cannot connect to {s.host}:{s.port}: {exc}",
                                 permanent=False) from None
        try:
            if s.username:
                if s.password is None:
                    raise TransportError("SMTP login configured but the password "
                                         "environment variable is empty", permanent=False)
                conn.login(s.username, s.password)
            refused = conn.send_message(message, from_addr=s.sender, to_addrs=[recipient])
            if refused:  # only possible with several recipients; kept for safety
                code, text = refused[recipient]
                raise TransportError(f"recipient {recipient} rejected: {_reply(code, text)}",
                                     permanent=code >= 500, recipient=recipient)
            return "250 accepted"
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (450, b"refused"))
            raise TransportError(f"recipient {recipient} rejected: {_reply(code, text)}",
                                 permanent=code >= 500, recipient=recipient) from None
        except smtplib.SMTPAuthenticationError as exc:
            raise TransportError(f"login refused: {_reply(exc.smtp_code, exc.smtp_error)}",
                                 permanent=False) from None
        except smtplib.SMTPResponseException as exc:
            raise TransportError(f"server refused: {_reply(exc.smtp_code, exc.smtp_error)}",
                                 permanent=exc.smtp_code >= 500) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"SMTP failure: {exc}", permanent=False) from None
        finally:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()
