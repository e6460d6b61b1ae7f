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

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from alerts.analysis.claim_index import ClaimIndex
from alerts.analysis.claim_scoring import concepts_in, equal_values, judge_value, plausible
from alerts.analysis.claims import ClaimSpec
from alerts.analysis.demonstratives import resolved, with_question
from alerts.analysis.sentence_findings import (LAST_TIER, LOWEST_TIER, Observation,
                                               dated_finding, is_background, quote_of)
from alerts.analysis.text import split_sentences

# Re-exported: callers know them from here.
__all__ = ["LAST_TIER", "LOWEST_TIER", "Observation", "find_observations", "is_background",
           "is_question", "judge_value", "plausible", "without_restated_headline"]









def find_observations(text: str, specs: Sequence[ClaimSpec], published: dt.date,
                      last_values: dict[str, object] | None = None) -> list[Observation]:
    """Observations of the claims in an article's text, in text order."""
    # Values this article states move the last known ones for its later sentences.
    last_values = dict(last_values or {})
    out: list[Observation] = []
    index = ClaimIndex.of(specs)
    if not index.specs and not index.tiers:
        return out  # nothing to observe: skip splitting the text
    carried = ""  # the claim period the previous sentence stated ("since August 18")
    recent: tuple[int, ClaimSpec] | None = None  # the claim the last sentences counted
    stamps: dict[str, int] = {}  # claim key -> its current statement "as of" an old date
    previous = None  # the sentence before, whose topic a pointing-back phrase means
    asked = ""  # a question just before, which a bare count answers (an interview)
    for sentence in split_sentences(text):
        s = sentence.text
        if is_question(s):
            asked = s
            continue  # "Is it still on Tier 3?" asks, it states no value
        answered, asked = with_question(s, asked), ""
        before = previous.text if previous and previous.paragraph == sentence.paragraph else ""
        # "... made to work in these operations", "from the province": the ones named before
        found = index.findings(answered or resolved(s, before, published) or s, published)
        previous = sentence
        out.extend(found.tiers)
        nationwide = bool(found.anaphors) and _NATIONWIDE.search(s) is not None
        reach = ANAPHOR_REACH + (NATIONWIDE_EXTRA_REACH if nationwide else 0)
        # "The ministry keeps a count of people rescued. The last figure ... was N": a
        # sentence naming a count makes it the one a later number without a noun states.
        named = _named_count(s, index.specs) if (found.anaphors or _COUNT_OF_GUARD.search(s)) \
            else None
        if named is not None:
            recent = (sentence.index, named)  # "a new count of people rescued ...; it was N"
        if found.anaphors and recent is not None and sentence.index - recent[0] <= reach:
            said = concepts_in(s)
            referred = _nationwide_of(recent[1], index.specs) if nationwide else recent[1]
            if referred is not None and (not said or said & referred.concepts):
                # not a count of something else
                counted = {f.quantity.number.start for f in found.numbers}
                for q in found.anaphors:
                    if q.number.start in counted:
                        continue  # already counted by its own noun ("the complaint tally")
                    f = dated_finding(q, 0.0, referred, s, [q], published, [], found.background)
                    found = dataclasses.replace(found, numbers=found.numbers + (f,))
        same_period = carried if carried and _SAME_PERIOD.search(s) else ""
        for f in found.numbers:
            q, spec = f.quantity, f.spec
            last = last_values.get(spec.key, spec.value)
            if same_period and not f.scoped and spec.period_start is not None:
                f = dataclasses.replace(f, scoped=True, scope=same_period)
            # The claim is chosen by what the sentence says, then its value must be
            # plausible for that claim (an implausible one is not moved to another).
            verdict = judge_value(q, spec, last, f.background, f.scoped, f.full)
            if verdict is None and f.dated_old and not f.background:
                # Dated months back and below the running total: an older figure recalled.
                verdict = judge_value(q, spec, last, True, f.scoped, f.full)
            if verdict is None:
                continue
            current = verdict == "current"
            if current and f.dated_old and not equal_values(q.number.value, last) \
                    and not (f.stamped and _above(q.number.value, last)):
                current = False  # dated months back and not the latest value: a recall
            elif (not current and f.dated_only and equal_values(q.number.value, last)
                  and not equal_values(last, spec.value)):
                current = True  # an older date, but still the latest (reported) figure
            out.append(Observation(spec.key, q.number.value, q.number.qualifier, current,
                                   quote_of(s, q), f.score, f.scope, f.scoped))
            if current and stamps.get(spec.key) is not None \
                    and _above(q.number.value, last):
                # "As of December, 1,200 ... It now stands at 1,900": the stamped total was
                # the latest only until the article gives a newer one.
                k = stamps.pop(spec.key)
                out[k] = dataclasses.replace(out[k], current=False)
            if current and f.dated_old and f.stamped:
                stamps[spec.key] = len(out) - 1
            if current:
                last_values[spec.key] = q.number.value
        if found.numbers:
            recent = (sentence.index, found.numbers[-1].spec)
        scopes = [f.scope for f in found.numbers if f.scoped]
        carried = scopes[-1] if scopes else (carried if same_period else "")
    return out


