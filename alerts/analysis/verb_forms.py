"""English verb forms: participle and gerund of a verb, and whether a word is one."""

from __future__ import annotations

IRREGULAR = {"held": "holding", "caught": "catching", "found": "finding", "freed": "freeing",
             "taken": "taking", "brought": "bringing", "sent": "sending", "kept": "keeping",
             "led": "leading", "sold": "selling", "seen": "seeing", "met": "meeting",
             "come": "coming", "gone": "going", "made": "making", "paid": "paying"}
_GERUND_TO_PARTICIPLE = {v: k for k, v in IRREGULAR.items()}
_NOT_VERBS = {"hundred", "red", "need", "seed", "bed", "shed", "speed", "feed", "united", "bring",
              "thing", "king", "ring", "spring", "evening", "morning", "building", "meeting",
              "housing", "hearing", "ceiling", "nothing", "something", "during", "including",
              "according", "following", "nearing", "wing", "sing", "string", "sibling"}


def is_participle(word: str) -> bool:
    w = word.lower()
    return w not in _NOT_VERBS and (w.endswith("ed") and len(w) > 4 or w in IRREGULAR)


def is_verb_form(word: str) -> bool:
    w = word.lower()
    if w in _NOT_VERBS:
        return False
    return (w.endswith("ed") and len(w) > 4) or (w.endswith("ing") and len(w) > 5) \
        or w in IRREGULAR or w in _GERUND_TO_PARTICIPLE


def participle(word: str) -> str:
    """'rescuing' → 'rescued', 'holding' → 'held'; a participle stays as it is."""
    w = word.lower()
    if w in _GERUND_TO_PARTICIPLE:
        return _GERUND_TO_PARTICIPLE[w]
    if not w.endswith("ing"):
        return w
    stem = w[:-3]
    if stem.endswith("y") and len(stem) > 2 and stem[-2] not in "aeiou":
        return stem[:-1] + "ied"
    if stem.endswith("e"):
        return stem + "d"
    return stem + "ed"


def gerund(word: str) -> str:
    """'trafficked' → 'trafficking', 'work' → 'working', 'live' → 'living'."""
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    if w.endswith("ing"):
        return w
    if w.endswith("ied"):
        return w[:-3] + "ying"
    if w.endswith("ed") and len(w) > 4:
        return w[:-2] + "ing"
    if w.endswith("e") and not w.endswith(("ee", "ye", "oe")):
        return w[:-1] + "ing"
    return w + "ing"

