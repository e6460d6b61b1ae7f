"""A real SMTP server on loopback (aiosmtpd) that records what it accepts.

It can be stopped and started again on the same port, answer 4xx to the
next N messages, reject chosen recipients, or be slow — the failure modes
the outbox must survive.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        msg = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        return msg

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content())


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    temp_fail_next: int = 0
    reject: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow answer; other sessions go on
        with self.lock:
            if self.temp_fail_next > 0:
                self.temp_fail_next -= 1
                return "451 4.3.0 Try again later"
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          bytes(envelope.content)))
        return "250 Message accepted"


class SmtpServer:
    """aiosmtpd's Controller on a fixed loopback port, restartable.

    `starttls` / `implicit_tls` take a server SSLContext; `login` a
    (user, password) pair the server requires before MAIL.
    """

    def __init__(self, port: int | None = None, *, starttls: ssl.SSLContext | None = None,
                 implicit_tls: ssl.SSLContext | None = None,
                 login: tuple[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.handler = Handler()
        self._controller: Controller | None = None
        self.logins: list[tuple[str, bool]] = []
        self._kwargs: dict[str, Any] = {}
        if starttls is not None:
            self._kwargs.update(tls_context=starttls, require_starttls=True)
        if implicit_tls is not None:
            self._kwargs.update(ssl_context=implicit_tls)
        if login is not None:
            # aiosmtpd only counts STARTTLS as TLS for AUTH; with implicit TLS
            # or none (one test, on loopback) AUTH must be allowed "in clear".
            self._kwargs.update(authenticator=self._authenticator(login), auth_required=True,
                                auth_require_tls=starttls is not None)

    def _authenticator(self, expected: tuple[str, str]) -> Any:
        def check(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
            user = auth_data.login.decode() if isinstance(auth_data, LoginPassword) else ""
            ok = isinstance(auth_data, LoginPassword) and (
                user, auth_data.password.decode()) == expected
            self.logins.append((user, ok))
            return AuthResult(success=ok, handled=False)

        return check

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> SmtpServer:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                      **self._kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def subjects(self) -> list[str]:
        return [str(r.message["Subject"]) for r in self.received]
