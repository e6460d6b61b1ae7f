"""How many people a raid's own English sentences say were arrested and freed.

A count of people is governed by the verb of its own clause: a passive or a
bare participle after it ("63 Vietnamese were escorted out", "61 foreigners
detained"), else the verb it is the object of ("detained 12 men", "freed 23
Indians"). Appositions and asides between the count and its verb are
skipped (", 22 of them women,", " — 57 Thais and 29 Lao —", ", mostly
Chinese,"); counts joined by "and" before one verb add up ("19 Malaysians and
four Indonesians were escorted out"); a part ("22 of them", "including ...",
"among them") is never the count; a total said before it ("since July",
"this year") is a campaign's.
"""

from __future__ import annotations

import re

from alerts.analysis.lexicon import NATIONALITIES, PERSON_HEADS
from alerts.analysis.numbers import find_numbers
from alerts.analysis.text import stem

_PEOPLE_WORDS = {stem(w) for w in (
    "suspects", "suspect", "compatriots", "detainees", "citizens", "men", "women", "man", "woman",
    "employees", "staff", "managers", "supervisors", "guards", "bosses", "operators", "members",
    "minors", "children", "girls", "boys", "teenagers", "labourers", "laborers", "captives",
    "Koreans", "Chinese", "Vietnamese", "Thais", "Indonesians", "Filipinos", "Malaysians",
    "Laotians", "Indians", "Pakistanis", "Bangladeshis", "Kenyans", "Nepalis", "Ugandans",
    "Cambodians", "Taiwanese", "Burmese", "nationals")} | PERSON_HEADS
_VERBS = {
    "arrest": (r"arrested|detained|held\s+for\s+questioning|held(?=\s*[.;,]|\s*$)|apprehended|"
               r"held(?=\s+(?:during|in|after)\s+(?:the|a|an|its)\s+(?:[\w-]+\s+){0,2}?"
               r"(?:raid|search|operation|inspection|swoop|crackdown))|"
               r"taken\s+into\s+custody|rounded\s+up|caught|charged|detaining|arresting|"
               r"arrest|detain|held\s+by\s+(?:the\s+)?(?:police|authorities|officers)"),
    "rescue": (r"rescued|freed|escorted\s+(?:out|from|to)|led\s+out|helped\s+out|removed|"
               r"released|taken\s+(?:out\s+of|from)|brought\s+out|evacuated|found|identified\s+as"
               r"\s+victims|freeing|rescuing|rescue|free|liberated|saved|extracted|"
               r"(?:bussed|ferried|carried|moved)\s+out|(?:escorted|brought|led|taken)\s+to\s+"
               r"safety|led\s+away"),
}
_PASSIVE = re.compile(r"^\s*(?:(?:were|was|had\s+been|have\s+been|has\s+been|are|been|being)\s+)?"
                      r"(?:(?:\w+ly|all|later|then|also)\s+)?(?P<verb>" + "|".join(
                          f"(?P<{c}>{v})" for c, v in _VERBS.items()) + r")\b", re.IGNORECASE)
_ACTIVE = re.compile(r"\b(?P<verb>" + "|".join(f"(?P<{c}>{v})" for c, v in _VERBS.items())
                     + r")\s+(?:(?:at\s+least|more\s+than|some|about|around|a\s+further|another|"
                     r"the|all|nearly|almost|over)\s+)?$", re.IGNORECASE)
_ASIDE = re.compile(r"\s[—–]\s[^—–]{1,80}?\s[—–]\s|\s\([^()]{1,60}\)")
_APPOSITION = re.compile(r"^\s*,\s*(?:[^,;.]{1,90}?),(?=\s)")
_WORD_AFTER = re.compile(r"\s+([A-Za-z][\w'’-]*)")
_STOP = frozenset({"of", "who", "from", "in", "at", "to", "and", "were", "was", "had", "have",
                   "are", "on", "with", "for", "by"})
_PART = re.compile(r"\s+of\s+(?:them|whom|those|the)\b", re.IGNORECASE)
_PART_BEFORE = re.compile(r"\b(?:including|among\s+them|of\s+whom|of\s+them)\s+(?:\w+\s+)?$",
                          re.IGNORECASE)
_TOTAL = re.compile(r"\b(?:in total|a total of|altogether|this year|so far|to date|overall|"
                    r"since|nationwide|across the country|in all)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[;:]|,\s+(?:and|but|while|after|before|when)\s|\s(?:after|before|"
                           r"when|while)\s")


_OTHER_SCRIPT = re.compile(r"[\u4e00-\u9fff\u1780-\u17ff]")


def _is_person_word(word: str) -> bool:
    if word.lower().endswith("ed"):
        return False  # "detained" stems as "detainees" does
    return stem(word) in _PEOPLE_WORDS or word.lower() in NATIONALITIES


def _people_after(s: str, pos: int) -> int | None:
    """Where the noun phrase of people counted by a number ending at `pos` ends
    ("46 foreign workers", "63 Vietnamese nationals"), or None if it counts no people."""
    end = None
    for _ in range(5):
        m = _WORD_AFTER.match(s, pos)
        if m is None:
            break
        word = m.group(1)
        if _is_person_word(word):
            end = m.end()
        elif end is not None or word.lower() in _STOP:
            break
        pos = m.end()
    return end


def _concept(m: re.Match[str]) -> str:
    return "arrest" if m.group("arrest") else "rescue"


def _counts_in(sentence: str) -> list[tuple[str, int]]:
    """(concept, count) pairs of one sentence, in order."""
    s = _ASIDE.sub(lambda m: " " * len(m.group(0)), sentence)
    numbers = [n for n in find_numbers(s) if isinstance(n.value, float) and n.value >= 1
               and float(n.value).is_integer()]
    found: list[tuple[str, int]] = []
    pending: list[int] = []  # counts joined by "and", waiting for their verb
    for k, n in enumerate(numbers):
        np_end = _people_after(s, n.end)
        if np_end is None:
            pending = []
            continue
        before = s[:n.start]
        clause_start = max((m.end() for m in _CLAUSE_START.finditer(before)), default=0)
        if _PART.match(s, n.end) or _PART_BEFORE.search(before) \
                or _TOTAL.search(s[clause_start:n.start]) or _TOTAL.search(before):
            pending = []
            continue
        rest = s[np_end:]
        apposition = _APPOSITION.match(rest)
        if apposition:
            rest = rest[apposition.end():]
        nxt = numbers[k + 1] if k + 1 < len(numbers) else None
        passive = _PASSIVE.match(rest)
        if passive:
            found.append((_concept(passive), int(n.value) + sum(pending)))
            pending = []
            continue
        if nxt is not None and re.match(r"^\s*(?:,\s*)?and\s*$", s[np_end:nxt.start]):
            pending.append(int(n.value))
            continue
        active = _ACTIVE.search(s[clause_start:n.start])
        if active:
            found.append((_concept(active), int(n.value)))
        pending = []
    return found


def raid_counts(sentences: list[str]) -> dict[str, int]:
    """The first arrest and rescue count the sentences give (English sentences only)."""
    out: dict[str, int] = {}
    for sentence in sentences:
        if _OTHER_SCRIPT.search(sentence):
            continue
        for concept, value in _counts_in(sentence):
            out.setdefault(concept, value)
    return out
