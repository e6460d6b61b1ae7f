"""Lenient date parsing for feeds, sitemaps and pages: always timezone-aware."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_datetime(value: str | None) -> dt.datetime | None:
    """ISO 8601 or RFC 822 text as an aware datetime (UTC when no offset); None if unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        if _DATE_ONLY.match(text):
            return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return plausible(parsed)


# A hostile or broken page may claim year 1 or 9999; such a date is unreadable
# (and near datetime's limits, zone conversions and date arithmetic overflow).
_YEARS = range(1900, 2200)


def plausible(moment: dt.datetime | None) -> dt.datetime | None:
    """The moment when its year could be a news publication date, else None."""
    return moment if moment is not None and moment.year in _YEARS else None


def from_struct_time(value: time.struct_time | None) -> dt.datetime | None:
    """feedparser's *_parsed values (UTC struct_time) as aware datetimes."""
    if value is None:
        return None
    try:
        return plausible(dt.datetime(*value[:6], tzinfo=dt.UTC))
    except (TypeError, ValueError):
        return None


def marker_is_newer(marker: str, stored: str | None) -> bool:
    """Whether a feed's or sitemap's update marker says the page changed since
    `stored` (the marker last seen for it, from any source).

    Compared as moments when both parse: one outlet's feed says
    2022-11-29T10:23:19+07:00 where its sitemap says 2022-11-29T03:23:19+00:00,
    and comparing text had every pass fetch the page again for each of them in
    turn. An older marker (a date-only lastmod, a stale mirror) is not news.
    """
    if stored is None:
        return True
    new, old = parse_datetime(marker), parse_datetime(stored)
    if new is None or old is None:
        return marker != stored
    return new > old


def later_marker(stored: str | None, marker: str) -> str:
    """The marker to keep for a page: `marker`, unless `stored` is a later moment."""
    if stored is None:
        return marker
    new, old = parse_datetime(marker), parse_datetime(stored)
    return stored if new is not None and old is not None and new <= old else marker
