"""Whether a quantity states a claim, and how well: what its clause says (concepts, places,
one site, one nationality, calendar years, periods), the claim's scope, and whether its
value is plausible for the claim's last known one (0.2x-10x, up to 30x for a full statement;
running totals do not fall)."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from alerts.analysis.claims import ClaimSpec
from alerts.analysis.clause_scope import (
    REPORTED_WHEN,
    appositive_places,
    concepts_in,
    fronted_foreign,
    fronted_places,
    listed_places,
    noun_concepts,
    provinces_in,
    scam_context,
    segment_after,
    semicolon_part,
)
from alerts.analysis.lexicon import (
    NATIONALITIES,
    PERSON_HEADS,
    PREMISES,
    SHORT_PERIOD,
    concepts_of,
    mentions_cambodia,
    mentions_foreign_country,
)
from alerts.analysis.phrases import Quantity, strip_periods
from alerts.analysis.text import stem, words

MIN_RATIO, MAX_RATIO = 0.2, 10.0
# A statement whose noun is the claim's and whose clause says every concept of the claim
# may report a change from another source beyond ten times the last value.
FULL_MAX_RATIO = 30.0


PERIOD_SLACK_DAYS = 45


_SINGLE_SITE = re.compile(r"\b(?:a|an|one|the|single|this)\s+(?:[\w-]+\s+){0,2}?(?:"
                          + PREMISES.pattern + ")", re.IGNORECASE)


def _one_site(clause: str) -> bool:
    """A count of one building ("at a casino", "in the compound"); "the compounds" in the
    plural are many, said of the story as a whole."""
    return any(not (m.group(0).lower().startswith("the ") and m.group(0).endswith("s"))
               for m in _SINGLE_SITE.finditer(clause))


def magnitude(value: float | tuple[float, float]) -> float:
    return (value[0] + value[1]) / 2 if isinstance(value, tuple) else value


def equal_values(a: object, b: object) -> bool:
    def norm(v: object) -> object:
        if isinstance(v, (list, tuple)):
            return (float(v[0]), float(v[1])) if float(v[0]) != float(v[1]) else float(v[0])
        return float(v) if isinstance(v, (int, float)) else v
    return norm(a) == norm(b)


@dataclass(frozen=True)
class Features:
    """What a quantity's clause says, computed once for every claim."""

    concepts: frozenset[str]
    clause_places: frozenset[str]
    sentence_places: frozenset[str]
    foreign: bool
    single_site: bool
    short_period: bool
    wording: str
    nationality: bool
    calendar_years: tuple[int, ...] = ()
    places_after: frozenset[str] = frozenset()  # places between it and the next number
    set_referred: bool = False
    noun_concepts: frozenset[str] = frozenset()  # said by the noun itself: "trafficking victims"
    listed: bool = False  # over a list of provinces ("In Kampot, Kep and Takeo, ...")



def features_of(q: Quantity, sentence: str) -> Features:
    clause = q.clause
    concepts = concepts_of(clause)
    if not concepts:
        # a phrase set off by commas ("nine cases, involving 54 people, had been
        # confirmed as trafficking"): what its part of the sentence (up to a ";") says
        concepts = concepts_in(semicolon_part(sentence, q.number.start))
    return Features(
        concepts=frozenset(concepts) | scam_context(clause),
        clause_places=provinces_in(clause) | fronted_places(sentence, q.number.start)
        | appositive_places(q, sentence) | listed_places(q, sentence),
        listed=len(listed_places(q, sentence) | fronted_places(sentence, q.number.start)) > 1,
        sentence_places=provinces_in(sentence),
        foreign=(mentions_foreign_country(clause) and not mentions_cambodia(clause))
        or fronted_foreign(sentence, q.number.start),
        single_site=_one_site(clause),
        short_period=not q.running_total and bool(SHORT_PERIOD.search(REPORTED_WHEN.sub(" ", sentence))),
        wording=" ".join(stem(w) for w in words(clause)),
        nationality=bool({w.lower() for w in q.phrase.split()} & NATIONALITIES),
        calendar_years=calendar_years(sentence),
        places_after=provinces_in(segment_after(q, sentence)),
        set_referred=bool(_SET_REFERRED.search(sentence[max(0, q.number.start - 30):q.number.start])),
        noun_concepts=noun_concepts(q, sentence),
    )



def plausible(q: Quantity, spec: ClaimSpec, last: object, background: bool) -> bool:
    """A value within reach of the claim's last known one; a running total does not fall."""
    return judge_value(q, spec, last, background) == ("background" if background else "current")


def _ratio(value: object, last: object) -> float | None:
    if not isinstance(last, (int, float, tuple, list)):
        return None
    last_mag = magnitude(tuple(last) if isinstance(last, list) else last)  # type: ignore[arg-type]
    return magnitude(value) / last_mag if last_mag else 1.0  # type: ignore[arg-type]


_PEOPLE = stem("people")
_ZH_PEOPLE = frozenset({"人", "名"})  # the Chinese measure words of a count of people


def states_fully(q: Quantity, f: Features, spec: ClaimSpec) -> bool:
    """The quantity's noun is the claim's own and its clause says all the claim's concepts
    (estimates aside), nationwide: the strongest statement of the claim, which another
    source's change may make in full."""
    needed = spec.concepts - {"estimate"}
    own = q.head == spec.primary_head or (spec.primary_head == _PEOPLE and q.head in _ZH_PEOPLE)
    return own and bool(needed) and needed <= f.concepts \
        and not q.partitive and not f.clause_places and not f.foreign


