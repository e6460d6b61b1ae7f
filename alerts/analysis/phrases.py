"""What a number counts: the noun phrase after it, sub-counts, clauses, periods."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from alerts.analysis.count_nouns import head_after as _head
from alerts.analysis.count_nouns import head_before as _head_before
from alerts.analysis.count_nouns import zh_noun_before as _zh_noun_before
from alerts.analysis.count_shapes import (
    BRINGING_TOTAL,
    OF_THOSE_FIRST,
    PEOPLE_HEAD,
    PEOPLE_PARTICIPLES,
    fact_box,
    from_to_split,
    is_people_participle,
    people_by_their_verb,
    to_value_at,
)
from alerts.analysis.dates import DateMention, find_dates
from alerts.analysis.guards import guard
from alerts.analysis.lexicon import RECALLED_BEFORE
from alerts.analysis.numbers import NumberMention, find_numbers
from alerts.analysis.periods import period_starts, strip_periods
from alerts.analysis.text import stem

__all__ = ["HAS_NUMBER", "PEOPLE_PARTICIPLES", "Quantity", "anaphoric_quantities", "clause_around",
           "dates_outside", "has_number", "looks_like_year", "period_starts", "quantities",
           "strip_periods"]

_PART_OF_BEFORE = re.compile(r"\b(?:including|of which|of whom|of them|among them)\s*,?\s*$",
                             re.IGNORECASE)
# A price, a name ("St. 19", "No. 5", "Tier 3", "Covid-19", "COVID 19"): not a count.
_NOT_COUNT_BEFORE = re.compile(r"(?i:\bcovid)[\s-]*$|[$€£¥]\s*$|[A-Za-z]-$|\bSt\.?\s*$|\bNo\.?\s*$"
                               r"|\bTier\s*$|\bcode-named\s*$")
_NOT_COUNT_AFTER = re.compile(r"\s*(?:%|percent|per cent|:\d|st\b|nd\b|rd\b|th\b|-year-old|"
                              r"billion|million dollars|dollars|dong|baht|riel|yuan|美元|亿)")
_CLAUSE_BREAK = re.compile(r"[,;:—–()\"“”]|\bwhile\b|\bbut\b|，|；|：|（|）")


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence and what it counts."""

    number: NumberMention
    phrase: str  # the noun phrase after the number ("trafficking complaints")
    head: str  # stem of its last word ("complaint")
    word: str  # its last word as written ("complaints")
    partitive: bool  # "229 of the complaints", "including 109 Thais": a sub-count
    clause: str  # the clause around the number
    # "..., bringing the total to 3,100": a running total, which the period of the count
    # before it ("last week") does not scope
    running_total: bool = False


def dates_outside(sentence: str, published: dt.date) -> list[DateMention]:
    return find_dates(sentence, published)


_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve", r"\w+teen", "twenty", "thirty", "forty", "fifty", "sixty",
                 "seventy", "eighty", "ninety", "hundred", "thousand", "dozen")
HAS_NUMBER = re.compile(
    r"\d|[一二两兩三四五六七八九十百千万萬亿億]|\b(?:" + "|".join(_NUMBER_WORDS) + ")", re.IGNORECASE)
# In ASCII text a match is a digit (\d is 0-9 there), a number word or holds "teen".
_HAS_NUMBER_GUARD = guard([*"0123456789", *(w for w in _NUMBER_WORDS if "teen" not in w),
                           "teen"])


_ASCII_DIGIT = re.compile(r"[0-9]")


def has_number(sentence: str) -> bool:
    """Whether HAS_NUMBER finds something in the sentence, cheaply when a digit says yes
    (its \\d matches there) or its guard says no."""
    if _ASCII_DIGIT.search(sentence):
        return True
    return not _HAS_NUMBER_GUARD.excludes(sentence) and HAS_NUMBER.search(sentence) is not None


_ZH_COUNTED = re.compile(r"\s*[人名宗起个處处]")


def looks_like_year(n: NumberMention, after: str) -> bool:
    """A year is written in four plain digits ("in 2024"); "two thousand complaints",
    "逾两千宗" and "2000人" (a measure word follows) are counts."""
    return (isinstance(n.value, float) and 1900 <= n.value <= 2100 and n.text.isdigit()
            and not _ZH_COUNTED.match(after))


