"""Places of several provinces told together in one raid sentence: a list of provinces
("in Kandal and Koh Kong") or objects of one verb each with its premises and place ("a
casino in Kampot and a hotel in Koh Kong"), one raid in each (split from raid_context); and
days of one sentence each of its own site ("on Monday and another building on Tuesday")."""

from __future__ import annotations

import re

from alerts.analysis.dates import DateMention
from alerts.analysis.lexicon import PREMISES
from alerts.analysis.places import PlaceMention

__all__ = ["coordinated_provinces", "raids_by_day"]

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
    if len(days) < 2 or len({d.date for d in days}) != len(days):
        return []
    cuts = [0]
    for a, b in zip(days, days[1:]):
        m = _ANOTHER.search(sentence, a.end, b.start)
        if m is None:
            return []
        cuts.append(m.start())
    cuts.append(len(sentence))
    return [(d, sentence[cuts[k]:cuts[k + 1]]) for k, d in enumerate(days)]
