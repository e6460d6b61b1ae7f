"""What a quantity's sentence says around its clause: a fronted place or country ("In
Kampot, ..."), a "with N" phrase said of the place before it, the words up to the next
number, the noun's own complement ("victims of trafficking"), and when a figure was
reported ("said last month")."""

from __future__ import annotations

import re
from functools import lru_cache

from alerts.analysis.lexicon import concepts_of, mentions_cambodia, mentions_foreign_country
from alerts.analysis.phrases import Quantity
from alerts.analysis.places import find_places


@lru_cache(maxsize=4096)
def provinces_in(text: str) -> frozenset[str]:
    """The provinces a text names (the quantities of one sentence ask again and again)."""
    return frozenset(p.province for p in find_places(text))


@lru_cache(maxsize=4096)
def concepts_in(text: str) -> frozenset[str]:
    return frozenset(concepts_of(text))

# "in the compounds", "from compounds", "scam compounds": the story's premises named by
# their own word, which says the scam without saying "scam"; a compound another noun
# names ("military compounds", "prison compounds") is none of them.
_COMPOUNDS = re.compile(r"\b(?:the|these|those|such|of|in|at|from|into|inside|scam|fraud|"
                        r"online|casino)\s+compounds\b", re.IGNORECASE)


def scam_context(clause: str) -> frozenset[str]:
    """{"scam"} when a clause names the scam compounds by their word alone."""
    return frozenset({"scam"}) if _COMPOUNDS.search(clause) else frozenset()


def segment_after(q: Quantity, sentence: str) -> str:
    """The words after a number up to the next number or the end of its clause."""
    end = q.number.end
    rest = sentence[end:end + 80]
    stop = re.search(r"\d|[,;:.()]|\b(?:and|while|but)\s+(?:more than\s+|about\s+|some\s+)?\d", rest)
    return rest[:stop.start()] if stop else rest


def semicolon_part(sentence: str, at: int) -> str:
    start = max(sentence.rfind(";", 0, at), sentence.rfind("；", 0, at)) + 1
    ends = [i for i in (sentence.find(";", at), sentence.find("；", at)) if i >= 0]
    return sentence[start:min(ends) if ends else len(sentence)]


# "In Preah Sihanouk alone, 420 complaints ...": a place phrase put before the subject
# scopes the whole clause after it.
# A list of places fronted the same way ("In Kampot, Kep and Takeo, ...", 在贡布省、白马省，)
# scopes it to all of them.
_FRONTED_PLACE = re.compile(r"^\s*(?:In|Across|Throughout|Within)\s+([^,;:]{2,40}?"
                            r"(?:\s*,\s*[A-Z][^,;:]{1,30}?)*(?:,?\s+and\s+[A-Z][^,;:]{1,30}?)?)"
                            r"(?:\s+alone)?\s*,|^\s*在([^，,；。]{2,40}?)[，,]")


# "said last month", "Last week the ministry said ...": when a figure was reported, not the
# period it counts over.
REPORTED_WHEN = re.compile(
    r"\b(?:said|says|announced|reported|stated|told\s+(?:[a-z]+\s+){0,2}?[a-z]+)\s+(?:on\s+)?"
    r"(?:last|this|earlier this)\s+(?:week|month)\b"
    r"|^\s*(?:Last|This|Earlier this)\s+(?:week|month),?\s+(?=(?:[A-Za-z'’-]+\s+){1,5}?"
    r"(?:said|announced|reported|told|stated)\b)", re.IGNORECASE)


def fronted_foreign(sentence: str, at: int) -> bool:
    """"In Myanmar, an estimated 120,000 people ...": a fronted foreign place scopes the
    clause after it to another country."""
    m = _FRONTED_PLACE.match(sentence)
    if m is None or m.end() > at:
        return False
    place = m.group(1) or m.group(2)
    return mentions_foreign_country(place) and not mentions_cambodia(place)


def fronted_places(sentence: str, at: int) -> frozenset[str]:
    m = _FRONTED_PLACE.match(sentence)
    if m is None or m.end() > at:
        return frozenset()
    return provinces_in(m.group(1) or m.group(2))


# "... from Preah Sihanouk, Kampot and Kep": a list of places the clause's last place opens
# goes on past the comma that ends the clause.
_PLACE_LIST_ON = re.compile(r"\s*,\s*((?:[A-Z][\w'’ -]{1,30}?\s*,\s*)*(?:and\s+)?[A-Z][\w'’ -]{1,30}?)"
                            r"\s*(?=[,.;]|$)")


def listed_places(q: Quantity, sentence: str) -> frozenset[str]:
    """The provinces a list continues after the count's clause ends on a province."""
    at = sentence.find(q.clause)
    if at < 0 or not provinces_in(q.clause):
        return frozenset()
    end = at + len(q.clause)
    m = _PLACE_LIST_ON.match(sentence, end)
    if m is None or not re.search(r"\band\b", m.group(1)):
        return frozenset()
    return provinces_in(m.group(1))


# "Kampot, with 600 complaints, ...": a "with N" phrase set off by commas describes the
# noun before it, so the place named there is the count's.
_WITH_PHRASE = re.compile(r"\s*with\s+(?:(?:about|around|more than|over|nearly|some|at least|"
                          r"roughly|almost)\s+)?$", re.IGNORECASE)


def appositive_places(q: Quantity, sentence: str) -> frozenset[str]:
    before = sentence[:q.number.start]
    comma = before.rfind(",")
    if comma < 0 or not _WITH_PHRASE.fullmatch(before[comma + 1:]):
        return frozenset()
    start = max(before.rfind(",", 0, comma), before.rfind(";", 0, comma)) + 1
    return provinces_in(before[start:comma])



# "victims of trafficking", "victims of human trafficking": the noun's own complement.
_OF_COMPLEMENT = re.compile(r"\s+of\s+(?:[a-z-]+\s+)?[a-z-]+", re.IGNORECASE)


def noun_concepts(q: Quantity, sentence: str) -> frozenset[str]:
    """What the counted noun phrase itself says ("trafficking victims", "victims of
    trafficking"), apart from the verbs of its clause."""
    if not q.phrase.isascii():
        return frozenset()
    at = sentence.find(q.phrase, q.number.end)
    of = _OF_COMPLEMENT.match(sentence, at + len(q.phrase)) if at >= 0 else None
    return concepts_in(q.phrase + (of.group(0) if of else ""))
