"""What one sentence says of the claims, whatever their last known values: each counted
quantity with the claim it states best, whether its own statement is background (dated
in the past, recalled for comparison), the claim's own period if stated, and the TIP
ranking it gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alerts.analysis.claims import TIER, ClaimSpec, tier_value
from alerts.analysis.claim_scoring import (PERIOD_SLACK_DAYS, Features, claim_score, features_of,
                                           states_fully)
from alerts.analysis.count_shapes import fact_box
from alerts.analysis.dates import DateMention, find_dates
from alerts.analysis.lexicon import (BACKGROUND, BACKGROUND_GUARD, PERSON_HEADS, RECALLED_BEFORE,
                                     mentions_cambodia, mentions_foreign_country)
from alerts.analysis.phrases import (Quantity, anaphoric_quantities, clause_around, has_number,
                                     period_starts, quantities, strip_periods)

if TYPE_CHECKING:
    from alerts.analysis.claim_index import ClaimIndex


_ASIDE = re.compile(r",\s*(?:which|who|whose|where)\b[^,]*,")


# A year: four digits not followed by a Chinese measure word ("2000宗" counts complaints).
_YEAR = re.compile(r"(?<![\d,.$])((?:19|20)\d{2})(?!\d|,\d|\s*[人名宗起个处處])")


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


@dataclass(frozen=True)
class Finding:
    """A quantity of a sentence and the claim it states best (plausibility aside)."""

    quantity: Quantity
    score: float
    spec: ClaimSpec
    background: bool = False  # the quantity's own statement recalls an older figure
    dated_only: bool = False  # background only by a date (not "up from", "at the time")
    dated_old: bool = False  # its statement is dated well before publication
    scoped: bool = False  # the sentence states the claim's own period ("since August 18")
    scope: str = ""
    stamped: bool = False  # its old date is a point in time it is "as of" (截至)
    full: bool = False  # its noun is the claim's and its clause says all the claim's concepts


@dataclass(frozen=True)
class SentenceFindings:
    """What a sentence says of the claims, whatever their last known values."""

    tiers: tuple[Observation, ...]
    numbers: tuple[Finding, ...]
    background: bool
    anaphors: tuple[Quantity, ...] = ()  # "the count had reached 455": no noun of its own


def sentence_findings(s: str, published: dt.date, index: ClaimIndex) -> SentenceFindings:
    numeric, tiers = index.specs, index.tiers
    tier_obs: list[Observation] = []
    background: bool | None = None
    if tiers and ("tier" in s.lower() or "第" in s or "最低" in s
                  or LOWEST_TIER.search(s) is not None):
        background = is_background(s, published)
        tier_obs = tier_observations(s, tiers, background)
    anaphors = tuple(anaphoric_quantities(s, published)) if numeric else ()
    if anaphors:
        background = is_background(s, published)
    if not numeric or not index.may_count(s) or not has_number(s):
        return SentenceFindings(tuple(tier_obs), (), bool(background), anaphors)
    dates = find_dates(s, published)
    found = quantities(s, published, dates)
    if not found:
        return SentenceFindings(tuple(tier_obs), (), bool(background), anaphors)
    # Period starts and background matter only for quantities some claim may count.
    starts: list[dt.date] | None = None
    numbers = []
    for q in found:
        best: tuple[float, ClaimSpec] | None = None
        features: Features | None = None
        if q.head in PERSON_HEADS and (_charged_after(s, q) or _charged_before(s, q)
                                       or _charged_label(s, q)):
            # "120 people had been arrested and charged", "courts have charged 120
            # people": people charged are suspects
            q = dataclasses.replace(q, head="suspect")
        for spec in index.candidates(q.head):
            features = features or features_of(q, s)
            if starts is None:
                starts = period_starts(s, published, dates)
            score = claim_score(q, features, spec, starts)
            if score is not None and (best is None or score > best[0]):
                best = (score, spec)
        if best is not None:
            if background is None:
                background = is_background(s, published)
            finding = dated_finding(q, best[0], best[1], s, found, published, starts or [],
                                    background, dates)
            if features is not None and states_fully(q, features, best[1]):
                finding = dataclasses.replace(finding, full=True)
            numbers.append(finding)
    if numbers and background is None:
        background = is_background(s, published)
    return SentenceFindings(tuple(tier_obs), tuple(numbers), bool(background), anaphors)


RECENT_DAYS = 45


def dated_finding(q: Quantity, score: float, spec: ClaimSpec, s: str, found: list[Quantity],
           published: dt.date, starts: list[dt.date], sentence_background: bool = True,
           dates: Sequence[DateMention] | None = None) -> Finding:
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
    dated_old = stamped = False
    if dates is None or any(d.date < cutoff for d in dates):
        plain = strip_periods(own)
        old = [d for d in find_dates(plain, published) if _as_of(d, plain) < cutoff]
        dated_old = bool(old)
        stamped = dated_old and all(_STAMP.search(plain[max(0, d.start - 24):d.start])
                                    for d in old)
    scope = _scope_phrase(s, spec, starts)
    return Finding(q, score, spec, background, dated_only, dated_old, bool(scope), scope,
                   stamped)


# A passive of charging right after a count of people: those people are the suspects.
_CHARGED_AFTER = re.compile(r"\s*(?:(?:have|has|had|were|was)\s+)?(?:(?:since|now|also|all)\s+)?"
                            r"(?:been\s+)?(?:arrested\s+and\s+|detained\s+and\s+)?"
                            r"(?:charged|indicted|prosecuted)\b", re.IGNORECASE)


# A verb of charging right before a count of people, its object ("have now charged
# 120 people", "起诉120人"); not a plan ("will charge", "to charge").
_CHARGED_BEFORE = re.compile(r"(?<!\bto )(?<!\bwill )(?<!\bwould )\b(?:charged|indicted|prosecuted|charges|indicts)"
                             r"\s+(?:(?:a total of|more than|over|about|some|nearly|at least|"
                             r"another|a further)\s+)?$|(?<!将)(?<!將)(?:起诉|起訴)(?:了)?$",
                             re.IGNORECASE)


def _charged_before(s: str, q: Quantity) -> bool:
    """Whether the count of people is the object of a verb of charging."""
    return _CHARGED_BEFORE.search(s[max(0, q.number.start - 40):q.number.start]) is not None


_CHARGED_LABEL = re.compile(r"\b(?:charged|indicted|prosecuted)\b|起诉|起訴", re.IGNORECASE)


def _charged_label(s: str, q: Quantity) -> bool:
    """Whether a fact box's label names people charged ("People charged: 61", "被起诉人数：61")."""
    boxed = fact_box(s[:q.number.start], s[q.number.end:])
    return boxed is not None and _CHARGED_LABEL.search(boxed[2]) is not None


