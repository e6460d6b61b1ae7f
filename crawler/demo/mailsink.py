"""A local SMTP sink for the demo: every accepted message lands in a Maildir.

Why a real SMTP server rather than a fake transport: the demo then shows
the product's actual delivery path (outbox, SMTP, retries) end to end, and
the emails it would have sent can be opened afterwards with any mail
client that reads a Maildir (or as plain files in `new/`).
"""

from __future__ import annotations

import mailbox
import socket
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class MaildirHandler:
    """aiosmtpd handler that stores each message, with its envelope, in a Maildir."""

    def __init__(self, folder: Path) -> None:
        self.maildir = mailbox.Maildir(folder, create=True)

    async def handle_DATA(self, server: SMTP, session: Session,  # noqa: N802 (aiosmtpd's name)
                          envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
        message = message_from_bytes(data, policy=policy.default)
        # The envelope is what the server was told; headers may differ (Bcc).
        message["X-Envelope-From"] = envelope.mail_from or ""
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.maildir.add(mailbox.MaildirMessage(message))
        return "250 Message accepted for delivery"


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago (aiosmtpd needs a fixed port up front)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class MailSink:
    """An SMTP server on loopback that writes to `folder`; a context manager."""

    def __init__(self, folder: Path, host: str = "127.0.0.1") -> None:
        self.folder = Path(folder)
        self.host = host
        self.port = 0
        self._controller: Controller | None = None

    def start(self) -> MailSink:
        handler = MaildirHandler(self.folder)
        last_error: Exception | None = None
        for _ in range(5):  # another process may take the port between probe and bind
            port = free_port(self.host)
            controller = Controller(handler, hostname=self.host, port=port,
                                    ready_timeout=10.0)
            try:
                controller.start()
            except Exception as exc:  # noqa: BLE001 (aiosmtpd raises several kinds)
                last_error = exc
                continue
            self._controller, self.port = controller, port
            return self
        raise RuntimeError(f"cannot start the demo's SMTP sink: {last_error}")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def count(self) -> int:
        """How many messages were captured so far."""
        return len(mailbox.Maildir(self.folder, create=True))

    def messages(self) -> list[Any]:
        """The captured messages, parsed with the modern email policy."""
        box = mailbox.Maildir(self.folder, create=True)
        return [message_from_bytes(box.get_bytes(key), policy=policy.default) for key in box.keys()]

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
