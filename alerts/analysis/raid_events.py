"""Raid events from anchors: the sentences of one article that tell one operation.

Sentences pointing to the same province on the same day are one event; on close days
they are one unless they name different premises. An event takes its date from its
best-dated sentence, its counts from its own sentences, its site from any of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from alerts.analysis.dates import DateMention
from alerts.analysis.places import PlaceMention
from alerts.analysis.raid_context import distinct_sites
from alerts.analysis.raid_details import nationalities_of, raid_numbers, site_of

SAME_RAID_DAYS = 4


@dataclass(frozen=True)
class RaidEvent:
    """One raid as an article reports it."""

    location: str
    place: str | None
    date: dt.date
    precision: str  # "day" or "month"
    site: str | None
    arrested: int | None
    rescued: int | None
    nationalities: tuple[str, ...] = ()
    quote: str = ""


@dataclass
class Anchor:
    """A sentence (its index) telling an operation, with what it was read to say."""

    index: int
    date: DateMention
    place: PlaceMention | None
    province: str
    score: int
    sentences: list[str] = field(default_factory=list)
    count_sentences: list[str] = field(default_factory=list)


def merge(anchors: list[Anchor], sentences: list[str]) -> list[RaidEvent]:
    """One event per operation: its best anchor gives province and date, all give counts."""
    groups: list[list[Anchor]] = []
    for a in anchors:
        group = _group_for(a, groups, sentences)
        if group is None:
            groups.append([a])
        else:
            group.append(a)
    events = []
    for g in groups:
        best = max(g, key=lambda a: (a.score, a.date.precision == "day", -a.index))
        day = [a for a in g if a.date.precision == "day"]
        date = best.date if best.date.precision == "day" or not day else day[0].date
        texts = [s for a in g for s in a.sentences]
        counting = [s for a in sorted(g, key=lambda a: -a.score) for s in a.count_sentences]
        place = next((a.place for a in sorted(g, key=lambda a: -a.score) if a.place), None)
        counts = raid_numbers(counting, date.date)
        events.append(RaidEvent(
            location=best.province, place=place.name if place else None,
            date=date.date, precision=date.precision, site=site_of(texts),
            arrested=counts["arrest"], rescued=counts["rescue"],
            nationalities=nationalities_of(texts), quote=sentences[best.index]))
    return events


def _group_for(a: Anchor, groups: list[list[Anchor]], sentences: list[str]
               ) -> list[Anchor] | None:
    """The operation an anchor is part of: one of its province on its very day, else one
    every sentence of which may be of the same operation."""
    mine = [g for g in groups if g[0].province == a.province]
    for g in mine:
        if any((b.date.date, b.date.precision) == (a.date.date, a.date.precision) for b in g):
            return g
    for g in mine:
        if all(_same_operation(a, b, sentences) for b in g):
            return g
    return None


def _same_operation(a: Anchor, b: Anchor, sentences: list[str]) -> bool:
    """Close dates, unless the days differ and the sentences name different premises
    ("a casino hotel" on Wednesday, "a second team entered a compound" on Thursday)."""
    if not close(a.date, b.date):
        return False
    if a.date.date == b.date.date and a.date.precision == b.date.precision:
        return True
    return not distinct_sites(_own_words(a, sentences), _own_words(b, sentences))


def _own_words(a: Anchor, sentences: list[str]) -> str:
    """The anchor's own part of its sentence (one of several raids told in it), else all."""
    return a.sentences[0] if a.sentences else sentences[a.index]


def close(a: DateMention, b: DateMention) -> bool:
    if a.precision == "month" or b.precision == "month":
        return (a.date.year, a.date.month) == (b.date.year, b.date.month)
    return abs((a.date - b.date).days) <= SAME_RAID_DAYS
