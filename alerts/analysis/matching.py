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
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import is_

from rapidfuzz import fuzz

from alerts.analysis.claims import TIER, ClaimSpec, tier_value
from alerts.analysis.lexicon import (BACKGROUND, BACKGROUND_GUARD, NATIONALITIES, PERSON_HEADS,
                                     PREMISES, RECALLED_BEFORE, SHORT_PERIOD, concepts_of,
                                     mentions_cambodia, mentions_foreign_country)
from alerts.analysis.dates import DateMention, find_dates
from alerts.analysis.guards import essential, literal_scan
from alerts.analysis.phrases import (PEOPLE_PARTICIPLES, Quantity, anaphoric_quantities, clause_around, has_number,
                                     period_starts, quantities, strip_periods)
from alerts.analysis.places import find_places
from alerts.analysis.text import split_sentences, stem, words

_ASIDE = re.compile(r",\s*(?:which|who|whose|where)\b[^,]*,")
# A year: four digits not followed by a Chinese measure word ("2000宗" counts complaints).
_YEAR = re.compile(r"(?<![\d,.$])((?:19|20)\d{2})(?!\d|,\d|\s*[人名宗起个处處])")
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
    scope: str = ""  # the period or scope phrase the sentence matched the claim by
    cumulative: bool = False  # a running total since the claim's own start



def _magnitude(value: float | tuple[float, float]) -> float:
    return (value[0] + value[1]) / 2 if isinstance(value, tuple) else value


def find_observations(text: str, specs: Sequence[ClaimSpec], published: dt.date,
                      last_values: dict[str, object] | None = None) -> list[Observation]:
    """Observations of the claims in an article's text, in text order."""
    # Values this article states move the last known ones for its later sentences.
    last_values = dict(last_values or {})
    out: list[Observation] = []
    index = _ClaimIndex.of(specs)
    if not index.specs and not index.tiers:
        return out  # nothing to observe: skip splitting the text
    carried = ""  # the claim period the previous sentence stated ("since August 18")
    recent: tuple[int, ClaimSpec] | None = None  # the claim the last sentences counted
    for sentence in split_sentences(text):
        s = sentence.text
        if is_question(s):
            continue  # "Is it still on Tier 3?" asks, it states no value
        found = index.findings(s, published)
        out.extend(found.tiers)
        nationwide = bool(found.anaphors) and _NATIONWIDE.search(s) is not None
        reach = ANAPHOR_REACH + (NATIONWIDE_EXTRA_REACH if nationwide else 0)
        named = _named_count(s, index.specs) if found.anaphors else None
        if named is not None:
            recent = (sentence.index, named)  # "a new count of people rescued ...; it was N"
        if found.anaphors and recent is not None and sentence.index - recent[0] <= reach:
            said = _concepts(s)
            referred = _nationwide_of(recent[1], index.specs) if nationwide else recent[1]
            if referred is not None and (not said or said & referred.concepts):
                # not a count of something else
                counted = {f.quantity.number.start for f in found.numbers}
                for q in found.anaphors:
                    if q.number.start in counted:
                        continue  # already counted by its own noun ("the complaint tally")
                    f = _dated(q, 0.0, referred, s, [q], published, [], found.background)
                    found = dataclasses.replace(found, numbers=found.numbers + (f,))
        same_period = carried if carried and _SAME_PERIOD.search(s) else ""
        for f in found.numbers:
            q, spec = f.quantity, f.spec
            last = last_values.get(spec.key, spec.value)
            if same_period and not f.scoped and spec.period_start is not None:
                f = dataclasses.replace(f, scoped=True, scope=same_period)
            # The claim is chosen by what the sentence says, then its value must be
            # plausible for that claim (an implausible one is not moved to another).
            verdict = judge_value(q, spec, last, f.background, f.scoped)
            if verdict is None and f.dated_old and not f.background:
                # Dated months back and below the running total: an older figure recalled.
                verdict = judge_value(q, spec, last, True, f.scoped)
            if verdict is None:
                continue
            current = verdict == "current"
            if current and f.dated_old and not _same(q.number.value, last):
                current = False  # dated months back and not the latest value: a recall
            elif (not current and f.dated_only and _same(q.number.value, last)
                  and not _same(last, spec.value)):
                current = True  # an older date, but still the latest (reported) figure
            out.append(Observation(spec.key, q.number.value, q.number.qualifier, current,
                                   _quote(s, q), f.score, f.scope, f.scoped))
            if current:
                last_values[spec.key] = q.number.value
        if found.numbers:
            recent = (sentence.index, found.numbers[-1].spec)
        scopes = [f.scope for f in found.numbers if f.scoped]
        carried = scopes[-1] if scopes else (carried if same_period else "")
    return out


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


