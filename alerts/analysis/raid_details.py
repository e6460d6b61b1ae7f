"""What a raid's own sentences say of it: the site as the article names it, the people
arrested and rescued (by the verb of each count's clause), the nationalities named.

Counts come first from `raid_counts`; the older clause rules here fill what it finds
nothing of (Chinese, "arrested 26 of his compatriots", "A Korean man ... was freed"), and
never take a number the first gave the other kind.
"""

from __future__ import annotations

import datetime as dt
import re

from alerts.analysis.lexicon import (_PREMISES_OTHER as _PREMISES_OTHER_ZH)
from alerts.analysis.lexicon import (CONCEPTS, NATIONALITIES, PERSON_HEADS, PREMISES,
                                     concepts_of)
from alerts.analysis.numbers import find_numbers
from alerts.analysis.phrases import Quantity, quantities
from alerts.analysis.raid_counts import raid_counts
from alerts.analysis.text import stem


_WORD = re.compile(r"[A-Za-z]+|[\u4e00-\u9fff]+")


def raid_numbers(texts: list[str], day: dt.date) -> dict[str, int | None]:
    """Arrested and rescued: by the verb of each count's own clause (raid_counts), else by
    the older clause rules, which never take a number the first gave the other kind."""
    found: dict[str, int | None] = dict(raid_counts(texts))
    for concept, other in (("arrest", "rescue"), ("rescue", "arrest")):
        if found.get(concept) is None:
            value = _count(texts, concept, day)
            found[concept] = None if value is not None and value == found.get(other) else value
    return found


_PREMISES_RUN = r"(?:" + PREMISES.pattern + r")(?:[\s-]+(?:" + PREMISES.pattern + r"))*"


# A named site ("the Golden Fortune casino", "Mango Park") or a described one ("a casino
# hotel", "an office tower"); in Chinese the words between 的/一处/一家 and the premises.
_NAMED_SITE = re.compile(r"\b(?:[A-Z][\w'’-]+\s+){1,3}(?i:" + PREMISES.pattern + r")")


_DESCRIBED_SITE = re.compile(r"\b(?:a|an|the|one|its)\s+(?:[\w'’-]+\s+){0,3}?" + _PREMISES_RUN,
                             re.IGNORECASE)


_ZH_SITE = re.compile(r"(?:(?<=[的了])|(?<=[一][处家栋座个间所]))(?![一][处家栋座个间所])"
                      r"[\u4e00-\u9fff]{0,6}?(?:"
                      + "|".join(_PREMISES_OTHER_ZH) + ")+")


def site_of(texts: list[str]) -> str | None:
    for s in texts:
        m = (None if s.isascii() else _ZH_SITE.search(s)) or _NAMED_SITE.search(s) \
            or _DESCRIBED_SITE.search(s) or PREMISES.search(s)
        if m:
            return m.group(0).strip()
    return None


_PEOPLE = PERSON_HEADS | {stem(w) for w in (
    "suspects", "suspect", "compatriots", "detainees", "citizens", "men", "women", "employees",
    "staff", "Koreans", "Chinese", "Vietnamese", "Thais", "Indonesians", "Filipinos")}


_ASIDE = re.compile(r"\s[—–]\s[^—–.;]{1,80}?\s[—–]\s")  # "86 people — 57 Thais and 29 Lao —"


_TOTAL = re.compile(r"\b(?:in total|a total of|altogether|this year|so far|to date|overall|"
                    r"since|nationwide|across the country)\b|累计|共计|总共|以来|今年|全国",
                    re.IGNORECASE)


_OPERATION = r"(?:raid|search|operation|inspection|swoop|crackdown)"


_MORE_VERBS = {
    "arrest": re.compile(
        r"\btaken into custody\b|\brounded up\b|\b(?:were|was|been|being)\s+(?:\w+ly\s+)?held\b"
        rf"(?=\s+(?:during|in|after)\s+(?:the|a|an|its|this)\s+(?:[\w-]+\s+){{0,2}}?{_OPERATION}"
        r"|\s+by\s+(?:the\s+)?(?:police|authorities|officers))", re.IGNORECASE),
    "rescue": re.compile(r"\b(?:removed|taken out|pulled out|brought out|evacuated|taken)\s+"
                         r"(?:of|from)\b|\b(?:escorted|led|helped|brought)\s+out\b|\breleased\b"
                         r"|\b(?:police|officers|they)\s+found\b|\b(?:were|was)\s+found\b"
                         r"|带离|带出|帶離|帶出",
                         re.IGNORECASE),
}


_OF_PEOPLE = re.compile(r"\s+of\s+(?:his|her|their|its|the|these|those)\s+([A-Za-z]+)"
                        r"(?:\s+([A-Za-z]+))?")


