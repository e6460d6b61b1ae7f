"""How values, qualifiers and dates read in messages (pure functions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

_QUALIFIER_WORDS = {">": "more than", ">=": "at least", "<": "fewer than", "~": "about", "=": ""}


def fmt_number(value: Any) -> str:
    """1100 -> "1,100"; 2.5 -> "2.5"; text stays text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    return str(value)


def fmt_value(value: Any) -> str:
    """A claim value: a number, a [low, high] range ("70,000–100,000") or text."""
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{fmt_number(value[0])}–{fmt_number(value[1])}"
    return fmt_number(value)


def fmt_qualified(value: Any, qualifier: str | None) -> str:
    """A value with its qualifier in words: "more than 500"."""
    words = _QUALIFIER_WORDS.get(qualifier or "=", qualifier or "")
    text = fmt_value(value)
    return f"{words} {text}" if words else text


def numeric(value: Any) -> float | None:
    """A value as one number for charts (a range's midpoint); None for text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
    ):
        return (float(value[0]) + float(value[1])) / 2
    return None


def parse_when(value: Any) -> dt.datetime | dt.date | None:
    """An ISO date or datetime from a payload, or None when absent or unreadable."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None


def fmt_day(value: Any) -> str:
    """28 Sep 2022; "2022-09" (a month) reads "Sep 2022"; unknown reads "date unknown"."""
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        when = parse_when(value)
        return when.strftime("%b %Y") if when else value
    when = parse_when(value)
    if when is None:
        return "date unknown" if not value else str(value)
    return f"{when.day} {when.strftime('%b %Y')}"


def short_label(key: str | None, fallback: str = "") -> str:
    """A claim's short name for subjects: "complaints_preah_sihanouk" -> "complaints preah sihanouk"."""
    if key:
        return key.replace("_", " ").strip()
    words = fallback.split()
    return " ".join(words[:4]) if words else "figure"
