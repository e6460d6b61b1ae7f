"""A noun phrase that points back ("these operations", "such centres", 这些园区) means
what the sentence before it named: its kind of operation (a scam, trafficking) is read
into the phrase, so a count of people "made to work in these operations" is a count of
people working in the scam operations the previous sentence spoke of."""

from __future__ import annotations

import datetime as dt
import re

from alerts.analysis.claim_scoring import concepts_in, provinces_in
from alerts.analysis.dates import find_dates
from alerts.analysis.numbers import find_numbers
from alerts.analysis.phrases import looks_like_year, quantities

# A demonstrative and its noun (up to two words before the noun).
_DEMONSTRATIVE = re.compile(r"\b(these|those|such)\s+((?:[a-z-]+\s+){0,2}?)"
                            r"(operations|compounds|centres|centers|sites|places|businesses|"
                            r"schemes|networks|facilities|outfits|rackets|groups|hubs)\b"
                            r"|(这些|這些|此类|此類|该类|該類)", re.IGNORECASE)

# The topic concepts a phrase can point back to, each with a word that states it.
_TOPIC_WORDS = {"scam": ("scam", "诈骗"), "trafficking": ("trafficking", "贩运")}


# "the province", "the same province": the one province the sentence before named.
_THE_PROVINCE = re.compile(r"\b(?:the|that|this)\s+(?:same\s+)?province\b(?!\s+of\b)",
                           re.IGNORECASE)


# "Of those, 700 ...", "Among them, 120 ...": a part of what the sentence before counted.
_OF_THOSE = re.compile(r"^\s*(?:Of|Among)\s+(?:those|them|these|whom)\s*,\s*", re.IGNORECASE)


def resolved(sentence: str, previous: str, published: dt.date | None = None) -> str | None:
    """The sentence with what its pointing-back phrases mean written in ("the province"
    of the one province `previous` named, "these operations" of its topic, "Of those" of
    the count it ended on), or None when nothing in it points back to `previous`."""
    out = with_counted(sentence, previous, published) or with_share(
        sentence, previous, published) or sentence
    out = with_then(out, previous, published) or out
    m = _THE_PROVINCE.search(out)
    if m is not None and previous and not provinces_in(out):
        named = provinces_in(previous)
        if len(named) == 1:
            out = out[:m.end()] + " of " + next(iter(named)) + out[m.end():]
    topical = with_referent(out, previous)
    out = topical or out
    return out if out != sentence else None


def with_referent(sentence: str, previous: str) -> str | None:
    """The sentence with the topic words of `previous` written into its pointing-back
    phrase, or None when it has none, or when the sentence already says that topic."""
    m = _DEMONSTRATIVE.search(sentence)
    if m is None or not previous:
        return None
    carried = [c for c in _TOPIC_WORDS if c in concepts_in(previous)
               and c not in concepts_in(sentence)]
    if not carried:
        return None
    chinese = m.group(4) is not None
    words = [_TOPIC_WORDS[c][1 if chinese else 0] for c in carried]
    if chinese:
        return sentence[:m.end()] + "".join(words) + sentence[m.end():]
    at = m.start(3)
    return sentence[:at] + " ".join(words) + " " + sentence[at:]


def with_counted(sentence: str, previous: str, published: dt.date | None) -> str | None:
    """"Of those, 700 had been trafficked" after "... rescued 2,100 people": "Of the
    people, 700 ...", so the part is read as a part of the count the sentence before ended
    on, with what that count said of them (a sub-count, which only a claim that is itself
    a part may take)."""
    m = _OF_THOSE.match(sentence)
    if m is None or not previous or published is None:
        return None
    counted = [q for q in quantities(previous, published) if q.phrase.isascii()]
    if not counted:
        return None
    last = counted[-1]
    if not (last.word.endswith("s") or last.word == "people"):
        return None
    # What that count said of its noun goes with it ("rescued"), its number left out.
    said = re.sub(r"[,.;!?]", " ", last.clause.replace(last.number.text, " "))
    return f"Of the {last.word} ({' '.join(said.split())}), " + sentence[m.end():]