def _named_count(sentence: str, specs: Sequence[ClaimSpec]) -> ClaimSpec | None:
    """The nationwide claim a "count of <what>" phrase of the sentence names exactly (the
    phrase's concepts are the claim's), which a number without a noun then states."""
    for m in _COUNT_OF.finditer(sentence):
        said = _concepts(m.group(1))
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


def _same(a: object, b: object) -> bool:
    def norm(v: object) -> object:
        if isinstance(v, (list, tuple)):
            return (float(v[0]), float(v[1])) if float(v[0]) != float(v[1]) else float(v[0])
        return float(v) if isinstance(v, (int, float)) else v
    return norm(a) == norm(b)


@dataclass(frozen=True)
class _Finding:
    """A quantity of a sentence and the claim it states best (plausibility aside)."""

    quantity: Quantity
    score: float
    spec: ClaimSpec
    background: bool = False  # the quantity's own statement recalls an older figure
    dated_only: bool = False  # background only by a date (not "up from", "at the time")
    dated_old: bool = False  # its statement is dated well before publication
    scoped: bool = False  # the sentence states the claim's own period ("since August 18")
    scope: str = ""


@dataclass(frozen=True)
class _SentenceFindings:
    """What a sentence says of the claims, whatever their last known values."""

    tiers: tuple[Observation, ...]
    numbers: tuple[_Finding, ...]
    background: bool
    anaphors: tuple[Quantity, ...] = ()  # "the count had reached 455": no noun of its own


def _sentence_findings(s: str, published: dt.date, index: _ClaimIndex) -> _SentenceFindings:
    numeric, tiers = index.specs, index.tiers
    tier_obs: list[Observation] = []
    background: bool | None = None
    if tiers and ("tier" in s.lower() or "第" in s or "最低" in s
                  or LOWEST_TIER.search(s) is not None):
        background = is_background(s, published)
        tier_obs = _tier_observations(s, tiers, background)
    anaphors = tuple(anaphoric_quantities(s, published)) if numeric else ()
    if anaphors:
        background = is_background(s, published)
    if not numeric or not index.may_count(s) or not has_number(s):
        return _SentenceFindings(tuple(tier_obs), (), bool(background), anaphors)
    dates = find_dates(s, published)
    found = quantities(s, published, dates)
    if not found:
        return _SentenceFindings(tuple(tier_obs), (), bool(background), anaphors)
    # Period starts and background matter only for quantities some claim may count.
    starts: list[dt.date] | None = None
    numbers = []
    for q in found:
        best: tuple[float, ClaimSpec] | None = None
        features: _Features | None = None
        for spec in index.candidates(q.head):
            features = features or _features(q, s)
            if starts is None:
                starts = period_starts(s, published, dates)
            score = _score(q, features, spec, starts)
            if score is not None and (best is None or score > best[0]):
                best = (score, spec)
        if best is not None:
            if background is None:
                background = is_background(s, published)
            numbers.append(_dated(q, best[0], best[1], s, found, published, starts or [],
                                  background, dates))
    if numbers and background is None:
        background = is_background(s, published)
    return _SentenceFindings(tuple(tier_obs), tuple(numbers), bool(background), anaphors)


