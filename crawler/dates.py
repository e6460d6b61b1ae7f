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
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def from_struct_time(value: time.struct_time | None) -> dt.datetime | None:
    """feedparser's *_parsed values (UTC struct_time) as aware datetimes."""
    if value is None:
        return None
    try:
        return dt.datetime(*value[:6], tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None
