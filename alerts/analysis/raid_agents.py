"""Who does what to premises, and in which clause: verbs anyone may do tell an operation only
with its agents named ("tourists poured into a casino" is none), closures only when the
authorities close a scam site (a business closing its hotel is none). Split from
raid_sentences, which asks these of each operation word.
"""

from __future__ import annotations

import re
from itertools import pairwise

from alerts.analysis.lexicon import PREMISES

__all__ = ["BY_AGENTS_ONLY", "CLAUSE_CUTS", "closes_scam_site", "has_agents", "is_closure",
           "needs_agents", "needs_operation_subject", "operation_took_place", "trigger_clause",
           "acts_on_premises", "gets_people_out", "rescued_by_others"]

# Where a sentence's clauses meet: commas, semicolons, dashes, brackets, and before "as part
# of", "amid", "under" (a campaign's phrase told beside one raid).
CLAUSE_CUTS = re.compile(r",\s+|;\s+|\s+[—–-]+\s+|\s+\(|[，；：]|\s+(?=(?:as part of|part of|amid|"
                         r"in the latest|under)\b)", re.IGNORECASE)


def trigger_clause(s: str, trigger: re.Match[str]) -> str:
    """The clause an operation word is in (between commas, semicolons, dashes)."""
    cuts = [0] + [m.end() for m in CLAUSE_CUTS.finditer(s)] + [len(s)]
    return next((s[a:b] for a, b in pairwise(cuts) if a <= trigger.start() < b), s)


def clause_bounds(s: str, at: int) -> tuple[int, int]:
    """The bounds of the clause position `at` of s is in."""
    cuts = [0] + [m.end() for m in CLAUSE_CUTS.finditer(s)] + [len(s)]
    return next(((a, b) for a, b in pairwise(cuts) if a <= at < b), (0, len(s)))


# Verbs of going into a place that anyone may do ("tourists poured into a casino") tell an
# operation only with its agents named, or pointed to ("they"), in the sentence.
_MOVEMENT = re.compile(r"^(?:entered|went into|went through|went in|poured into|surged|swarmed|"
                       r"moved into|burst into|broke into|forced|combed|scoured|swept|emptied|"
                       r"surrounded|intervened|dismantled|took down|cleared out|带走|帶走|对|對|在)",
                       re.IGNORECASE)
# ... of which these act on premises only as their object ("dismantled a scam centre", not
# "took down the names of guests at a hotel", "intervened in a dispute at a bar").
_ON_PREMISES = re.compile(r"^(?:intervened|dismantled|took down|cleared out)", re.IGNORECASE)
_AGENTS = re.compile(r"\b(?:police|policemen|officers?|officials|authorities|troops|soldiers|"
                     r"military|gendarmes?|agents|task force|team|units?|investigators|raiders|"
                     r"immigration|they|them)\b|警|执法|執法|当局|當局|军|軍", re.IGNORECASE)


# Closing premises is an operation only when police-type agents close a scam site
# ("authorities sealed off a scam compound"), not a business closing its hotel.
_CLOSURE = re.compile(r"^(?:shut|sealed|closed|closure|shuttered|padlocked|取缔|取締|关停|關停|"
                      r"关闭|關閉|封闭|封閉)", re.IGNORECASE)
_ZH_SCAM_SITE = re.compile(r"诈骗|詐騙|电诈|電詐|网赌|網賭|园区|園區|窝点|窩點")
_POLICE = re.compile(r"\b(?:police|policemen|officers|authorities|officials|troops|soldiers|"
                     r"military|gendarmes?|task force|immigration|prosecutors)\b|警|执法|執法|当局|當局",
                     re.IGNORECASE)
_SCAM_SITE = re.compile(r"\b(?:scam|scamming|fraud|cyber-?scam|online gambling|illegal gambling|"
                        r"trafficking)\s+(?:[\w-]+\s+){0,2}?(?:" + PREMISES.pattern + r")|\bcompounds?\b",
                        re.IGNORECASE)


