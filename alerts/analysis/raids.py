"""Raid events: law-enforcement operations against identified premises in Cambodia.

An article reports a raid when a sentence has an operation word ("raided",
"search of", "inspection", "arrested ... at", 突击检查), a date, and premises
in it or in a neighbouring operation sentence; the province comes from the
sentence, else the nearest earlier sentence naming a Cambodian place, else
the title. Campaign tallies ("92 sites since June", "raids of recent weeks")
and plural operations without a day are not raids. Sentences of one article
that point to the same province and dates within a few days are one event.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from alerts.analysis.dates import DateMention, find_dates
from alerts.analysis.lexicon import (CAMPAIGN, NATIONALITIES, PERSON_HEADS, PREMISES,
                                     RAID_TRIGGERS, concepts_of, mentions_foreign_country)
from alerts.analysis.numbers import parse_chinese
from alerts.analysis.phrases import quantities
from alerts.analysis.places import PlaceMention, find_places
from alerts.analysis.text import split_sentences

SAME_RAID_DAYS = 4
_IN_CAMBODIA = re.compile(r"\b(?:in|across|inside) Cambodia\b|柬埔寨境内|在柬")
_PLURAL_TRIGGER = re.compile(r"\b(?:raids|searches|operations|inspections)\b", re.IGNORECASE)
_NOT_TRIGGER = re.compile(r"\bto be (?:rescued|freed)\b|\basking to be\b", re.IGNORECASE)
_REPORTING = re.compile(
    r"(?:said|says|announced|told\s+\w+|reported|stated|added|confirmed|announcing)"
    r"(?:\s+\w+){0,2}\s+(?:on\s+)?$", re.IGNORECASE)
_MANY_PREMISES = re.compile(
    r"\b(?:more than\s+)?(?:\d[\d,]*|ten|dozens of|hundreds of|several|many)\s+"
    r"(?:\w+\s+)?(?:sites|compounds|locations|buildings|casinos|centres|places|premises)\b"
    , re.IGNORECASE)
_ZH_PREMISES_COUNT = re.compile(r"([一二两三四五六七八九十百千万\d]+)多?处")


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
class _Anchor:
    index: int
    date: DateMention
    place: PlaceMention | None
    province: str
    score: int
    sentences: list[str] = field(default_factory=list)


def _is_campaign(s: str) -> bool:
    if CAMPAIGN.search(s):
        return True
    many = _MANY_PREMISES.search(s)
    if many and not re.search(r"\b(?:two|three|2|3)\s+(?:\w+\s+)?locations\b", many.group(0)):
        return True
    for m in _ZH_PREMISES_COUNT.finditer(s):
        count = parse_chinese(m.group(1))
        if count is not None and count > 3:
            return True  # "九十二处": many sites, a campaign
    return False


def _trigger(s: str) -> re.Match[str] | None:
    for m in RAID_TRIGGERS.finditer(s):
        if not _NOT_TRIGGER.search(s[max(0, m.start() - 12):m.end()]):
            return m
    return None


def _event_date(s: str, trigger: re.Match[str], published: dt.date,
                latest: dt.date | None = None) -> DateMention | None:
    dates = [d for d in find_dates(s, published, latest)
             if d.date <= (latest or published) and not _REPORTING.search(s[:d.start])
             and not re.match(r"\s*(?:以来|起|报道|发布|表示|宣布|称|公布)", s[d.end:])]
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - trigger.start()))


def is_raid_sentence(s: str, published: dt.date) -> bool:
    """A sentence that by itself reports a dated operation on premises."""
    trigger = _trigger(s)
    return bool(trigger and PREMISES.search(s) and not _is_campaign(s)
                and _event_date(s, trigger, published))


def extract_raids(title: str, text: str, published: dt.date,
                  latest: dt.date | None = None) -> list[RaidEvent]:
    """The raids an article reports, one event per operation (`latest`: a revision's date)."""
    sentences = [x.text for x in split_sentences(text)]
    info = []
    for s in sentences:
        trigger = _trigger(s)
        info.append((trigger, bool(PREMISES.search(s)), _is_campaign(s), find_places(s)))
    title_places = find_places(title or "")
    anchors: list[_Anchor] = []
    for i, s in enumerate(sentences):
        trigger, premises, campaign, places = info[i]
        if trigger is None or campaign:
            continue
        date = _event_date(s, trigger, published, latest)
        if date is None:
            continue
        plural = bool(_PLURAL_TRIGGER.search(trigger.group(0)))
        if plural and date.precision != "day":
            continue
        near = [j for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(sentences)
                and info[j][1] and not info[j][2]
                and (info[j][0] is not None or abs(i - j) == 1)]
        if not premises and not near:
            continue
        if not places and mentions_foreign_country(s) and not _IN_CAMBODIA.search(s):
            continue  # an operation abroad ("Thai police raided a building in Mae Sot")
        place = _province_for(i, sentences, info, title_places)
        if place is None:
            continue
        score = 2 * premises + (1 if places else 0) + (date.precision == "day")
        group = [s] + [sentences[j] for j in near]
        anchors.append(_Anchor(i, date, place if places else None, place.province, score, group))
    return _merge(anchors, sentences)


def _province_for(i: int, sentences: list[str], info: list, title_places: list[PlaceMention]
                  ) -> PlaceMention | None:
    own = info[i][3]
    if own:
        return sorted(own, key=lambda p: p.level == "province")[0]
    for j in range(i - 1, max(-1, i - 3), -1):
        if info[j][3]:
            return info[j][3][0]
    if title_places:
        return title_places[0]
    for j in range(i - 1, -1, -1):
        if info[j][3]:
            return info[j][3][0]
    if title_places:
        return title_places[0]
    return None


def _merge(anchors: list[_Anchor], sentences: list[str]) -> list[RaidEvent]:
    groups: list[list[_Anchor]] = []
    for a in anchors:
        for g in groups:
            if g[0].province == a.province and any(_close(a.date, b.date) for b in g):
                g.append(a)
                break
        else:
            groups.append([a])
    events = []
    for g in groups:
        best = max(g, key=lambda a: (a.score, a.date.precision == "day", -a.index))
        day = [a for a in g if a.date.precision == "day"]
        date = best.date if best.date.precision == "day" or not day else day[0].date
        texts = [s for a in g for s in a.sentences]
        place = next((a.place for a in sorted(g, key=lambda a: -a.score) if a.place), None)
        events.append(RaidEvent(
            location=best.province, place=place.name if place else None,
            date=date.date, precision=date.precision, site=_site(texts),
            arrested=_count(texts, "arrest", date.date), rescued=_count(texts, "rescue", date.date),
            nationalities=_nationalities(texts), quote=sentences[best.index]))
    return events


def _close(a: DateMention, b: DateMention) -> bool:
    if a.precision == "month" or b.precision == "month":
        return (a.date.year, a.date.month) == (b.date.year, b.date.month)
    return abs((a.date - b.date).days) <= SAME_RAID_DAYS


def _site(texts: list[str]) -> str | None:
    for s in texts:
        m = re.search(r"\b(?:a|an|the|one|its)\s+(?:[\w'’-]+\s+){0,3}?(?:" + PREMISES.pattern
                      + ")", s, re.IGNORECASE) or PREMISES.search(s)
        if m:
            return m.group(0).strip()
    return None


def _count(texts: list[str], concept: str, published: dt.date) -> int | None:
    for s in texts:
        for q in quantities(s, published):
            if concept in concepts_of(q.clause) and not q.partitive and (
                    q.head in PERSON_HEADS or q.head in NATIONALITIES
                    or any(w.lower() in NATIONALITIES for w in q.phrase.split())):
                value = q.number.value
                if isinstance(value, float):
                    return int(value)
    return None


def _nationalities(texts: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for s in texts:
        for w in re.findall(r"[A-Za-z]+", s):
            low = w.lower()
            if low in NATIONALITIES and low not in ("cambodian", "khmer") and w[0].isupper():
                name = low.rstrip("s") if low.endswith("s") and low[:-1] in NATIONALITIES else low
                if name.capitalize() not in found:
                    found.append(name.capitalize())
    return tuple(found)
