"""Shapes of news text that tell what a number without its own noun counts: a fact box's
label ("Rescued — 2,000"), the verb done to people ("have rescued 3,100"), "from X to Y",
"bringing the total to N", and the participles that count people ("2,000 rescued")."""

from __future__ import annotations

import re

from alerts.analysis.count_nouns import zh_noun_before as _zh_noun_before
from alerts.analysis.lexicon import CONCEPTS, concepts_of
from alerts.analysis.numbers import NumberMention
from alerts.analysis.text import stem

PEOPLE_HEAD = stem("people")
_PEOPLE_VERBS = {"rescue", "arrest", "trafficking"}


PEOPLE_PARTICIPLES = frozenset(w for c in _PEOPLE_VERBS for w in CONCEPTS[c]
                               if w.isascii() and w.endswith("ed")) | {"number who"}


def is_people_participle(phrase: str) -> bool:
    """A number followed by a participle of what is done to people, with no noun between
    ("Over 2,000 rescued from compounds"): a headline's count of people."""
    word = phrase.split(" ", 1)[0].lower() if phrase else ""
    return word.endswith("ed") and bool(concepts_of(word) & _PEOPLE_VERBS)


OF_THOSE_FIRST = re.compile(r"\s*(?:of|among)\s+(?:those|them|these|whom)\s*,", re.IGNORECASE)
# "rose from 368 to 2,400": an old value and a new one, not a range.
# A verb of change before "from" ("rose from", "has grown from"); "range from X to Y" is a
# range.
_FROM_BEFORE = re.compile(r"\b(?:rose|risen|rising|increased|increasing|grew|grown|growing|climbed|"
                          r"climbing|jumped|swelled|soared|gone up|went up|fell|fallen|dropped|"
                          r"declined|doubled|tripled|up|down)\s+(?:(?:sharply|steadily|quickly)\s+)?"
                          r"from\s+(?:(?:about|around|more than|over|nearly|some|just)\s+)?$",
                          re.IGNORECASE)
_TO_BETWEEN = re.compile(r"(?:\s+(?:in|by|at the end of)\s+(?:[A-Za-z]+\s+)?(?:\d{4}|last year|[A-Za-z]+))?"
                         r"\s+to\s+(?:(?:about|around|more than|over|nearly|some|almost|"
                         r"at least)\s+)?", re.IGNORECASE)


_YEAR_TEXT = re.compile(r"(?:19|20)\d{2}")


def from_to_split(sentence: str, numbers: list[NumberMention]) -> list[NumberMention]:
    """The numbers, with a "from X to Y" read as a range split into its two values."""
    out = []
    for n in numbers:
        m = re.match(r"(.+?)\s*(?:to)\s*(.+)$", n.text, re.IGNORECASE)
        if not (isinstance(n.value, tuple) and m):
            out.append(n)
            continue
        a_end = n.start + len(m.group(1))
        b_start = n.start + m.start(2)
        b = NumberMention(n.value[1], "=", b_start, n.end, m.group(2))
        if _YEAR_TEXT.fullmatch(m.group(1)) and not _YEAR_TEXT.fullmatch(m.group(2)):
            out.append(b)  # "from 368 in 2022 to 2,400": a year, then the new value
        elif _FROM_BEFORE.search(sentence[:n.start]):
            out += [NumberMention(n.value[0], n.qualifier, n.start, a_end, m.group(1)), b]
        else:
            out.append(n)
    return out


def to_value_at(sentence: str, n: NumberMention) -> int | None:
    """Where the new value starts when n is the old one of "from n to Y"."""
    if not _FROM_BEFORE.search(sentence[:n.start]):
        return None
    m = _TO_BETWEEN.match(sentence, n.end)
    return m.end() if m else None