RECENT_DAYS = 45


def _dated(q: Quantity, score: float, spec: ClaimSpec, s: str, found: list[Quantity],
           published: dt.date, starts: list[dt.date], sentence_background: bool = True,
           dates: Sequence[DateMention] | None = None) -> _Finding:
    """A finding with what dates its own statement: the clauses of the sentence's other
    quantities are left out ("268 charged since 2022, against 41 in September 2022": the
    year dates the 41 only), and a number recalled for comparison is background."""
    own = _own_statement(s, q, found) if len(found) > 1 else s
    recalled = bool(RECALLED_BEFORE.search(s[max(0, q.number.start - 40):q.number.start]))
    # Leaving text out only removes dating words: a sentence that is not background
    # has no background statement, and one without an old date has no old statement.
    background = recalled or (sentence_background and is_background(own, published))
    dated_only = background and not recalled and not _background_words(own)
    # Clamped: a page may claim any date, the first of year 1 included.
    cutoff = published - dt.timedelta(days=min(RECENT_DAYS, (published - dt.date.min).days))
    dated_old = False
    if dates is None or any(d.date < cutoff for d in dates):
        plain = strip_periods(own)
        dated_old = any(_as_of(d, plain) < cutoff for d in find_dates(plain, published))
    scope = _scope_phrase(s, spec, starts)
    return _Finding(q, score, spec, background, dated_only, dated_old, bool(scope), scope)


_END_OF_MONTH_BEFORE = re.compile(r"\b(?:the\s+)?end\s+of\s+$", re.IGNORECASE)


