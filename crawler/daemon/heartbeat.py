"""The daemon's main-thread loop: renew the database lease until a stop.

Kept apart from the scheduler wiring in service.py: it is the one place
that decides the daemon has lost its right to run (another holder took the
lease), which is an exit status, not a job failure.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine

from crawler.daemon import lease
from crawler.daemon.log import emit

SIGNAL_POLL_SECONDS = 0.25


def beat_until_stopped(engine: Engine, holder: str, ttl: float,
                       stop_event: threading.Event) -> int:
    """Renew the lease every third of its TTL until `stop_event`; 1 if it was lost."""
    heartbeat = max(0.5, ttl / 3.0)
    next_beat = time.monotonic() + heartbeat
    # Short waits: a signal delivered to another thread only runs its Python
    # handler when the main thread wakes, so a long wait would delay the stop
    # by up to a heartbeat.
    while not stop_event.wait(SIGNAL_POLL_SECONDS):
        if time.monotonic() < next_beat:
            continue
        next_beat = time.monotonic() + heartbeat
        try:
            if not lease.renew(engine, holder, ttl):
                emit("daemon.lease_lost", 40, phase="heartbeat", holder=holder)
                return 1
        except Exception as exc:  # the database is away: keep trying
            emit("daemon.heartbeat_failed", 30, phase="heartbeat", error=str(exc))
    return 0
