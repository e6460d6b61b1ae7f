"""Figure observations: sentences of an article that state a value of a seed claim.

For each counted quantity of a sentence, the claims that count the same thing
(same head noun, or people for people) are candidates; a candidate must share
the claim's concepts (rescued, complaints, scam work...), its place scope (a
province claim needs that province; a nationwide one refuses a single
place, a foreign country, one nationality, one building), its period (a
count "since" another start, or over "two days", is another figure) and a
plausible magnitude. rapidfuzz compares the wording around the number with
the seed's. A statement dated in the past ("last year", "in 2022") is
background: recorded, never current.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from alerts.analysis.claims import TIER, ClaimSpec, _TIER_NUM
from alerts.analysis.lexicon import (BACKGROUND, NATIONALITIES, PERSON_HEADS, PREMISES,
                                     SHORT_PERIOD, concepts_of, mentions_cambodia,
                                     mentions_foreign_country)
from alerts.analysis.phrases import Quantity, period_starts, quantities, strip_periods
from alerts.analysis.places import find_places
from alerts.analysis.text import split_sentences, stem, words

MIN_RATIO, MAX_RATIO = 0.2, 10.0
PERIOD_SLACK_DAYS = 45
_SINGLE_SITE = re.compile(r"\b(?:a|an|one|the|single|this)\s+(?:[\w-]+\s+){0,2}?(?:"
                          + PREMISES.pattern + ")", re.IGNORECASE)


@dataclass(frozen=True)
class Observation:
    """A sentence's value for a claim."""

    claim_key: str
    value: float | tuple[float, float] | str
    qualifier: str
    current: bool
    quote: str
    score: float


def _magnitude(value: float | tuple[float, float]) -> float:
    return (value[0] + value[1]) / 2 if isinstance(value, tuple) else value


def find_observations(text: str, specs: Sequence[ClaimSpec], published: dt.date,
                      last_values: dict[str, object] | None = None) -> list[Observation]:
    """Observations of the claims in an article's text, in text order."""
    last_values = last_values or {}
    out: list[Observation] = []
    numeric = [s for s in specs if s.kind == "number"]
    tiers = [s for s in specs if s.kind == "tier"]
    for sentence in split_sentences(text):
        s = sentence.text
        background = is_background(s, published)
        if tiers:
            out.extend(_tier_observations(s, tiers, background))
        if not numeric:
            continue
        starts = period_starts(s, published)
        for q in quantities(s, published):
            best: tuple[float, ClaimSpec] | None = None
            for spec in numeric:
                score = _score(q, s, spec, starts, last_values.get(spec.key, spec.value),
                               background)
                if score is not None and (best is None or score > best[0]):
                    best = (score, spec)
            if best is not None:
                out.append(Observation(best[1].key, q.number.value, q.number.qualifier,
                                       not background, _quote(s, q), best[0]))
    return out


def _quote(sentence: str, q: Quantity) -> str:
    return sentence.strip()


def _tier_observations(s: str, tiers: Sequence[ClaimSpec], background: bool) -> list[Observation]:
    m = TIER.search(s)
    if not m or not (mentions_cambodia(s) or re.search(r"\b(?:it|its)\b", s)):
        return []
    value = f"Tier {_TIER_NUM.get(m.group(1).lower(), m.group(1))}" + (
        " Watch List" if m.group(2) else "")
    return [Observation(tiers[0].key, value, "=", not background, s.strip(), 1.0)]


def is_background(sentence: str, published: dt.date) -> bool:
    """A statement that recalls an older figure (dated before this year, 'last year')."""
    rest = strip_periods(sentence)
    if BACKGROUND.search(rest):
        return True
    years = [int(y) for y in re.findall(r"(?<![\d,.$])((?:19|20)\d{2})(?!\d|,\d)", rest)]
    return any(y < published.year for y in years)


def _score(q: Quantity, sentence: str, spec: ClaimSpec, starts: list[dt.date],
           last: object, background: bool) -> float | None:
    if q.partitive:
        return None
    phrase_words = {w.lower() for w in q.phrase.split()}
    person = q.head in PERSON_HEADS
    if q.head not in spec.heads and not (person and spec.counts_people):
        return None
    if spec.counts_people and (phrase_words & NATIONALITIES):
        return None
    clause = q.clause
    concepts = concepts_of(clause)
    shared = concepts & spec.concepts
    needed = spec.concepts - {"estimate"}
    if needed and not (shared & needed):
        return None
    if person and len(needed) >= 2 and len(shared & needed) < 2 and not (
            q.head in spec.heads and len(shared) >= 1 and "scam" not in needed):
        return None
    # Place scope.
    places = {p.province for p in find_places(clause)}
    if spec.place:
        if spec.place not in {p.province for p in find_places(sentence)}:
            return None
    elif places:
        return None
    if mentions_foreign_country(clause) and not mentions_cambodia(clause):
        return None
    if spec.place is None and _SINGLE_SITE.search(clause):
        return None
    # Period scope.
    if spec.period_start is not None:
        if SHORT_PERIOD.search(sentence):
            return None
        if starts and all(abs((d - spec.period_start).days) > PERIOD_SLACK_DAYS for d in starts):
            return None
    # Magnitude.
    if isinstance(last, (int, float, tuple, list)):
        last_mag = _magnitude(tuple(last) if isinstance(last, list) else last)  # type: ignore[arg-type]
        ratio = _magnitude(q.number.value) / last_mag if last_mag else 1.0
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            return None
        if spec.period_start is not None and not background and ratio < 1.0 and \
                not isinstance(q.number.value, tuple):
            return None  # a running total since a date does not fall: an older figure
    wording = fuzz.token_set_ratio(" ".join(sorted(spec.context)),
                                   " ".join(stem(w) for w in words(clause))) / 100
    own = 1.0 if q.head == spec.primary_head else 0.5 if q.head in spec.heads else 0.0
    return len(shared) + wording + own