def with_share(sentence: str, previous: str, published: dt.date | None) -> str | None:
    """"About 600 came from Preah Sihanouk" after "... received 2,400 complaints": "About
    600 of the complaints came from ...", a place's share of the count before (which only
    that place's claim may take); None unless the sentence names a province and its one
    number has no noun of its own."""
    if not previous or published is None or not provinces_in(sentence) \
            or quantities(sentence, published):
        return None
    dates = find_dates(sentence, published)
    numbers = [n for n in find_numbers(sentence) if not n.vague
               and not looks_like_year(n, sentence[n.end:])
               and not any(d.start <= n.start < d.end for d in dates)]
    counted = [q for q in quantities(previous, published) if q.phrase.isascii()]
    if len(numbers) != 1 or not counted:
        return None
    word = counted[-1].word
    if not (word.endswith("s") or word == "people"):
        return None
    at = numbers[0].end
    return f"{sentence[:at]} of the {word}{sentence[at:]}"


# "Since then", "since that date", 此后, 自那以后: since the day the sentence before named.
_SINCE_THEN = re.compile(r"\b(?:ever\s+since|since\s+(?:then|that\s+(?:date|day|time|point)))\b"
                         r"|(?:自那以后|自那以後|从那以后|從那以後|自那时起|自那時起|此后|此後)",
                         re.IGNORECASE)
_DATE_PREPOSITION = re.compile(r"^(?:in|on|at)\s+", re.IGNORECASE)
# "Since then, complaints have grown to 1,100": a running total moved since that day; its
# new value is the total's, not a count over the days since.
_CHANGE = re.compile(r"\b(?:rise[ns]?|rose|risen|climb(?:s|ed)?|gr[eo]wn?|grows|increased?|"
                     r"reach(?:es|ed)?|doubled|jump(?:s|ed)|swell(?:s|ed)|swollen|st(?:an|oo)ds?\s+at|"
                     r"top(?:s|ped)|pass(?:es|ed)|exceed(?:s|ed)|surpass(?:es|ed))\b"
                     r"|增至|升至|增加到|增加至|上升至|上升到|达到|達到|突破|超过|超過", re.IGNORECASE)


def with_then(sentence: str, previous: str, published: dt.date | None) -> str | None:
    """"The hotline opened in August 2022. Since then, ...": the sentence with that date
    written in ("since August 2022", 自2022年8月以来), so the count runs over the period the
    sentence before started (the claim's own, or another one); None unless the sentence
    has no date of its own, no verb of change (a total that grew since then is still the
    total), and the one before names exactly one date."""
    m = _SINCE_THEN.search(sentence)
    if m is None or not previous or published is None or find_dates(sentence, published) \
            or _CHANGE.search(sentence):
        return None
    named = find_dates(previous, published)
    if len(named) != 1:
        return None
    day = _DATE_PREPOSITION.sub("", named[0].text)
    said = f"自{day}以来" if m.group(0)[0] in "自从從此" else f"since {day}"
    return sentence[:m.start()] + said + sentence[m.end():]


# An interview's question "Q: How many <noun> <clause>?" and its answer "A: <count>."
# The "Q:"/"A:" marks are optional: many interviews set the question in bold instead.
_QUESTION = re.compile(r"^\s*(?:(?:Q|Question)\s*[:.]\s*)?How\s+many\s+([^?]+?)\s*\?\s*$",
                       re.IGNORECASE)
_ANSWER = re.compile(r"^\s*(?:(?:A|Answer)\s*[:.]\s*)?((?:(?:more|fewer|less)\s+than|about|"
                     r"around|nearly|almost|some|over|roughly)?\s*[0-9][0-9,]*(?:\.[0-9]+)?)\s*[.!]?\s*$",
                     re.IGNORECASE)


def with_question(sentence: str, previous: str) -> str | None:
    """An answer that is a bare count ("A: More than 1,100.") read as the count of what
    the question before it asked ("Q: How many complaints has it received?"): the count
    is written before the question's noun and clause. Only a bare number answers; an
    answer with its own noun or words says something of its own."""
    a = _ANSWER.match(sentence)
    q = _QUESTION.match(previous or "")
    if a is None or q is None:
        return None
    return f"{a.group(1)} {q.group(1)}."