def quantities(sentence: str, published: dt.date,
               dates: list[DateMention] | None = None) -> list[Quantity]:
    """Counted quantities of a sentence (dates, years, money and times left out)."""
    if not has_number(sentence):
        return []
    if dates is None:
        dates = find_dates(sentence, published)
    date_spans = [(d.start, d.end) for d in dates]
    out: list[Quantity] = []
    split_from: int | None = None  # where the new value of "from X to Y" starts
    for n in from_to_split(sentence, find_numbers(sentence)):
        if n.vague or any(s <= n.start < e for s, e in date_spans):
            continue
        before = sentence[max(0, n.start - 12):n.start]
        after = sentence[n.end:]
        if _NOT_COUNT_BEFORE.search(before) \
                or _NOT_COUNT_AFTER.match(after):
            continue
        if looks_like_year(n, after):
            continue
        phrase, head = _head(after)
        if is_people_participle(phrase):
            phrase, head = "people", PEOPLE_HEAD  # "2,000 rescued since 2022": people
        zh_part, box_label = False, ""
        if head in ("人", "起"):
            named = _zh_noun_before(sentence[max(0, n.start - 24):n.start])  # Khmer is longer
            if named is None and out and "其中" in sentence[max(0, n.start - 14):n.start]:
                # "投诉2400宗，其中西哈努克省600宗": a part of the count before, in a place
                named, zh_part = (out[-1].phrase, out[-1].head), True
            if named is None:  # "投诉：1100宗": a fact box's label names what 宗 counts
                boxed = fact_box(sentence[:n.start], after)
                if boxed is not None and boxed[1] not in ("人", "起"):
                    named, box_label = boxed[:2], boxed[2]
            phrase, head = named or (phrase, head)
        of_noun = leading = None
        if not head:
            phrase, head = _head_before(sentence[max(0, n.start - 80):n.start])
        if not head:
            of_noun = _OF_THE_NOUN.match(after)
            leading = None if of_noun else _OF_THE_NOUN_FIRST.match(sentence[:n.start])
            of_noun = of_noun or leading
            if of_noun:  # "250 of the complaints", "Of those complaints, 250 ...": a part
                phrase, head = of_noun.group("noun"), stem(of_noun.group("noun"))
        clause = clause_around(sentence, n.start, n.end)
        if box_label:
            clause = box_label + " " + clause
        if leading is not None:
            clause = of_noun.group(0) + clause  # what the leading "Of the complaints" says
        if not head and people_by_their_verb(sentence[max(0, n.start - 40):n.start], after):
            phrase, head = "people", PEOPLE_HEAD  # "they have rescued 3,100", "3,100 were freed"
        if not head and not out:
            boxed = fact_box(sentence[:n.start], after)
            if boxed is not None:  # "Rescued — 2,000": the label names what is counted
                phrase, head, label = boxed
                clause = label + " " + clause
        if not head and out and n.start == split_from:
            # "rose from 368 to 2,400": the new value counts what the old one did
            phrase, head = out[-1].phrase, out[-1].head
            clause = out[-1].clause
        if head and isinstance(n.value, float) and n.start != split_from:
            split_from = to_value_at(sentence, n)
        total = bool(out) and not head and BRINGING_TOTAL.search(
            sentence[max(0, n.start - 60):n.start]) is not None
        if total:
            # "300 more were rescued, bringing the total to 3,100": the total of what the
            # sentence counted before, not a part of it
            phrase, head = out[-1].phrase, out[-1].head
            clause = out[-1].clause + " " + clause
        if not head and out and (_PART_OF_BEFORE.search(sentence[max(0, n.start - 30):n.start])
                                 or _LIST_ITEM_BEFORE.search(sentence[max(0, n.start - 40):n.start])
                                 or RECALLED_BEFORE.search(sentence[max(0, n.start - 40):n.start])):
            # "1,100 complaints, including 400 in Preah Sihanouk": a part of what came before;
            # "300 in Kandal and more than 250 in Kampot": a list item counts what the first did.
            phrase, head = out[-1].phrase, out[-1].head
            clause = out[-1].clause + " " + clause
        if not head:
            continue
        partitive = of_noun is not None or bool(
            re.match(r"\s*(?:of\s+(?:the|those|them|whom|its|his|her|these|which)\b|"
                     r"were\b|was\b|of\s+\w+\s+had\b)", after)
            or re.search(r"\b(?:including|among (?:them|the\s+\w+)|of whom|of them)\s*,?\s*$",
                         sentence[:n.start].rstrip(" ,")[-40:] + " ", re.IGNORECASE)
            # "Of those, 300 ...": a part of something the sentence does not name
            or OF_THOSE_FIRST.match(sentence) is not None or zh_part
        )
        out.append(Quantity(n, phrase, head, phrase.split()[-1].lower(), partitive, clause,
                            total))
    return out


