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
