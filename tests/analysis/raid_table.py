"""How the rule tables read raids: (province, day or month) of each raid found."""

from __future__ import annotations

import datetime as dt

from alerts.analysis.raids import extract_raids
from alerts.analysis.text import normalise


def raids_found(text: str, published: dt.date, title: str = "") -> list[tuple[str, str]]:
    """Sorted (location, ISO day, or ISO month for a month-only raid) of `text`'s raids."""
    events = extract_raids(title, normalise(text), published)
    return sorted((e.location, e.date.isoformat() if e.precision == "day"
                   else e.date.isoformat()[:7]) for e in events)
