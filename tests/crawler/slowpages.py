"""Stand-ins for pathological pages, importable by extraction workers."""

from __future__ import annotations

import time

from crawler.extract import Rejection


def hang(seconds: float) -> Rejection:
    time.sleep(seconds)
    return Rejection("finished")


def spin(seconds: float) -> Rejection:
    """Burn CPU (not sleep) for `seconds` of process time."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return Rejection("spun")
