"""Analysis and delivery for one story.

`alerts.analysis` is pure (text in, findings out); `alerts.detect` is its
database layer and writes alerts whose payloads `alerts.payloads` types;
`alerts.delivery` sends them (outbox, email, digest, Atom, Apprise). The
crawler's daemon, CLI and demo come in through the door below: the names are
imported on first use, so `import alerts` stays cheap for the CLI.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> module that defines it: the few entry points the crawler calls.
_DOOR = {
    "follow_up": "alerts.followup",
    "analyse_and_enqueue": "alerts.followup",
    "FollowUp": "alerts.followup",
    "send_due": "alerts.delivery.outbox",
    "send_digest_if_due": "alerts.delivery.digest",
}

__all__ = sorted(_DOOR)


def __getattr__(name: str) -> Any:
    module = _DOOR.get(name)
    if module is None:
        raise AttributeError(f"module 'alerts' has no attribute {name!r}")
    return getattr(import_module(module), name)
