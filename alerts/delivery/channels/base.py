"""The contract every channel's transport follows.

A transport gets a finished message and sends it; it never reads the
database. Failure is a `TransportError` that says whether trying again could
help (`permanent=False`: server down, 4xx, timeout) or not (`permanent=True`:
5xx, recipient rejected for good), which is all the outbox needs to decide
between backoff and "failed".
"""

from __future__ import annotations


class TransportError(Exception):
    """A send failed; `permanent` says whether retrying is pointless."""

    def __init__(self, message: str, *, permanent: bool, recipient: str | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.recipient = recipient

    def __str__(self) -> str:
        kind = "permanent" if self.permanent else "temporary"
        return f"{kind}: {self.args[0]}"