# "the ministry's count had reached 455", "the latest figure ... is 1,652": a number that
# refers back to what the sentences before counted.
_ANAPHOR_BEFORE = re.compile(
    r"\b(?:the|its|their|this|that|[a-z]+['’]s)\s+(?:[a-z-]+\s+){0,2}?(?:count|figure|tally|total|number)\b"
    r"(?!\s+of\b)"  # "the number of X was N" names its noun (_NUMBER_OF)
    r"(?:[^.;0-9]{0,50}?\b(?:reached|is|was|stood at|stands at|gives|gave|rose to|climbed to|at|to|up from|down from)"
    r"|\s*:)"  # "Their latest tally: 3,100"
    r"\s+(?:(?:about|around|more than|over|nearly|some|roughly|approximately|at least)\s+)?$"
    # "It now stands at 3,100": the sentence's subject is the count the one before named
    r"|^\s*(?:It|That)\s+(?:now\s+|currently\s+)?(?:stands at|stood at|has reached|reached|"
    r"has risen to|has climbed to|has passed|has topped)\s+(?:(?:about|around|more than|over|"
    r"nearly|some|roughly|at least)\s+)?$",
    re.IGNORECASE)
# "the final report gives 1,408", "its statement put it at 1,408": a document's number.
_SOURCE_GIVES = re.compile(
    r"\b(?:the|its|their|this|that|[a-z]+['’]s)\s+(?:[a-z-]+\s+){0,2}?(?:report|statement|data|record)"
    r"\s+(?:now\s+)?(?:gives|gave|puts it at|put it at|puts the number at|put the number at)"
    r"\s+(?:(?:about|around|more than|over|nearly|some|roughly|at least)\s+)?$", re.IGNORECASE)
_ANAPHOR_WORDS = ("count", "figure", "tally", "total", "number", "report", "statement", "data",
                  "record", "it ", "that ")


def anaphoric_quantities(sentence: str, published: dt.date,
                         dates: list[DateMention] | None = None) -> list[Quantity]:
    """Numbers without a noun that refer back to the count the article is talking about."""
    low = sentence.lower()
    if not any(w in low for w in _ANAPHOR_WORDS) or not has_number(sentence):
        return []
    if dates is None:
        dates = find_dates(sentence, published)
    out = []
    for n in find_numbers(sentence):
        if n.vague or any(d.start <= n.start < d.end for d in dates):
            continue
        if looks_like_year(n, sentence[n.end:]):
            continue
        if _NOT_COUNT_AFTER.match(sentence[n.end:]) or _head(sentence[n.end:])[1]:
            continue
        before = sentence[max(0, n.start - 90):n.start]
        if _ANAPHOR_BEFORE.search(before) or _SOURCE_GIVES.search(before):
            out.append(Quantity(n, "", "", "", False, clause_around(sentence, n.start, n.end)))
    return out


_OF_THE_NOUN = re.compile(r"\s*of\s+(?:the|those|these|all|its|their)\s+(?:[a-z-]+\s+){0,2}?"
                          r"(?P<noun>[a-z]+s|people)\b", re.IGNORECASE)
_OF_THE_NOUN_FIRST = re.compile(r"\s*(?:of|among)\s+(?:the|those|these|all|its|their)\s+"
                                r"(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+s|people)\b[^.;]*,\s+",
                                re.IGNORECASE)
# A list item without its noun: "..., 300 in Kandal and more than 250 in Kampot".
_LIST_ITEM_BEFORE = re.compile(r"(?:,|\band|\bwhile|\bwith|\bagainst)\s+(?:(?:more than|over|about|around|"
                               r"nearly|some|at least|roughly|another|a further)\s+)?$",
                               re.IGNORECASE)
def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause holding sentence[start:end] (between commas, dashes, brackets...)."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, start):
        left = m.end()
    right_match = _CLAUSE_BREAK.search(sentence, end)
    right = right_match.start() if right_match else len(sentence)
    return sentence[left:right]
