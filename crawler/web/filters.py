"""The filters of each page, parsed from its query string.

Pure: a mapping of query parameters in, a frozen filter out, or a
BadFilter whose message says which parameter is wrong and what it should
be. The same filter drives the page and its export, so an export link is
the page's own query string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode

ALERT_KINDS = ("figure_change", "new_raid")
MAX_TEXT = 200


class BadFilter(ValueError):
    """A query parameter that cannot be used; the message says how to fix it."""


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = " ".join((params.get(name) or "").split())
    if len(value) > MAX_TEXT:
        raise BadFilter(f"{name} is too long: keep it under {MAX_TEXT} characters.")
    return value or None


def _day(params: Mapping[str, str], name: str) -> dt.date | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name}={value[:40]!r} is not a date: use YYYY-MM-DD.") from None


def _page(params: Mapping[str, str]) -> int:
    value = (params.get("page") or "1").strip()
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise BadFilter(f"page={value[:20]!r} is not a page number: use 1, 2, 3...")
    return int(value)


def _choice(params: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    value = (params.get(name) or "").strip()
    if value and value not in choices:
        raise BadFilter(f"{name}={value[:40]!r} is not one of: {', '.join(choices)}.")
    return value or None


def day_start(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time(), dt.timezone.utc)


def day_end(day: dt.date | None) -> dt.datetime | None:
    """The first instant after `day` (UTC), for an inclusive "until"."""
    return None if day is None else day_start(day + dt.timedelta(days=1))


@dataclass(frozen=True)
class Filter:
    """Shared behaviour: the query string of a filter (without the page)."""

    def query(self, **changes: object) -> str:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        pairs = [(k, str(v)) for k, v in values.items()
                 if v not in (None, "", False) and not (k == "page" and v == 1)]
        return urlencode(pairs)

    def active(self) -> bool:
        return any(getattr(self, f.name) not in (None, "", False) for f in fields(self)
                   if f.name != "page")


@dataclass(frozen=True)
class AlertFilter(Filter):
    kind: str | None = None
    claim: str | None = None
    province: str | None = None
    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1


@dataclass(frozen=True)
class RaidFilter(Filter):
    province: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1


@dataclass(frozen=True)
class ArticleFilter(Filter):
    q: str | None = None
    relevant: str | None = None  # "yes", "no" or None (both)
    outlet: str | None = None
    language: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1


@dataclass(frozen=True)
class FigureFilter(Filter):
    claim: str | None = None


def _ordered(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise BadFilter("since is after until: swap them or clear one.")


def alert_filter(params: Mapping[str, str]) -> AlertFilter:
    f = AlertFilter(kind=_choice(params, "kind", ALERT_KINDS), claim=_text(params, "claim"),
                    province=_text(params, "province"), outlet=_text(params, "outlet"),
                    since=_day(params, "since"), until=_day(params, "until"), page=_page(params))
    _ordered(f.since, f.until)
    return f


def raid_filter(params: Mapping[str, str]) -> RaidFilter:
    f = RaidFilter(province=_text(params, "province"), since=_day(params, "since"),
                   until=_day(params, "until"), page=_page(params))
    _ordered(f.since, f.until)
    return f


def article_filter(params: Mapping[str, str]) -> ArticleFilter:
    f = ArticleFilter(q=_text(params, "q"), relevant=_choice(params, "relevant", ("yes", "no")),
                      outlet=_text(params, "outlet"), language=_text(params, "language"),
                      since=_day(params, "since"), until=_day(params, "until"),
                      page=_page(params))
    _ordered(f.since, f.until)
    return f


def figure_filter(params: Mapping[str, str]) -> FigureFilter:
    return FigureFilter(claim=_text(params, "claim"))