def _charged_after(s: str, q: Quantity) -> bool:
    """Whether the count's noun phrase is followed by a passive of charging."""
    at = s.find(q.phrase, q.number.end) if q.phrase else -1
    if at < 0 or at - q.number.end > 3:
        at = q.number.end - len(q.phrase)  # "61 Charged in ...": no noun between
    return _CHARGED_AFTER.match(s, at + len(q.phrase)) is not None


# "As of December 31, ...", "by the end of January", 截至: the date a total is counted up
# to, not the day of an older statement; the figure is the latest one known as of then.
_STAMP = re.compile(r"\b(?:as\s+(?:of|at)|by|up\s+to|until)\s+(?:the\s+end\s+of\s+)?$|"
                    r"(?:截至|截止|截止到|至)$", re.IGNORECASE)


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
    r"set up|opening|launch|creation|inception)\b|开通[^，。]{0,8}以来|開通[^，。]{0,8}以來|累计|累計"
    # a running total said as one ("in total", "so far", "to date"): the claim's own period,
    # which may have grown past ten times the last value (another period is a start)
    r"|\b(?:in total|so far|to date|in all|altogether|cumulatively)\b(?!\s+this\b)|迄今|至今",
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


def quote_of(sentence: str, q: Quantity) -> str:
    return sentence.strip()


def tier_observations(s: str, tiers: Sequence[ClaimSpec], background: bool) -> list[Observation]:
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
