"""How long a source's articles took to reach the store: the median delay
from publication (the article's own date) to storage, over a window.

`status` shows it per source and the digest flags sources whose articles
arrive late. Articles without a publication time, and delays below zero
(a site's clock ahead of ours) or over two days (an old story found late,
not a slow poll), are left out.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Article
from store.types import utcnow

WINDOW = dt.timedelta(days=1)
MAX_COUNTED_DELAY = dt.timedelta(days=2)


def delay_seconds(published: dt.datetime | None, stored: dt.datetime | None) -> float | None:
    """Seconds from publication to storage, or None when it says nothing of our speed."""
    if published is None or stored is None:
        return None
    published, stored = _aware(published), _aware(stored)
    delay = stored - published
    if delay < dt.timedelta(0) or delay > MAX_COUNTED_DELAY:
        return None
    return delay.total_seconds()


def median_delays(session: Session, now: dt.datetime | None = None,
                  window: dt.timedelta = WINDOW) -> dict[int, float]:
    """Source id -> median publication-to-store seconds of articles stored in the window."""
    since = (now or utcnow()) - window
    rows = session.execute(select(Article.source_id, Article.published, Article.fetched_at)
                           .where(Article.fetched_at >= since,
                                  Article.source_id.is_not(None),
                                  Article.duplicate_of_id.is_(None))).all()
    by_source: dict[int, list[float]] = defaultdict(list)
    for source_id, published, fetched in rows:
        delay = delay_seconds(published, fetched)
        if delay is not None:
            by_source[source_id].append(delay)
    return {sid: statistics.median(v) for sid, v in by_source.items()}


def format_delay(seconds: float | int) -> str:
    """A delay as people say it: "45 s", "12 min", "3.5 h"."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)