_CLOSED_BY = re.compile(r"\b(?:was|were|been|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def closes_scam_site(s: str, verb: re.Match[str]) -> bool:
    """The agents close the site: they stand before the verb in its clause and the scam site
    follows it ("police closed a scam compound"), or the site was closed "by" them."""
    if not verb.group(0).isascii():  # "警方取缔一处诈骗窝点": the police before, a scam site
        return _POLICE.search(s, 0, verb.start()) is not None \
            and _ZH_SCAM_SITE.search(s) is not None
    a, b = clause_bounds(s, verb.start())
    before, after = s[a:verb.start()], s[verb.end():b]
    if _CLOSED_BY.search(before):
        return _SCAM_SITE.search(before) is not None and re.search(
            r"^\s+(?:[\w-]+\s+){0,4}?by\s+(?:the\s+)?(?:\w+\s+)?" + _POLICE.pattern, after,
            re.IGNORECASE) is not None
    return _POLICE.search(before) is not None and re.match(
        r"\s+(?:down\s+|off\s+)?(?:[\w'’-]+\s+){0,4}?(?:" + _SCAM_SITE.pattern + r")", after,
        re.IGNORECASE) is not None


BY_AGENTS_ONLY = re.compile(r"^(?:extracted|bussed|ferried|carried|moved\s+out)", re.IGNORECASE)


def needs_agents(word: str) -> bool:
    return _MOVEMENT.match(word) is not None


def has_agents(s: str) -> bool:
    return _AGENTS.search(s) is not None


def is_closure(word: str) -> bool:
    return _CLOSURE.match(word) is not None


# "took place at", "carried out at" tell an operation only of one: an operation word before
# it ("the raid took place at") or an ordinal subject of a roundup ("The first, on Monday,").
_HAPPENED = re.compile(r"^(?:took place at|carried out at)", re.IGNORECASE)
_OPERATION_SUBJECT = re.compile(
    r"\b(?:raid|operation|search|inspection|swoop|crackdown)s?\b|^\s*the (?:first|second|third|"
    r"fourth|fifth|latest|last|other)(?: one)?\s*(?:,|took|was)", re.IGNORECASE)


def needs_operation_subject(word: str) -> bool:
    return _HAPPENED.match(word) is not None


def operation_took_place(s: str, verb: re.Match[str]) -> bool:
    return _OPERATION_SUBJECT.search(s[:verb.start()]) is not None


def acts_on_premises(s: str, verb: re.Match[str]) -> bool:
    """The verb's object, within a few words after it, is premises (not "cleared out of")."""
    if _ON_PREMISES.match(verb.group(0)) is None:
        return True
    return re.match(r"\s+(?!of\b)(?:(?:a|an|the|its|their|one|two|three|suspected|illegal|"
                    r"large|alleged|[\w'’-]+-storey)\s+){0,3}(?:[\w'’-]+\s+)?(?:"
                    + PREMISES.pattern + r")", s[verb.end():], re.IGNORECASE) is not None


# People got out of premises by verbs said also of tourists and floods ("were bussed out of a
# resort after a flood"): a raid's only with its agents, a scam site, or its workers named.
_HELD_PEOPLE = re.compile(r"\b(?:workers|victims|captives|labou?rers|foreigners|nationals|"
                          r"Indonesians|Vietnamese|Chinese|Thais|Filipinos|Malaysians|Indians|"
                          r"Koreans|Laotians|Burmese|Kenyans|Ugandans|Pakistanis|Bangladeshis)\b")


def gets_people_out(s: str) -> bool:
    return has_agents(s) or _SCAM_SITE.search(s) is not None or _HELD_PEOPLE.search(s) is not None


# Getting people out tells a raid only when the authorities do it: a charity, volunteers or
# relatives who free a worker from a compound ("Relatives freed a worker from a compound")
# report a rescue, not an operation. Their subject before the verb, or "by" them after it.
_RESCUE_WORD = re.compile(r"^(?:rescu|free|releas|found|remov|evacuat|liberat|escort|led|helped|"
                          r"brought|pulled|taken|took|extract|bussed|ferried|carried|moved out|"
                          r"解救|救出|营救|營救|获救|獲救|救离|救離|获释|獲釋|带离|帶離|带出|帶出)",
                          re.IGNORECASE)
_NOT_AUTHORITIES = re.compile(
    r"\b(?:charit(?:y|ies)|NGOs?|non-?profits?|volunteers?|activists?|relatives|famil(?:y|ies)|"
    r"parents|friends|employers?|(?:aid|rights|church|charity|advocacy|volunteer)\s+groups?|"
    r"monks?|church(?:es)?|foundation|(?:non-governmental\s+)?organi[sz]ations?|journalists?|"
    r"reporters?|(?:a|his|her|their)\s+(?:brother|sister|son|daughter|husband|wife))\b|"
    r"志愿者|志願者|家属|家屬|亲属|親屬|慈善|公益组织|公益組織|非政府组织|非政府組織",
    re.IGNORECASE)
_BY_OTHERS = re.compile(r"\s+(?:[\w'’-]+\s+){0,8}?by\s+(?:(?:a|an|the|his|her|their|local)\s+)?"
                        r"(?:[\w'’-]+\s+)?(?:" + _NOT_AUTHORITIES.pattern + r")", re.IGNORECASE)


def rescued_by_others(s: str, verb: re.Match[str]) -> bool:
    """A verb of getting people out whose doer is not the authorities: a charity or relatives
    as its subject (no police named before it), or "by" them after a passive."""
    if _RESCUE_WORD.match(verb.group(0)) is None:
        return False
    before = s[:verb.start()]
    if _POLICE.search(before) or _AGENTS.search(before):
        return False
    a, _ = clause_bounds(s, verb.start())
    return _NOT_AUTHORITIES.search(s, a, verb.start()) is not None \
        or _BY_OTHERS.match(s, verb.end()) is not None
