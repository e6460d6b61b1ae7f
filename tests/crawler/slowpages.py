"""Stand-ins for pathological pages, importable by extraction workers."""

from __future__ import annotations

import time

from crawler.extract import Rejection


def hang(seconds: float) -> Rejection:
    time.sleep(seconds)
    return Rejection("finished")