def _as_of(d: DateMention, sentence: str) -> dt.date:
    """The day a date stands for: "the end of July", 7月底 / 7月末 are its last day."""
    if d.precision != "month":
        return d.date
    if sentence[d.end:d.end + 1] in ("底", "末") or _END_OF_MONTH_BEFORE.search(
            sentence[max(0, d.start - 12):d.start]):
        following = (d.date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return d.date


def _background_words(sentence: str) -> bool:
    rest = _ASIDE.sub(" ", strip_periods(sentence))
    return not BACKGROUND_GUARD.excludes(rest) and BACKGROUND.search(rest) is not None


def _own_statement(s: str, q: Quantity, found: list[Quantity]) -> str:
    own = clause_around(s, q.number.start, q.number.end)
    out = s
    for other in found:
        theirs = clause_around(s, other.number.start, other.number.end)
        if theirs and theirs != own:
            out = out.replace(theirs, " ")
    return out


_SINCE_OPENING = re.compile(
    r"\bsince\s+(?:it|its|the|their)\s+(?:[\w-]+\s+){0,3}?(?:was\s+)?(?:opened|launched|began|started|"
    r"set up|opening|launch|creation|inception)\b|开通[^，。]{0,8}以来|開通[^，。]{0,8}以來|累计|累計",
    re.IGNORECASE)


def _scope_phrase(s: str, spec: ClaimSpec, starts: list[dt.date]) -> str:
    """The phrase by which the sentence states the claim's own period, if any: a start
    within the slack of the claim's, or a count since the service opened (cumulative)."""
    if spec.period_start is None:
        return ""
    if starts and any(abs((d - spec.period_start).days) <= PERIOD_SLACK_DAYS for d in starts):
        m = re.search(r"\b(?:since|from|between)\b[^,.;]{0,60}|自[^，。；]{0,20}", s, re.IGNORECASE)
        return m.group(0).strip() if m else "since " + spec.period_start.isoformat()
    m = _SINCE_OPENING.search(s)
    if m and not starts:
        return m.group(0)
    return ""


# Sentences whose findings an index keeps: an article's text is matched twice
# (as relevance evidence, then with the title for its figures).
_FINDINGS_KEPT = 4096


class _ClaimIndex:
    """Claims (numeric ones blocked by what they count), so that a quantity meets only
    the claims of its head noun (people heads: every claim counting people),
    in the claims' order. Claims of one shape (heads, concepts, wording,
    place, period) score alike and the first of them wins a tie, so only the
    first claim of each shape is scored: with thousands of claims from many
    seeds the cost per article stays near flat. The index of the last claim
    list is kept (it holds the claims, so their ids cannot be reused)."""

    _last: _ClaimIndex | None = None

    @classmethod
    def of(cls, specs: Sequence[ClaimSpec]) -> _ClaimIndex:
        last = cls._last
        if last is not None and len(last.all) == len(specs) and (
                not specs or (specs is last.source and specs[0] is last.all[0]
                              and specs[-1] is last.all[-1])
                or all(map(is_, last.all, specs))):
            # The same claims, by identity. The caller's very list is taken as unchanged
            # (callers build a new list for new claims): comparing 5,000 claims one by one
            # twice an article cost more than matching.
            return last
        index = cls._last = cls(specs)
        return index

    def __init__(self, specs: Sequence[ClaimSpec]) -> None:
        self.all = list(specs)  # holds the claims the cache is keyed by
        self.source = specs  # the sequence they came in
        self.specs = [s for s in specs if s.kind == "number"]
        self.tiers = [s for s in specs if s.kind == "tier"]
        self._by_head: dict[str, list[int]] = {}
        self._people: list[int] = []
        self._shape_of: list[tuple[object, ...]] = []
        self._merged: dict[str, list[ClaimSpec]] = {}
        self._findings: dict[tuple[str, dt.date], _SentenceFindings] = {}
        for i, spec in enumerate(self.specs):
            self._shape_of.append((spec.heads, spec.concepts, spec.context, spec.place,
                                   spec.period_start, spec.primary_head))
            for head in spec.heads:
                self._by_head.setdefault(head, []).append(i)
            if spec.counts_people:
                self._people.append(i)
        # A count of people may be told by its participle alone ("2,000 rescued").
        people = PERSON_HEADS | PEOPLE_PARTICIPLES if self._people else set()
        self._head_scan = _head_scan(set(self._by_head) | people)

    def may_count(self, sentence: str) -> bool:
        """False when no quantity of the (ASCII) sentence can count what a claim counts:
        a quantity's head is the stem of one of its words, and a stem is a prefix of the
        lower-cased word (or that prefix + "y", for "-ies"), so the sentence holds it."""
        return (self._head_scan is None or not sentence.isascii()
                or self._head_scan.search(sentence.lower()) is not None)

    def findings(self, sentence: str, published: dt.date) -> _SentenceFindings:
        """What `sentence` (of an article published on `published`) says of these claims,
        kept: it depends on nothing else, and the last values are applied apart."""
        key = (sentence, published)
        found = self._findings.get(key)
        if found is None:
            if len(self._findings) >= _FINDINGS_KEPT:
                self._findings.clear()
            found = self._findings[key] = _sentence_findings(sentence, published, self)
        return found

    def candidates(self, head: str) -> list[ClaimSpec]:
        """The first claim of each shape a quantity of `head` may state, in order."""
        merged = self._merged.get(head)
        if merged is None:
            positions = set(self._by_head.get(head, []))
            if head in PERSON_HEADS:
                positions.update(self._people)
            seen: set[tuple[object, ...]] = set()
            merged = []
            for i in sorted(positions):
                if self._shape_of[i] not in seen:
                    seen.add(self._shape_of[i])
                    merged.append(self.specs[i])
            self._merged[head] = merged
        return merged


def _head_scan(heads: set[str]) -> re.Pattern[str] | None:
    """Finds, in a lower-cased ASCII sentence, what any word stemmed to one of `heads`
    holds: the head, or the head without its "y" ("countries" -> "country")."""
    parts = {h[:-1] if h.endswith("y") else h for h in heads if h.isascii()}
    if not parts or "" in parts:
        return None  # no claim, or a head any sentence might hold
    return literal_scan(essential(parts))


def _quote(sentence: str, q: Quantity) -> str:
    return sentence.strip()


def _tier_observations(s: str, tiers: Sequence[ClaimSpec], background: bool) -> list[Observation]:
    if not (mentions_cambodia(s) or re.search(r"\b(?:it|its)\b", s)):
        return []
    # The first ranking not said of another country ("Thailand stayed on Tier 2, and ...").
    m = next((m for m in TIER.finditer(s) if not _foreign_clause(clause_around(s, m.start(),
                                                                              m.end()))), None)
    if m is not None:
        value = tier_value(m)
    else:
        # "the lowest tier", "the bottom rung": the ranking's last tier, named by its place.
        low = next((m for m in LOWEST_TIER.finditer(s)
                    if not _foreign_clause(clause_around(s, m.start(), m.end()))), None)
        if low is None:
            return []
        value = LAST_TIER
    return [Observation(tiers[0].key, value, "=", not background, s.strip(), 1.0)]


# The trafficking report's lowest ranking, said without its number.
LAST_TIER = "Tier 3"
LOWEST_TIER = re.compile(r"\b(?:the|its)\s+(?:lowest|bottom|worst)\s+(?:tier|rung|rank|ranking|"
                         r"category|grade)\b|最低(?:一级|级别|等级)", re.IGNORECASE)


def _foreign_clause(clause: str) -> bool:
    return mentions_foreign_country(clause) and not mentions_cambodia(clause)


def is_background(sentence: str, published: dt.date) -> bool:
    """A statement that recalls an older figure (dated before this year, 'last year')."""
    # Periods ("since August 2022") and asides (", which was downgraded in 2022,") date
    # something else than the statement itself.
    rest = _ASIDE.sub(" ", strip_periods(sentence))
    if not BACKGROUND_GUARD.excludes(rest) and BACKGROUND.search(rest):
        return True
    years = [int(y) for y in _YEAR.findall(rest)]
    return any(y < published.year for y in years)


@dataclass(frozen=True)
class _Features:
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


def _segment_after(q: Quantity, sentence: str) -> str:
    """The words after a number up to the next number or the end of its clause."""
    end = q.number.end
    rest = sentence[end:end + 80]
    stop = re.search(r"\d|[,;:.()]|\b(?:and|while|but)\s+(?:more than\s+|about\s+|some\s+)?\d", rest)
    return rest[:stop.start()] if stop else rest


def _semicolon_part(sentence: str, at: int) -> str:
    start = max(sentence.rfind(";", 0, at), sentence.rfind("；", 0, at)) + 1
    ends = [i for i in (sentence.find(";", at), sentence.find("；", at)) if i >= 0]
    return sentence[start:min(ends) if ends else len(sentence)]


# "In Preah Sihanouk alone, 420 complaints ...": a place phrase put before the subject
# scopes the whole clause after it.
_FRONTED_PLACE = re.compile(r"^\s*(?:In|Across|Throughout|Within)\s+([^,;:]{2,40}?)"
                            r"(?:\s+alone)?\s*,")


def _fronted_places(sentence: str, at: int) -> frozenset[str]:
    m = _FRONTED_PLACE.match(sentence)
    if m is None or m.end() > at:
        return frozenset()
    return _provinces(m.group(1))


def _features(q: Quantity, sentence: str) -> _Features:
    clause = q.clause
    concepts = concepts_of(clause)
    if not concepts:
        # a phrase set off by commas ("nine cases, involving 54 people, had been
        # confirmed as trafficking"): what its part of the sentence (up to a ";") says
        concepts = _concepts(_semicolon_part(sentence, q.number.start))
    return _Features(
        concepts=frozenset(concepts),
        clause_places=_provinces(clause) | _fronted_places(sentence, q.number.start),
        sentence_places=_provinces(sentence),
        foreign=mentions_foreign_country(clause) and not mentions_cambodia(clause),
        single_site=bool(_SINGLE_SITE.search(clause)),
        short_period=bool(SHORT_PERIOD.search(sentence)),
        wording=" ".join(stem(w) for w in words(clause)),
        nationality=bool({w.lower() for w in q.phrase.split()} & NATIONALITIES),
        calendar_years=calendar_years(sentence),
        places_after=_provinces(_segment_after(q, sentence)),
        set_referred=bool(_SET_REFERRED.search(sentence[max(0, q.number.start - 30):q.number.start])),
    )



def plausible(q: Quantity, spec: ClaimSpec, last: object, background: bool) -> bool:
    """A value within reach of the claim's last known one; a running total does not fall."""
    return judge_value(q, spec, last, background) == ("background" if background else "current")


def _ratio(value: object, last: object) -> float | None:
    if not isinstance(last, (int, float, tuple, list)):
        return None
    last_mag = _magnitude(tuple(last) if isinstance(last, list) else last)  # type: ignore[arg-type]
    return _magnitude(value) / last_mag if last_mag else 1.0  # type: ignore[arg-type]


def judge_value(q: Quantity, spec: ClaimSpec, last: object, background: bool,
                scoped: bool = False) -> str | None:
    """"current", "background" or None (implausible) for a value of this claim.

    Within 0.2x-10x of the last known value; a sentence that states the claim's own
    period (a running total since its start) may have grown further, as cumulative
    counts do over years. A running total below the last known one is an older
    figure recalled (background); a recall may also be near the seed's own value."""
    ratio = _ratio(q.number.value, last)
    if ratio is None:
        return "background" if background else "current"
    high = math.inf if scoped else MAX_RATIO
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
        return "background" if _same(q.number.value, spec.value) else None
    return "current"


# "how many of the 2,310 people rescued...": the number names a set another count is
# drawn from, it states nothing new.
_SET_REFERRED = re.compile(r"(?:\b(?:how many|which|none|some|most|all|half|many|few|each|any)|\d)"
                           r"\s+of\s+(?:the|these|those)\s+$", re.IGNORECASE)
# A count over another calendar year than a running total's ("1,946 rescued in 2023").
_CALENDAR_YEAR = re.compile(r"\b(?:in|during|for|throughout|over)\s+((?:19|20)\d{2})\b(?!\s*(?:[-–]|to|and)\s*\d)"
                            r"|\bcalendar[- ]year\b|(?<!\d)((?:19|20)\d{2})\s+alone\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _provinces(text: str) -> frozenset[str]:
    """The provinces a text names (the quantities of one sentence ask again and again)."""
    return frozenset(p.province for p in find_places(text))


@lru_cache(maxsize=4096)
def _concepts(text: str) -> frozenset[str]:
    return frozenset(concepts_of(text))


@lru_cache(maxsize=4096)
def calendar_years(sentence: str) -> tuple[int, ...]:
    """Calendar years a sentence counts over (0: "the calendar year", whichever)."""
    out = []
    for m in _CALENDAR_YEAR.finditer(strip_periods(sentence)):
        year = m.group(1) or m.group(2)
        out.append(int(year) if year else 0)
    return tuple(out)


def _score(q: Quantity, f: _Features, spec: ClaimSpec, starts: list[dt.date]) -> float | None:
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
            q.head in spec.heads and len(shared) >= 1 and "scam" not in needed) and not (
            own_period and shared & needed - {"scam"}):
        return None  # (the claim's own period stated, its measure suffices: "detained since")
    # Place scope: a province claim needs its province; a nationwide one refuses
    # one place, a foreign country, and counts of one building.
    if spec.place:
        if spec.place not in f.sentence_places:
            return None
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
    own = 1.0 if q.head == spec.primary_head else 0.5 if q.head in spec.heads else 0.0
    return len(shared) - 0.5 * len(needed - shared) + wording + own