def _above(value: object, last: object) -> bool:
    """Whether a count (its low end, for a range) is above the last known one."""
    low = value[0] if isinstance(value, (list, tuple)) else value
    prev = last[0] if isinstance(last, (list, tuple)) else last
    return isinstance(low, (int, float)) and isinstance(prev, (int, float)) and low > prev


# "the national tally", "the overall count": the nationwide claim, not a province's share.
_NATIONWIDE = re.compile(r"\b(?:national|nationwide|overall|countrywide|country-wide)\s+"
                         r"(?:[a-z-]+\s+)?(?:count|figure|tally|total)\b|全国|全國", re.IGNORECASE)


def _nationwide_of(spec: ClaimSpec, specs: Sequence[ClaimSpec]) -> ClaimSpec | None:
    """The nationwide claim counting what a province claim counts (itself if nationwide)."""
    if not spec.place:
        return spec
    return next((c for c in specs if not c.place and c.heads & spec.heads
                 and c.concepts == spec.concepts and c.period_start == spec.period_start), None)


_COUNT_OF = re.compile(r"\b(?:count|number|tally|total|figure)\s+of\s+([^,;:.0-9]{3,50})",
                       re.IGNORECASE)


_COUNT_OF_GUARD = re.compile(r"(?:count|number|tally|total|figure)s?\s+of\b", re.IGNORECASE)


def _named_count(sentence: str, specs: Sequence[ClaimSpec]) -> ClaimSpec | None:
    """The nationwide claim a "count of <what>" phrase of the sentence names exactly (the
    phrase's concepts are the claim's), which a number without a noun then states."""
    for m in _COUNT_OF.finditer(sentence):
        said = concepts_in(m.group(1))
        if said:
            same = [c for c in specs if not c.place and c.concepts == said]
            if len(same) == 1:
                return same[0]
    return None


def is_question(sentence: str) -> bool:
    """A sentence that asks (ends with a question mark) states no figure."""
    return sentence.rstrip(" \"'”’»」)").endswith(("?", "？"))


def without_restated_headline(observations: list[Observation], title: str) -> list[Observation]:
    """Observations with the headline's left out where the body states the same claim: a
    title restates the body's figures, or rounds them ("More Than 2,000" for 2,137), and
    the body's statement is the one."""
    head = title.strip()
    if not head:
        return observations
    def in_title(o: Observation) -> bool:
        return bool(o.quote) and o.quote in head
    body = {o.claim_key for o in observations if not in_title(o) and o.current}
    body_values = {(o.claim_key, repr(o.value)) for o in observations if not in_title(o)}
    return [o for o in observations if not in_title(o) or (
        o.claim_key not in body and (o.claim_key, repr(o.value)) not in body_values)]


ANAPHOR_REACH = 2  # sentences back that "the count" may refer to
NATIONWIDE_EXTRA_REACH = 2  # "the national tally" names its scope: it may reach further

# "Over the same period", "in the same three years", "同期": the period just stated.
_SAME_PERIOD = re.compile(r"\b(?:over|in|during|for|within)\s+the\s+same\s+(?:[\w-]+\s+){0,2}?"
                          r"(?:period|years?|months?|time|span|weeks?)\b|同期|同一时期|同一時期",
                          re.IGNORECASE)





































































