"""What one sentence says of a raid: its operation word, whether it names premises, is a
campaign's tally, and the dates an operation may have (not the day something was said).

Operation words include verbs of entering and outcomes ("police found", "released to");
a sentence counting many sites or told "since" a date is a campaign, not one raid.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from itertools import pairwise

from alerts.analysis.dates import DateMention, find_dates
from alerts.analysis.guards import guard
from alerts.analysis.lexicon import (CAMPAIGN, CAMPAIGN_GUARD, PREMISES, PREMISES_GUARD,
                                     RAID_TRIGGERS, RAID_TRIGGERS_GUARD)
from alerts.analysis.numbers import parse_chinese
from alerts.analysis.places import PlaceMention, find_places_loosely
from alerts.analysis.raid_agents import (BY_AGENTS_ONLY, CLAUSE_CUTS, acts_on_premises,
                                         closes_scam_site, gets_people_out, has_agents,
                                         is_closure, needs_agents, needs_operation_subject,
                                         operation_took_place, rescued_by_others)
from alerts.analysis.raid_context import is_summary

_NOT_TRIGGER = re.compile(r"\bto be (?:rescued|freed)\b|\basking to be\b", re.IGNORECASE)
# An operation planned, promised or threatened is not one reported ("plan to raid").
_INTENDED = re.compile(r"\b(?:plans?|planning|planned|intends?|intended|vow(?:s|ed)?|pledg(?:es|ed)|"
                       r"threaten(?:s|ed)?|promis(?:es|ed)|prepar(?:es|ed|ing)|will|shall|might)"
                       r"\s+(?:to\s+)?(?:\w+\s+)?$|计划|準備|准备|将要|將要", re.IGNORECASE)
# A date of what followed the operation ("a court on Tuesday charged people detained in a
# raid"), told next to a verb of the courts or of sending people home.
_AFTERMATH = "charged|sentenced|convicted|indicted|jailed|fined|deported|repatriated|tried"
_AFTERMATH_AFTER = re.compile(rf"\s*,?\s+(?:{_AFTERMATH})\b", re.IGNORECASE)
_AFTERMATH_BEFORE = re.compile(rf"\b(?:{_AFTERMATH})\s+(?:on\s+)?$", re.IGNORECASE)


_REPORTING = re.compile(
    r"(?:said|says|announced|told\s+\w+|reported|stated|added|confirmed|announcing|named|"
    r"listed|alerted)"
    # "said that on May 2 police ...", "reported raids on Monday": the date is the event's
    r"(?:\s+(?!that\b|(?:raids|operations|searches|inspections|arrests)\b)\w+){0,2}"
    r"\s+(?:on\s+)?$", re.IGNORECASE)


_MANY_NOUNS = ("sites", "compounds", "locations", "buildings", "casinos", "centres", "places",
               "premises", "properties")


MANY_PREMISES = re.compile(
    r"\b(?:more than\s+)?(?:\d[\d,]*|ten|dozens of|hundreds of|several|many)\s+"
    r"(?:\w+\s+)?(?:" + "|".join(_MANY_NOUNS) + r")\b"
    , re.IGNORECASE)


MANY_PREMISES_GUARD = guard(_MANY_NOUNS)  # every match ends with one of them


_ZH_PREMISES_COUNT = re.compile(r"([一二两三四五六七八九十百千万\d]+)多?处")


def is_campaign(s: str) -> bool:
    if not CAMPAIGN_GUARD.excludes(s) and CAMPAIGN.search(s):
        return True
    many = None if MANY_PREMISES_GUARD.excludes(s) else MANY_PREMISES.search(s)
    if many and not re.search(r"\b(?:two|three|2|3)\s+(?:\w+\s+)?locations\b", many.group(0)):
        return True
    if s.isascii():
        return False  # a count of 处 needs Chinese
    for m in _ZH_PREMISES_COUNT.finditer(s):
        count = parse_chinese(m.group(1))
        if count is not None and count > 3:
            return True  # "九十二处": many sites, a campaign
    return False


# One raid told in a sentence that also speaks of the campaign ("police raided a casino on
# Tuesday, the largest operation since January"; "在全国打击行动中，警方突击检查一处赌场"): the
# operation's own clause names one site and no campaign.
_ONE_SITE = re.compile(r"\b(?:a|an|one)\s+(?:[\w'’-]+\s+){0,3}?(?:" + PREMISES.pattern + r")|"
                       r"[一1](?:处|處|家|个|個|栋|棟|座|间|間)[^，。,]{0,6}?(?:" + PREMISES.pattern + r")",
                       re.IGNORECASE)


_SHORT_LEAD = 25  # characters of a fronted date's clause ("On Tuesday,", "3月11日，")
_DAY_WORD = re.compile(r"\d|day\b|日", re.IGNORECASE)


# Clauses between a fronted day and the one raid that say no time or statement of their own
# ("3月11日，警方在全国开展打击行动，其中贡布一处赌场被查封").
_NO_OWN_TIME = re.compile(r"\d|\b(?:day|since|said|says|announced|january|february|march|april|"
                          r"may|june|july|august|september|october|november|december)\b|"
                          r"日|月|以来|以來|起|通报|通報|表示|称|稱|宣布|宣佈", re.IGNORECASE)


_RELATIVE = re.compile(r"(?:where|when|during which|in which|at which)\b", re.IGNORECASE)


def _fronted_day(s: str, cuts: list[int], k: int) -> int:
    """Where clause k's raid starts: at a short fronted day's clause just before it, or two
    before it across a clause that says no time of its own (a campaign's, "as part of ...")."""
    if k and _RELATIVE.match(s, cuts[k]) and _DAY_WORD.search(s, cuts[k - 1], cuts[k]) \
            and not is_campaign(s[cuts[k - 1]:cuts[k]]):
        return cuts[k - 1]  # "The raids began on Tuesday in Kampot, where police searched ..."
    for back in (1, 2):
        j = k - back
        if j < 0:
            break
        lead = s[cuts[j]:cuts[j + 1]]
        between = s[cuts[j + 1]:cuts[k]]
        if cuts[j + 1] - cuts[j] <= _SHORT_LEAD and _DAY_WORD.search(lead) \
                and not is_campaign(lead) and not is_summary(lead) \
                and (back == 1 or (j == 0 and not _NO_OWN_TIME.search(between))):
            return cuts[j]
    return cuts[k]


def operation_clause(s: str) -> tuple[int, int, re.Match[str]] | None:
    """The bounds and operation word of a campaign's or a summing sentence's clause that
    tells one raid on one site (with a fronted date's clause before it, "3月11日，")."""
    cuts = [0]
    for m in CLAUSE_CUTS.finditer(s):  # "as part of" cuts twice: no clause of "as "
        if m.end() - cuts[-1] > 3:
            cuts.append(m.end())
    cuts.append(len(s))
    for k, (a, b) in enumerate(pairwise(cuts)):
        clause = s[a:b]
        trigger = trigger_of(clause)
        if trigger is None or not _ONE_SITE.search(clause) or is_campaign(clause) \
                or is_summary(clause):
            continue
        return _fronted_day(s, cuts, k), b, trigger
    return None


# "found" and "released" tell of a raid only as "police found ...", "were found", and
# "released to/into/from" (not "a report released on Monday").
_FOUND_BY = re.compile(r"\b(?:police|officers|authorities|they|were|was|been|team|agents)\s+$",
                       re.IGNORECASE)


_RELEASED_TO = re.compile(r"\s+(?:to|into|from)\b", re.IGNORECASE)




def trigger_of(s: str) -> re.Match[str] | None:
    if RAID_TRIGGERS_GUARD.excludes(s):
        return None
    agents: bool | None = None
    for m in RAID_TRIGGERS.finditer(s):
        word = m.group(0).lower()
        if needs_agents(word):
            agents = has_agents(s) if agents is None else agents
            if not agents:
                continue
        if is_closure(word) and not closes_scam_site(s, m) \
                or needs_operation_subject(word) and not operation_took_place(s, m) \
                or not acts_on_premises(s, m) or rescued_by_others(s, m):
            continue
        if BY_AGENTS_ONLY.match(word) and not (
                _FOUND_BY.search(s[max(0, m.start() - 16):m.start()]) and gets_people_out(s)):
            continue  # "the company moved out of a building"
        if word == "found" and not _FOUND_BY.search(s[max(0, m.start() - 16):m.start()]):
            continue
        if word == "released" and not (_RELEASED_TO.match(s, m.end()) and _FOUND_BY.search(
                s[max(0, m.start() - 16):m.start()])):
            continue
        if not _NOT_TRIGGER.search(s[max(0, m.start() - 12):m.end()]) \
                and not _INTENDED.search(s[max(0, m.start() - 30):m.start()]):
            return m
    return None


def event_dates(s: str, published: dt.date, latest: dt.date | None = None
                 ) -> list[DateMention]:
    """Dates of a sentence that may be an operation's (not the day something was said, or
    people were charged or sent home)."""
    return [d for d in find_dates(s, published, latest)
            if d.date <= (latest or published) and not _REPORTING.search(s[:d.start])
            and not _AFTERMATH_AFTER.match(s, d.end) and not _AFTERMATH_BEFORE.search(s[:d.start])
            and not re.match(r"\s*(?:以来|以來|起|报道|報道|发布|發布|表示|宣布|宣佈|称|稱|公布|公佈)",
                             s[d.end:])]


def event_date(s: str, trigger: re.Match[str], published: dt.date,
                latest: dt.date | None = None) -> DateMention | None:
    dates = event_dates(s, published, latest)
    if not dates:
        return None
    nearest = min(dates, key=lambda d: abs(d.start - trigger.start()))
    if nearest.precision == "month":  # "this month ... on Tuesday": the day says it closer
        inside = [d for d in dates if d.precision == "day"
                  and (d.date.year, d.date.month) == (nearest.date.year, nearest.date.month)]
        if len({d.date for d in inside}) == 1:
            return inside[0]
    return nearest


# Premises named only as a landmark ("a road near a casino") are not what was entered.
_LANDMARK = re.compile(r"\b(?:near|next to|beside|opposite|outside|behind|close to|across from)"
                       r"\s+(?:(?:a|an|the)\s+)?(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)


def has_premises(s: str) -> bool:
    if PREMISES_GUARD.excludes(s):
        return False
    return any(not _LANDMARK.search(s[max(0, m.start() - 40):m.start()])
               for m in PREMISES.finditer(s))




def is_raid_sentence(s: str, published: dt.date) -> bool:
    """A sentence that by itself reports a dated operation on premises."""
    trigger = trigger_of(s)
    return bool(trigger and has_premises(s) and not is_campaign(s)
                and event_date(s, trigger, published))


class SentenceFacts:
    """What extract_raids asks of a sentence, each part worked out when first asked:
    most sentences are only asked for their operation word."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence
        self.trigger = trigger_of(sentence)

    @cached_property
    def premises(self) -> bool:
        return has_premises(self.sentence)

    @cached_property
    def summed(self) -> bool:
        """Sums up several operations (perhaps beside one raid told in its own clause)."""
        return is_summary(self.sentence)

    @cached_property
    def summary(self) -> bool:
        return self.summed and self.clause is None

    @cached_property
    def tally(self) -> bool:
        """Speaks of a campaign, a tally or many sites (perhaps beside one raid)."""
        return is_campaign(self.sentence)

    @cached_property
    def clause(self) -> tuple[int, int] | None:
        """In a sentence that speaks of a campaign or of several operations, the clause of
        its one raid; its
        operation word becomes the sentence's ("a string of raids" is the campaign's)."""
        if not (self.tally or self.summed) or self.trigger is None:
            return None
        found = operation_clause(self.sentence)
        if found is None:
            return None
        a, b, trigger = found  # the word as found in the clause: found again in the sentence
        self.trigger = re.compile(re.escape(trigger.group(0))).search(self.sentence, a) \
            or self.trigger
        return a, b

    @cached_property
    def campaign(self) -> bool:
        return self.tally and self.clause is None

    @cached_property
    def places(self) -> list[PlaceMention]:
        return find_places_loosely(self.sentence)


# Words that tell what happened to people, not that premises were entered.
_OUTCOMES = re.compile(r"^(?:rescu|freed|free|detain|arrest|caught|netted|apprehend|releas|"
                       r"remov|escort|led|helped|pulled|rounded|took|police|officers|were|"
                       r"extract|bussed|ferried|carried|moved out|brought|taken|liberat|"
                       r"逮捕|抓获|解救|抓獲|带|帶|救出|营救|營救|获救|獲救|救离|救離|获释|獲釋)",
                       re.IGNORECASE)


def is_operation(trigger: re.Match[str]) -> bool:
    return not _OUTCOMES.match(trigger.group(0))