def judge_value(q: Quantity, spec: ClaimSpec, last: object, background: bool,
                scoped: bool = False, full: bool = False) -> str | None:
    """"current", "background" or None (implausible) for a value of this claim.

    Within 0.2x-10x of the last known value; a sentence that states the claim's own
    period (a running total since its start) may have grown further, as cumulative
    counts do over years. A running total below the last known one is an older
    figure recalled (background); a recall may also be near the seed's own value."""
    ratio = _ratio(q.number.value, last)
    if ratio is None:
        return "background" if background else "current"
    high = math.inf if scoped else FULL_MAX_RATIO if full else MAX_RATIO
    if background:
        seed_ratio = _ratio(q.number.value, spec.value)
        if MIN_RATIO <= ratio <= high or (seed_ratio is not None
                                          and MIN_RATIO <= seed_ratio <= MAX_RATIO):
            return "background"
        return None
    if not MIN_RATIO <= ratio <= high:
        return None
    if spec.period_start is not None and ratio < 1.0 and not isinstance(q.number.value, tuple):
        # A running total below the last known one: the seed's own figure recalled, or
        # another count (a raid's, a sub-count) that is not this claim's.
        return "background" if equal_values(q.number.value, spec.value) else None
    return "current"


# "how many of the 2,310 people rescued...": the number names a set another count is
# drawn from, it states nothing new.
_SET_REFERRED = re.compile(r"(?:\b(?:how many|which|none|some|most|all|half|many|few|each|any)|\d)"
                           r"\s+of\s+(?:the|these|those)\s+$", re.IGNORECASE)


# A count over another calendar year than a running total's ("1,946 rescued in 2023").
_CALENDAR_YEAR = re.compile(r"\b(?:in|during|for|throughout|over)\s+((?:19|20)\d{2})\b(?!\s*(?:[-–]|to|and)\s*\d)"
                            r"|\bcalendar[- ]year\b|(?<!\d)((?:19|20)\d{2})\s+alone\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def calendar_years(sentence: str) -> tuple[int, ...]:
    """Calendar years a sentence counts over (0: "the calendar year", whichever)."""
    out = []
    for m in _CALENDAR_YEAR.finditer(strip_periods(sentence)):
        year = m.group(1) or m.group(2)
        out.append(int(year) if year else 0)
    return tuple(out)


def claim_score(q: Quantity, f: Features, spec: ClaimSpec, starts: list[dt.date]) -> float | None:
    if f.set_referred:
        return None
    if q.partitive and not (spec.place and spec.place in f.clause_places) and not (
            len(spec.heads) > 1 and spec.primary_head in PERSON_HEADS and q.head in PERSON_HEADS
            and len(f.concepts & spec.concepts) >= 2):
        # A sub-count, unless of a claim that is itself a part: "in Preah Sihanouk", or
        # "N rescued, of whom M were trafficked" for the trafficked among the rescued.
        return None
    person = q.head in PERSON_HEADS
    if q.head not in spec.heads and not (person and spec.counts_people):
        return None
    if spec.counts_people and f.nationality:
        return None
    shared = f.concepts & spec.concepts
    needed = spec.concepts - {"estimate"}
    if needed and not (shared & needed):
        return None
    if not needed and q.head not in spec.heads:
        return None  # a claim no concept describes ("foreigners deported") needs its own noun
    own_period = spec.period_start is not None and any(
        abs((d - spec.period_start).days) <= PERIOD_SLACK_DAYS for d in starts)
    if person and len(needed) >= 2 and len(shared & needed) < 2 and not (
            (q.head in spec.heads or f.noun_concepts & needed)
            and len(shared) >= 1 and "scam" not in needed) and not (
            own_period and shared & needed - {"scam"}):
        return None  # (the claim's own period stated, its measure suffices: "detained since")
    # Place scope: a province claim needs its province; a nationwide one refuses
    # one place, a foreign country, and counts of one building.
    if spec.place:
        if spec.place not in f.sentence_places or f.listed or (
                len(f.clause_places) > 1 and f.places_after != {spec.place}):
            return None  # (a count over several provinces is none of theirs alone)
        if f.places_after and spec.place not in f.places_after:
            return None  # "90 came from Kandal and 300 from Preah Sihanouk": 90 is Kandal's
    elif f.clause_places or f.single_site:
        return None
    if f.foreign:
        return None
    # Period scope.
    if spec.period_start is not None:
        own_period = any(abs((d - spec.period_start).days) <= PERIOD_SLACK_DAYS for d in starts)
        if f.short_period and not own_period:
            return None
        if not own_period and any(y == 0 or y > spec.period_start.year
                                  for y in f.calendar_years):
            return None
        if starts and not own_period:
            return None
    wording = fuzz.token_set_ratio(spec.wording, f.wording) / 100
    # A count of persons ("victims") is more a people claim's than a cases claim's.
    own = 1.0 if q.head == spec.primary_head else 0.5 if q.head in spec.heads or (
        person and spec.primary_head in PERSON_HEADS) else 0.0
    return len(shared) - 0.5 * len(needed - shared) + wording + own