_SINGLE = re.compile(r"^(?:A|An|One)\s+(?:[\w'’-]+\s+){0,2}?(?:man|woman|national|citizen|"
                     r"worker|victim|boy|girl|teenager|student)\b(?P<rest>[^,;]*)")


def _blank_asides(s: str) -> str:
    """Dash-enclosed asides replaced by spaces (offsets kept): their sub-counts are not the
    count, and the verb after them belongs to the clause before."""
    return _ASIDE.sub(lambda m: " " * len(m.group(0)), s)


def _verbs(clause: str) -> list[tuple[int, str]]:
    """Arrest and rescue verbs of a clause, by position ("were held during the search")."""
    found: list[tuple[int, str]] = []
    for m in _WORD.finditer(clause):
        word = m.group(0)
        if word.isascii() and (m.start() == 0 or not word[0].isupper()):
            found += [(m.start(), c) for c in concepts_of(word) & {"arrest", "rescue"}]
    for concept in ("arrest", "rescue"):
        for word in CONCEPTS[concept]:
            if not word.isascii():
                found += [(m.start(), concept) for m in re.finditer(re.escape(word), clause)]
        found += [(m.start(), concept) for m in _MORE_VERBS[concept].finditer(clause)]
    return sorted(found)


def _governing(clause: str, start: int, end: int) -> str | None:
    """The verb a count in clause[start:end] belongs to: the nearest before it, else the
    first after it ("detained 31 suspects and rescued two women")."""
    verbs = _verbs(clause)
    before = [c for pos, c in verbs if pos < start]
    after = [c for pos, c in verbs if pos >= end]
    return before[-1] if before else (after[0] if after else None)


def _says(plain: str, q: Quantity, concept: str) -> bool:
    left = plain.rfind(q.clause, 0, q.number.start + len(q.clause))
    if left < 0 or left > q.number.start:  # a clause joined to the one before it
        return _governing(q.clause, len(q.clause), len(q.clause)) == concept
    start = q.number.start - left
    return _governing(q.clause, start, start + len(q.number.text)) == concept


def _total_before(plain: str, q: Quantity) -> bool:
    """A campaign total: said before the count or in its clause ("since July, 2,500 ...")."""
    left = plain.rfind(q.clause, 0, q.number.start + len(q.clause))
    end = left + len(q.clause) if 0 <= left <= q.number.start else q.number.end
    return bool(_TOTAL.search(plain[:end]))


def _counts_people(q: Quantity) -> bool:
    return (q.head in _PEOPLE or q.head in NATIONALITIES
            or any(w.lower() in NATIONALITIES for w in q.phrase.split()))


def _verb_before(s: str, start: int, concept: str) -> bool:
    """'arrested 26 of his compatriots': the verb governs the number directly."""
    words = _WORD.findall(s[max(0, start - 24):start])
    return bool(words) and concept in concepts_of(words[-1])


def _verb_of_people(s: str, concept: str) -> int | None:
    """'arrested 26 of his compatriots', 'freed three of the workers'."""
    for n in find_numbers(s):
        m = _OF_PEOPLE.match(s, n.end)
        words = [w for w in m.groups() if w] if m else []
        if isinstance(n.value, float) and _verb_before(s, n.start, concept) \
                and not _TOTAL.search(s[:n.start]) and any(
                stem(w) in _PEOPLE or w.lower() in NATIONALITIES for w in words):
            return int(n.value)
    return None


def _count(texts: list[str], concept: str, published: dt.date) -> int | None:
    """The number of people the operation's sentences say were arrested (or rescued)."""
    for s in texts:
        plain = _blank_asides(s)
        for q in quantities(plain, published):
            if not _says(plain, q, concept) or not _counts_people(q) or _total_before(plain, q):
                continue
            if q.partitive and not _verb_before(plain, q.number.start, concept):
                continue
            if isinstance(q.number.value, float):
                return int(q.number.value)
        direct = _verb_of_people(plain, concept)
        if direct is not None:
            return direct
    for s in texts:
        single = _SINGLE.match(s)
        if single and not _TOTAL.search(s) and concept in concepts_of(single.group("rest")):
            return 1  # "A Korean man held in the building was freed"
    return None


def nationalities_of(texts: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for s in texts:
        for w in re.findall(r"[A-Za-z]+", s):
            low = w.lower()
            if low in NATIONALITIES and low not in ("cambodian", "khmer") and w[0].isupper():
                name = low.rstrip("s") if low.endswith("s") and low[:-1] in NATIONALITIES else low
                if name.capitalize() not in found:
                    found.append(name.capitalize())
    return tuple(found)