# Words that make a number approximate or a floor, before it ("more than 3,100").
_ROUGHLY = "about|around|more than|over|nearly|some|at least|roughly|almost"
# "..., bringing the total to 3,100", "taking the tally so far to 3,100".
BRINGING_TOTAL = re.compile(
    r"\b(?:bringing|taking|pushing|raising|lifting|brings|takes|pushes|raises|lifts|brought|"
    r"took|pushed|raised|lifted)\s+(?:the|its|their)\s+(?:[a-z-]+\s+)?(?:total|tally|count|"
    r"number|figure)\s+(?:so far\s+|to date\s+)?to\s+(?:(?:" + _ROUGHLY + r")\s+)?$",
    re.IGNORECASE)
# A fact box's line: a label, a dash or a colon, then the number alone ("Rescued — 2,000",
# "People charged: 310 (to date)", "解救人数：2000").
_FACT_LABEL = re.compile(r"^\s*(?:[-•*▪]\s*)?(?P<label>[A-Za-z][A-Za-z'’ -]{1,40}?|"
                         r"[\u4e00-\u9fff]{2,12})\s*(?:\([^()]{1,40}\)|（[^（）]{1,20}）)?"  # its period
                         r"\s*(?:—|–|:|：|-{1,2}|\|)\s*(?:(?:" + _ROUGHLY
                         + r"|逾|约|約|近|超过|超過)\s*)?$",
                         re.IGNORECASE)
_FACT_END = re.compile(r"\s*(?:[人名宗起]|people|persons)?\s*(?:\([^)]*\)|（[^）]*）|so far|to date|"
                       r"(?:since|as of)\s+[^.;()\d]{0,30}(?:\d{1,2}(?:,?\s+\d{4})?|\d{4})?)?"
                       r"\s*[.;。；]?\s*$", re.IGNORECASE)
_LABEL_PLURAL = re.compile(r"\b(?P<noun>people|persons|[a-z]{3,}[^s\W]s)\b", re.IGNORECASE)


def fact_box(before: str, after: str) -> tuple[str, str, str] | None:
    """(phrase, head, label) of a number standing alone after a label that names what it
    counts: a plural noun ("Complaints received"), or a participle of what is done to
    people ("Rescued"); None for a dateline ("PHNOM PENH — 300") or any other label."""
    m = _FACT_LABEL.match(before)
    if m is None or not _FACT_END.match(after):
        return None
    label = m.group("label").strip()
    if not label.isascii():
        zh = _zh_noun_before(label + " ")
        if zh is not None:
            return zh[0], zh[1], label
        return ("人", "人", label) if label.endswith(("人数", "人數")) else None
    nouns = [w.group("noun") for w in _LABEL_PLURAL.finditer(label)]
    if nouns and not label.isupper():
        return nouns[0], stem(nouns[0]), label
    if any(is_people_participle(w) for w in label.split()):
        return "people", PEOPLE_HEAD, label
    return None


# A number of people told by the verb done to them, without a noun: its object ("have
# rescued 3,100.") or its passive subject ("3,100 have been freed").
_VERB_BEFORE = re.compile(r"\b(?P<verb>[a-z]+(?:ed|es|s))\s+(?:(?:" + _ROUGHLY
                          + r"|a total of|another|a further)\s+)?$",
                          re.IGNORECASE)
_PASSIVE_AFTER = re.compile(r"\s+(?:have|has|had|were|was)\s+(?:(?:now|so far|since|all|also|"
                            r"reportedly|already)\s+)?(?:been\s+)?(?P<verb>[a-z]+ed)\b",
                            re.IGNORECASE)


# A headline's present of what is done to people: a sentence holding one may count people.
PEOPLE_PRESENT = frozenset({"rescues", "frees", "saves", "arrests", "detains", "charges",
                            "indicts"})


def people_by_their_verb(before: str, after: str) -> bool:
    """A headline's present counts too: "Cambodia Rescues 3,100", "Court Charges 61"."""
    m = _VERB_BEFORE.search(before) or _PASSIVE_AFTER.match(after)
    if m is None:
        return False
    verb = m.group("verb")
    if verb.lower().endswith("ed"):
        return is_people_participle(verb)
    return verb.lower() in PEOPLE_PRESENT
