"""Places of several provinces told together in one raid sentence: a list of provinces
("in Kandal and Koh Kong") or objects of one verb each with its premises and place ("a
casino in Kampot and a hotel in Koh Kong"), one raid in each (split from raid_context); and
days of one sentence each of its own site ("on Monday and another building on Tuesday");
clauses each of one province ("in Kampot they searched a casino, in Kep ...") and places
each with its own day ("in Kampot on Monday, Kep on Tuesday")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from itertools import pairwise

from alerts.analysis.dates import DateMention
from alerts.analysis.day_offsets import days_after
from alerts.analysis.lexicon import PREMISES
from alerts.analysis.places import PlaceMention

__all__ = ["after_the_fronted", "main_clause_start", "coordinated_provinces", "raids_by_day", "raids_by_part"]

_JOINERS = re.compile(r"^(?:\s*(?:,|and|、|和|及|与|與|以及|,\s*and)\s*)$", re.IGNORECASE)


def coordinated_provinces(sentence: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """Places of different provinces listed together ("in Kandal and Koh Kong"), one each."""
    distinct: list[PlaceMention] = []
    for p in places:
        if all(p.province != q.province for q in distinct):
            distinct.append(p)
    if len(distinct) < 2:
        return []
    ordered = sorted(distinct, key=lambda p: p.start)
    for a, b in zip(ordered, ordered[1:]):
        between = sentence[a.end:b.start]
        between = re.sub(r"^(?:省|市|province|provinces)", "", between.strip(), flags=re.I)
        if not _JOINERS.match(" " + between.strip() + " ") and between.strip() not in ("", ",") \
                and not _coordinated_site(between):
            return []
    return ordered


# "a casino in Kampot and a hotel in Koh Kong": a second object of the same verb, with its
# own premises and place, is one more raid on the same day.
_NEXT_SITE = re.compile(r"^,?\s*(?:and|as well as|plus)\s+(?:a|an|another|one|two|three|four|"
                        r"five|\d+)\s+(?:[\w'-]+\s+){0,3}?(?:in|at|near)$", re.IGNORECASE)


def _coordinated_site(between: str) -> bool:
    """Whether the words between two places are the next object: "and a hotel in"."""
    text = between.strip()
    return _NEXT_SITE.match(text) is not None and (
        PREMISES.search(text) is not None or re.search(r"\banother\b", text, re.I) is not None)


# "a compound on Monday and another building on Tuesday", "on March 3 and a second on March
# 5": a second site introduced between two days of one sentence is a second raid.
# The word after it is premises or the second one's day or place, not "another 20 people".
_ANOTHER = re.compile(r"\b(?:and|then|before|while|with)\s+(?:then\s+)?(?:another|a second|a "
                      r"third|a further)(?=\s+(?:(?:[\w'-]+\s+){0,2}?(?:" + PREMISES.pattern +
                      r")|(?:on|in|at|one)\b)|,)|(?:，|,)\s*(?:又|另)(?=[^，,。]{0,12}?(?:"
                      + PREMISES.pattern + r"))", re.IGNORECASE)


def raids_by_day(sentence: str, dates: list[DateMention]) -> list[tuple[DateMention, str]]:
    """Days of one sentence, each of its own site ("another", "a second" between them),
    with the words of each; [] when the sentence tells one operation."""
    days = sorted((d for d in dates if d.precision == "day"), key=lambda d: d.start)
    if len(days) == 1:
        return _and_days_later(sentence, days[0])
    if len(days) < 2 or len({d.date for d in days}) != len(days):
        return []
    cuts = [0]
    for a, b in pairwise(days):
        m = _ANOTHER.search(sentence, a.end, b.start)
        if m is None:
            return []
        cuts.append(m.start())
    cuts.append(len(sentence))
    return [(d, sentence[cuts[k]:cuts[k + 1]]) for k, d in enumerate(days)]


def _and_days_later(sentence: str, day: DateMention) -> list[tuple[DateMention, str]]:
    """"a casino on Tuesday and a resort nearby the next day": the second site's day
    counted on from the first."""
    m = _ANOTHER_SITE.search(sentence, day.end)
    shift = days_after(sentence[m.end():]) if m else 0
    if m is None or not shift:
        return []
    later = replace(day, date=day.date + dt.timedelta(days=shift), start=m.end(),
                    end=len(sentence), text=sentence[m.end():])
    return [(day, sentence[:m.start()]), (later, sentence[m.start():])]


# "and a resort", "then another hotel": a second object of the operation with its premises.
_ANOTHER_SITE = re.compile(r"\b(?:and|then)\s+(?:then\s+)?(?:a|an|another|a second)\s+"
                           r"(?:[\w'-]+\s+){0,2}?(?:" + PREMISES.pattern + r")", re.IGNORECASE)


_CLAUSES = re.compile(r";\s+|,\s+(?:and|while|whereas|but)\s+|\s+(?:while|whereas)\s+|；|，(?:而|同时|另)"
                      # a roundup's lead ends with a colon; each clause after it fronts its place
                      # ("raids on Tuesday: in Kampot they searched a casino, in Kep ...")
                      r"|[:：]\s*|(?:,\s+(?:and\s+)?|\s+and\s+)(?=in\s+[A-Z])|，(?=在)")


def _nearest(dates: list[DateMention], start: int, end: int) -> DateMention | None:
    if not dates:
        return None
    return min(dates, key=lambda d: min(abs(d.start - end), abs(start - d.end)))


def raids_by_part(sentence: str, places: list[PlaceMention], dates: list[DateMention],
                  operation: re.Pattern[str]) -> list[tuple[PlaceMention, DateMention | None, str]]:
    """Several raids told in one sentence, each in its own part: clauses naming each an
    operation in one province ("police searched a casino in Bavet on Tuesday, while officers
    in Kampot went into a resort"), or places of different provinces each with its own date
    ("from the Poipet rescue in December to this month's search in Ta Khmau"). Each comes
    with its date (None: the sentence's) and the words that are its own."""
    if len({p.province for p in places}) < 2:
        return []
    after = _after_the_first(sentence, places, dates, operation) \
        or _after_the_main(sentence, places, dates, operation)
    if after:
        return after
    cuts = [0] + [m.end() for m in _CLAUSES.finditer(sentence)] + [len(sentence) + 1]
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        mine = [p for p in places if a <= p.start < b]
        text = sentence[a:b]
        if mine and len({p.province for p in mine}) == 1 and operation.search(text):
            own = [d for d in dates if a <= d.start < b]
            parts.append((mine[0], own[0] if own else None, text))
    if len({p[0].province for p in parts}) >= 2:
        return parts
    paired = _interleaved(places, dates) or {}
    for p in places:
        d = _nearest(dates, p.start, p.end)
        if d is not None:
            paired.setdefault(p.province, (p, d))
    if len({(d.date, d.precision) for _, d in paired.values()}) < 2:
        return _respectively(sentence, places, dates)
    ordered = sorted(paired.values(), key=lambda pd: min(pd[0].start, pd[1].start))
    bounds = [min(p.start, d.start) for p, d in ordered] + [len(sentence)]
    return [(p, d, sentence[bounds[k]:bounds[k + 1]]) for k, (p, d) in enumerate(ordered)]


def _interleaved(places: list[PlaceMention], dates: list[DateMention]
                 ) -> dict[str, tuple[PlaceMention, DateMention]] | None:
    """"in Kampot on Monday, Kep on Tuesday and Takeo on Wednesday": provinces and days
    alternating one for one pair each with the next (place first) or the one before."""
    first: dict[str, PlaceMention] = {}
    for p in places:
        first.setdefault(p.province, p)
    days = {(d.date, d.precision): d for d in dates}
    if len(first) < 2 or len(days) != len(first) or len(dates) != len(days):
        return None
    marks = sorted([(p.start, "p", p) for p in first.values()]
                   + [(d.start, "d", d) for d in dates], key=lambda m: m[0])
    kinds = [k for _, k, _ in marks]
    if any(a == b for a, b in pairwise(kinds)):
        return None
    pairs = [(marks[k], marks[k + 1]) for k in range(0, len(marks), 2)]
    return {(pl := a[2] if a[1] == "p" else b[2]).province: (pl, b[2] if a[1] == "p" else a[2])
            for a, b in pairs}


def _respectively(sentence: str, places: list[PlaceMention], dates: list[DateMention]
                  ) -> list[tuple[PlaceMention, DateMention | None, str]]:
    """"Raids on Monday and Tuesday targeted a casino in Kampot and a resort in Kep": as
    many days as provinces, all days before all places (or after), pair up in order."""
    days = sorted({(d.date, d.precision): d for d in dates}.values(), key=lambda d: d.start)
    first = {}
    for p in places:
        first.setdefault(p.province, p)
    provinces = sorted(first.values(), key=lambda p: p.start)
    if len(days) < 2 or len(days) != len(provinces):
        return []
    if not (days[-1].end <= provinces[0].start or provinces[-1].end <= days[0].start):
        return []
    bounds = [p.start for p in provinces] + [len(sentence)]
    return [(p, d, sentence[bounds[k]:bounds[k + 1]])
            for k, (p, d) in enumerate(zip(provinces, days))]


# "A week after police searched a casino in Kampot on March 3, they raided a hotel in Kep":
# the clause fronted by "<so long> after" tells the first raid with its day, the main clause
# a second one that many days on.
_AFTER_FIRST = re.compile(r"^\s*(?:about |some |just |only |barely )?(?:(?:a|one|two|three|four|"
                          r"five|six|seven|ten|[2-9]|1[0-3]) (?:days?|weeks?)|a fortnight|the day) "
                          r"after\b", re.IGNORECASE)


def _after_the_first(sentence: str, places: list[PlaceMention], dates: list[DateMention],
                     operation: re.Pattern[str]
                     ) -> list[tuple[PlaceMention, DateMention | None, str]]:
    """Both raids, each clause with its operation word and premises; [] when not so told."""
    m = _AFTER_FIRST.match(sentence)
    comma = sentence.find(", ", m.end()) if m else -1
    if m is None or comma < 0:
        return []
    first = [p for p in places if p.start < comma]
    second = [p for p in places if p.start > comma]
    days = [d for d in dates if d.precision == "day"]
    if len({p.province for p in first}) != 1 or len({p.province for p in second}) != 1 \
            or len(days) != 1 or len(dates) != 1 or days[0].start > comma:
        return []
    if not all(operation.search(part) and PREMISES.search(part)
               for part in (sentence[:comma], sentence[comma:])):
        return []
    day = days[0]
    shift = days_after(sentence[:m.end()].replace("the day after", "the next day"))
    later = replace(day, date=day.date + dt.timedelta(days=shift), start=comma, end=comma,
                    text=sentence[m.start():m.end()])
    return [(first[0], day, sentence[:comma]), (second[0], later, sentence[comma:])]


# "Police raided a hotel in Kep on Tuesday, a week after officers searched a casino in
# Kampot": a trailing clause "<so long> after" an operation tells an earlier raid, its day
# counted back from the main clause's.
_AFTER_TRAIL = re.compile(r",\s+(?:about |some |just |only |barely )?(?:(?:a|one|two|three|four|"
                          r"five|six|seven|ten|[2-9]|1[0-3]) (?:days?|weeks?)|a fortnight|the day) "
                          r"after\b", re.IGNORECASE)


# ... an operation done, not one vowed, planned or ordered ("a day after the governor vowed
# to raid casinos in Kampot").
_NOT_DONE = re.compile(r"\b(?:vow|plan|pledg|promis|threat|order|call|urg|warn|announc)\w*",
                       re.IGNORECASE)


def _after_the_main(sentence: str, places: list[PlaceMention], dates: list[DateMention],
                    operation: re.Pattern[str]
                    ) -> list[tuple[PlaceMention, DateMention | None, str]]:
    """Both raids of a sentence with a trailing "<so long> after" clause: the main one on
    its day (the sentence's only date, before the clause), the trailing one's that long
    before; [] when not so told."""
    m = _AFTER_TRAIL.search(sentence)
    if m is None or len(dates) != 1 or dates[0].precision != "day" or dates[0].start > m.start():
        return []
    first = [p for p in places if p.start < m.start()]
    second = [p for p in places if p.start > m.end()]
    if len({p.province for p in first}) != 1 or len({p.province for p in second}) != 1 \
            or first[0].province == second[0].province:
        return []
    main, trail = sentence[:m.start()], sentence[m.start():]
    if not (operation.search(main) and PREMISES.search(main)) \
            or not operation.search(trail, m.end() - m.start()) or _NOT_DONE.search(trail) \
            or not PREMISES.search(trail):  # "two days after a raid in Kep": only recalled
        return []
    day = dates[0]
    shift = days_after(sentence[m.start():m.end()].replace("the day after", "the next day"))
    earlier = replace(day, date=day.date - dt.timedelta(days=shift), start=m.start(),
                      end=m.start(), text=m.group(0))
    return [(first[0], day, main), (second[0], earlier, trail)]


def after_the_fronted(sentence: str, trigger: re.Match[str], date: DateMention | None
                      ) -> DateMention | None:
    """"A week after the election on March 3, police raided a hotel": the main clause's
    operation is that long after the day its fronted clause names."""
    m = _AFTER_FIRST.match(sentence)
    comma = sentence.find(", ", m.end()) if m else -1
    if m is None or date is None or date.precision != "day" or comma < 0 \
            or not date.start < comma < trigger.start():
        return date
    shift = days_after(sentence[:m.end()].replace("the day after", "the next day"))
    return replace(date, date=date.date + dt.timedelta(days=shift)) if shift else date


def main_clause_start(sentence: str) -> int:
    """Where the main clause of a sentence fronted by '<so long> after ...,' starts (0: none)."""
    m = _AFTER_FIRST.match(sentence)
    comma = sentence.find(", ", m.end()) if m else -1
    return comma if comma > 0 else 0
