"""A source's polling interval, learned from its publication rhythm.

Pure: publication times in, seconds out. A source that publishes every ten
minutes is polled every few minutes; one that publishes twice a week at its
ceiling. Bounded below by the config's minimum and above by the ceiling
(the source's `every` unless the config sets a maximum).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable

# How many of the latest publications make the rhythm.
RECENT = 12
# Poll this many times per typical gap between two publications.
POLLS_PER_GAP = 4.0
# A source silent for this many typical gaps is slowing down: its interval grows.
QUIET_GAPS = 3.0


def typical_gap(published: Iterable[dt.datetime], now: dt.datetime) -> float | None:
    """The median gap in seconds between the latest publications (None: too few)."""
    times = sorted({t for t in published if t <= now + dt.timedelta(minutes=5)})[-RECENT:]
    if len(times) < 2:
        return None
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    gaps = [g for g in gaps if g > 0]
    return statistics.median(gaps) if gaps else None


def learn_interval(published: Iterable[dt.datetime], now: dt.datetime, floor: float,
                   ceiling: float) -> int:
    """Seconds until the next poll: a quarter of the typical gap, within [floor, ceiling].

    The time since the last publication counts as a gap in progress, so a
    source that stopped publishing drifts back to its ceiling.
    """
    floor = max(1.0, min(floor, ceiling))
    times = list(published)
    gap = typical_gap(times, now)
    if gap is None:
        return int(ceiling)
    latest = max(t for t in times if t <= now + dt.timedelta(minutes=5))
    silent = (now - latest).total_seconds()
    if silent > QUIET_GAPS * gap:
        gap = silent / QUIET_GAPS
    return int(round(min(ceiling, max(floor, gap / POLLS_PER_GAP))))
