"""The data that messages are rendered from.

Gathering (which reads the database) builds these; rendering (which is
pure) turns them into a subject, a text part and an HTML part. Keeping the
boundary here lets tests render hostile or edge-case data without a store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alerts.payloads import AlertPayload


@dataclass(frozen=True)
class SourceRef:
    """An article (or the seed) that reported something."""

    url: str
    title: str | None = None
    outlet: str | None = None
    published: Any = None  # datetime, date or ISO text
    # The archived copy cited (store.captures): when it was fetched, the
    # SHA-256 of its body and its id (the WARC record's).
    fetched_at: dt.datetime | None = None
    sha256: str | None = None
    archive_id: str | None = None


@dataclass(frozen=True)
class AlertView:
    """One alert and the context its email shows."""

    kind: str  # "figure_change" or "new_raid"
    payload: AlertPayload | None  # None for a kind this version does not know
    id: int | None = None
    created_at: dt.datetime | None = None
    sources: tuple[SourceRef, ...] = ()
    previous_source: SourceRef | None = None
    seed_statement: str | None = None
    seed_source: SourceRef | None = None
    claim_measure: str | None = None
    # The quote inside its sentence(s) in the article: (before, quote, after).
    quote_context: tuple[str, str, str] | None = None
    # The desk's mark ({"verdict", "label", "reason", "at"}) when dismissed.
    dismissed: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class FigurePoint:
    when: dt.date
    value: Any


@dataclass(frozen=True)
class FigureSeries:
    """A tracked figure's known values over time, the seed's first."""

    key: str
    measure: str
    points: tuple[FigurePoint, ...]
    label: str = ""  # the claim's short name ("people rescued")


@dataclass(frozen=True)
class CoverageItem:
    title: str
    url: str
    summary: str
    published: Any = None


@dataclass(frozen=True)
class Corroboration:
    claim: str
    value: Any
    qualifier: str
    source: SourceRef


@dataclass(frozen=True)
class SourceHealth:
    name: str
    problem: str  # "failing" or "unchanged"
    detail: str


@dataclass(frozen=True)
class DigestData:
    """Everything one day's digest shows."""

    day: dt.date
    window_start: dt.datetime
    window_end: dt.datetime
    changes: tuple[AlertView, ...] = ()
    raids: tuple[AlertView, ...] = ()
    coverage: Mapping[str, tuple[CoverageItem, ...]] = field(default_factory=dict)
    corroborations: tuple[Corroboration, ...] = ()
    series: tuple[FigureSeries, ...] = ()
    health: tuple[SourceHealth, ...] = ()
    # Set when the window is cut short at this instant: the digest so far.
    until: dt.datetime | None = None
    timezone: str = "UTC"  # the story's zone: times in the digest are shown in it

    @property
    def coverage_count(self) -> int:
        return sum(len(items) for items in self.coverage.values())

    @property
    def is_empty(self) -> bool:
        """Nothing new that day (source health alone does not make a digest)."""
        return not (self.changes or self.raids or self.coverage or self.corroborations)


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML part shows by `cid:` (attached to the email)."""

    cid: str
    png: bytes
    filename: str


@dataclass(frozen=True)
class RenderedMessage:
    """A finished message before it gets addresses and headers."""

    subject: str
    text: str
    html: str
    images: tuple[InlineImage, ...] = ()
