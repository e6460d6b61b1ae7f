"""Whether a reported raid is one already known, and which.

Province and a few days are not enough: two sites raided on consecutive
days in one town are two raids, and a raid known only by its month ("in
September police raided a compound") must not swallow one reported with its
day at other premises. A candidate within the window is refused when the
days differ and the two name different kinds of premises; among the rest,
the same day wins, then shared premises, then the same town, then the
nearest date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alerts.analysis.raid_context import different_premises
from alerts.analysis.raids import SAME_RAID_DAYS


@dataclass(frozen=True)
class Known:
    """What matching needs of a known raid."""

    date: dt.date
    precision: str  # "day" or "month"
    site: str | None
    place: str | None


def _same_month(a: dt.date, b: dt.date) -> bool:
    return (a.year, a.month) == (b.year, b.month)


def _shared_premises(a: str | None, b: str | None) -> bool | None:
    """True/False when both name premises of a kind; None when either does not."""
    different = different_premises(a or "", b or "")
    return None if different is None else not different


def match_score(event: Known, known: Known) -> tuple[int, ...] | None:
    """How well `known` fits `event` (higher is better), None when it cannot be it."""
    shared = _shared_premises(event.site, known.site)
    if event.precision == "day" and known.precision == "day":
        gap = abs((event.date - known.date).days)
        if gap > SAME_RAID_DAYS or (gap and shared is False):
            return None
    elif not _same_month(event.date, known.date):
        return None
    elif event.precision == "day" and shared is False:
        return None  # a month-only raid does not take a dated report of other premises
    else:
        gap = 0 if event.precision == known.precision else 15
    same_place = bool(event.place and known.place and event.place == known.place)
    return (int(gap == 0), int(shared is True), int(same_place), -gap)


def best_match(event: Known, candidates: list[Known]) -> int | None:
    """The index of the known raid this report is of, if any."""
    scored = [(s, i) for i, k in enumerate(candidates) if (s := match_score(event, k)) is not None]
    return max(scored)[1] if scored else None
