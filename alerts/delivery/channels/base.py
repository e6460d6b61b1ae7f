"""The contract every channel's transport follows.

A transport gets a finished message and sends it; it never reads the
database. Failure is a `TransportError` that says whether trying again could
help (`permanent=False`: server down, 4xx, timeout) or not (`permanent=True`:
5xx, recipient rejected for good), which is all the outbox needs to decide
between backoff and "failed".
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from store.config import Config
    from store.models import Delivery


class TransportError(Exception):
    """A send failed; `permanent` says whether retrying is pointless."""

    def __init__(self, message: str, *, permanent: bool, recipient: str | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.recipient = recipient

    def __str__(self) -> str:
        kind = "permanent" if self.permanent else "temporary"
        return f"{kind}: {self.args[0]}"


@dataclass(frozen=True)
class RetryPolicy:
    """How a channel backs off: the first delay doubles per attempt up to a cap,
    and after `max_attempts` a delivery is failed for good."""

    backoff_seconds: float
    max_backoff_seconds: float
    max_attempts: int

    def delay(self, attempts: int) -> dt.timedelta:
        seconds = self.backoff_seconds * (2 ** max(attempts - 1, 0))
        return dt.timedelta(seconds=min(seconds, self.max_backoff_seconds))


class Transport(ABC):
    """One channel: `prepare` builds a delivery's message inside the outbox's
    transaction (it may read the database); `send` carries it outside any
    transaction and returns the message's id when the channel has one."""

    channel: ClassVar[str]
    retry: RetryPolicy

    @abstractmethod
    def prepare(self, session: Session, config: Config, delivery: Delivery) -> Any:
        """The message for this delivery (ComposeError when it cannot be built)."""

    @abstractmethod
    def send(self, message: Any, recipient: str) -> str | None:
        """Send, or raise TransportError saying whether a retry could help."""
