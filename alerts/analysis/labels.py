"""Readable names for seed claims: a key, a short label and a longer measure.

A claim is named after what it counts (the noun after its number), the verb or
participle that governs it ("rescuing 361 people" → "people rescued", "54
people ... were trafficked" → "people trafficked", "people have come to work
in illegal online gambling" → "people working in illegal online gambling"),
what a relative clause says of a generic noun ("nine cases in which ... were
trafficked" → "trafficking cases"), an origin ("people from six countries" →
"countries of origin of trafficked people"), and its place. A part of a
figure ("368 complaints ..., including 149 cases occurring in X") counts what
its whole counts. Verbs of record ("received", "registered") and of report
("estimated") do not name the figure; qualifiers of the noun itself ("related
to human trafficking") go to the long measure only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from alerts.analysis.claim_keys import KEY_STOP as _KEY_STOP
from alerts.analysis.claim_keys import slug as _slug
from alerts.analysis.claim_keys import tier_name, unique_key
from alerts.analysis.phrases import strip_periods
from alerts.analysis.verb_forms import IRREGULAR as _IRREGULAR
from alerts.analysis.verb_forms import gerund, participle
from alerts.analysis.verb_forms import is_participle as _is_participle
from alerts.analysis.verb_forms import is_verb_form as _is_verb_form

__all__ = ["RECORDING", "ClaimName", "gerund", "name_quantity", "participle", "tier_name",
           "unique_key"]

# Verbs that say a figure was recorded: in the long measure, not in the label.
RECORDING = {"received", "recorded", "registered", "filed", "lodged", "logged", "documented",
             "reported", "handled", "processed", "collected"}
# Verbs that report or state a figure, or only place it: no part of its name.
_NEUTRAL = {"estimated", "said", "put", "counted", "numbered", "totalled", "totaled", "reached",
            "stood", "occurring", "occurred", "happening", "located", "based", "recorded",
            "remained", "stayed", "appeared", "included", "combined", "using", "took",
            "including", "according", "during", "following", "regarding", "concerning",
            "involving", "being", "having", "bringing", "adding", "noting", "citing", "saying",
            "estimating", "meaning", "accounting", "exceeding", "nearing", "reaching",
            "totalling", "totaling", "numbering", "followed", "added", "noted", "cited"}
_GENERIC = {"case", "cases", "incident", "incidents", "instance", "instances", "one", "ones"}
_AUX = r"(?:(?:have|has|had|were|was|are|is|be|been|being|get|got|reportedly|allegedly|all|also)\s+)*"
_MOTION = re.compile(rf"^\s*(?:who\s+|that\s+)?{_AUX}(?:come|came|coming|gone|went|going|moved|"
                     r"travelled|traveled|been\s+lured|lured|brought|sent|trafficked)\s+"
                     r"(?:to\s+(?:[A-Z][\w'-]*\s+){1,3})?to\s+(?P<verb>[a-z]+)\b")
_AFTER_VERB = re.compile(rf"^\s*(?:who\s+|that\s+|which\s+)?{_AUX}(?P<verbs>[a-z]+"
                         r"(?:\s*(?:,|,?\s+and|,?\s+or)\s+[a-z]+)*)\b", re.IGNORECASE)
_RELATIVE = re.compile(r"^\s*(?:in which|where|of which|with which)\b(?P<clause>[^,;.]*)",
                       re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:were|was|are|is|had been|have been|has been|been|being)\s+"
                      r"(?P<verb>[a-z]+)\b", re.IGNORECASE)
_ORIGIN = re.compile(r"\b(?P<noun>[a-z]+)\s+(?:who\s+(?:came|come)\s+)?from\s+$", re.IGNORECASE)
_NOUN_COMPLEMENT = re.compile(r"^\s*(?P<c>(?:related to|relating to|linked to|connected to|about|"
                              r"over|concerning|regarding|involving|of)\s+[^;.:()—]*)",
                              re.IGNORECASE)
_COMPLEMENT_END = re.compile(r"\s*(?:,\s*(?:including|he|she|they|the|a|an|said|among|while|but|"
                             r"as|and|according)\b|\b(?:including|that|which|who|whom|whose|"
                             r"while|because|although|when)\b|\d|,\s*(?-i:[A-Z])|"
                             r"\.(?=\s+(?-i:[A-Z])|\s*$)|[;:()—\"“”]|\s+said\b|$)",
                             re.IGNORECASE)
_QUALIFIER_END = re.compile(
    r"(?:\b(?:about|around|some|nearly|almost|roughly|approximately|only|just|over|an|a|the|"
    r"estimated|another|further|(?:more|fewer|less)\s+than|at\s+(?:least|most)|up\s+to|"
    r"as\s+(?:many|few|much)\s+as|a\s+total\s+of)\s*)+$", re.IGNORECASE)
# After a verb with no auxiliary, an object (a number, a determiner) means the noun is its
# subject ("12 sites arrested 57 people"), not what it was done to.
_OBJECT_NEXT = re.compile(r"\s*(?:\d|(?:a|an|the|his|her|their|its|some|more|about|over|dozens|"
                          r"hundreds|thousands|one|two|three|four|five|six|seven|eight|nine|"
                          r"ten)\b)", re.IGNORECASE)
_PREPOSITION_NEXT = re.compile(r"\s*(?:[,;.:)—]|$|(?:in|at|on|for|from|to|into|with|by|over|"
                               r"under|across|inside|near|as|out|off|back|since|during|after|"
                               r"before|through|throughout|abroad|overseas|there|here|alone)\b)",
                               re.IGNORECASE)
@dataclass
class ClaimName:
    """What a claim counts, in parts: modifiers, noun, verbs, complement, place."""

    noun: str
    modifiers: list[str] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)  # participles, in order
    recorded: list[str] = field(default_factory=list)  # "received": long measure only
    complement: str = ""  # of the verb: in the label ("in illegal online gambling")
    qualifier: str = ""  # of the noun: long measure only ("related to human trafficking")
    place: str | None = None
    key_words: list[str] = field(default_factory=list)  # the most specific words after the noun

    @property
    def label(self) -> str:
        """Short: "people rescued", "complaints in Preah Sihanouk"."""
        parts = [*self.modifiers, self.noun]
        if self.verbs:
            parts.append(_join(self.verbs))
        if self.complement:
            parts.append(self.complement)
        if self._place_shown():
            parts.append(f"in {self.place}")
        return " ".join(parts)

    def _place_shown(self) -> bool:
        # A complement that names a place already ("in the compounds of Bavet") says where.
        return bool(self.place) and not re.search(r"\b[A-Z]", self.complement)

    def premodified(self) -> str:
        """The noun with its single participle before it: "trafficked people"."""
        if len(self.verbs) == 1 and self.verbs[0].endswith(("ed", "en", "nt", "ld", "ht")):
            return " ".join([*self.modifiers, self.verbs[0], self.noun])
        return " ".join([*self.modifiers, self.noun])

    def measure(self, start: dt.date | None = None) -> str:
        """Long: "complaints related to human trafficking, forced labor or confinement
        received since 18 August 2022"."""
        parts = [*self.modifiers, self.noun]
        if self.qualifier:
            parts.append(self.qualifier + ("," if self.verbs or self.recorded else ""))
        verbs = self.verbs + [v for v in self.recorded if v not in self.verbs]
        if verbs:
            parts.append(_join(verbs))
        if self.complement:
            parts.append(self.complement)
        if self.place and self.place.lower() not in (self.complement + self.qualifier).lower():
            parts.append(f"in {self.place}")
        if start is not None:
            parts.append(f"since {start.day} {start:%B %Y}")
        return " ".join(parts)

    def key_candidates(self) -> list[str]:
        """Words for the key, most specific first after the base (noun and verbs)."""
        extra = [w for w in reversed(_words(self.complement + " " + self.qualifier))
                 if w not in _KEY_STOP]
        base = [*self.modifiers, self.noun, *self.verbs, *self.key_words]
        if self.complement and not self.key_words and extra:
            base.append(extra.pop(0))  # the head of the verb's complement ("gambling")
        if self._place_shown():
            base.append(str(self.place))
        return [_slug(" ".join(base))] + [_slug(w) for w in extra]


def name_quantity(sentence: str, start: int, end: int, phrase: str, place: str | None,
                  parent: ClaimName | None = None, is_part: bool = False,
                  previous: ClaimName | None = None) -> ClaimName:
    """Name the count sentence[start:end] + phrase (its noun phrase after the number)."""
    words = phrase.split()
    name = ClaimName(noun=words[-1] if words else phrase, modifiers=words[:-1], place=place)
    after = sentence[end:]
    at = after.lower().find(phrase.lower())
    rest = after[at + len(phrase):] if at >= 0 else after
    origin = _ORIGIN.search(sentence[:start])
    if origin and previous is not None and origin.group("noun").lower() == previous.noun.lower():
        # "54 people from six countries": the countries those people came from.
        name.complement = f"of origin of {previous.premodified()}"
        name.key_words = ["origin"]
        return name
    relative = _RELATIVE.match(rest) if name.noun.lower() in _GENERIC else None
    if relative:
        passive = _PASSIVE.search(relative.group("clause"))
        if passive and _is_participle(passive.group("verb")) \
                and passive.group("verb").lower() not in _NEUTRAL:
            name.modifiers = [*name.modifiers, gerund(passive.group("verb").lower())]
            return name
    _verbs_before(sentence[:start], name)
    if not relative:
        _verbs_after(rest, name)
    if is_part and parent is not None and name.noun.lower() in _GENERIC and not name.verbs:
        # "..., including 149 cases occurring in X": cases of what the whole counts.
        name.noun, name.modifiers = parent.noun, list(parent.modifiers)
        name.qualifier = name.qualifier or parent.qualifier
        name.recorded = name.recorded or list(parent.recorded)
    if is_part and parent is not None and not name.verbs and not name.complement:
        name.verbs = list(parent.verbs)
        name.recorded = name.recorded or list(parent.recorded)
    return name


def _verbs_before(before: str, name: ClaimName) -> None:
    before = _QUALIFIER_END.sub("", before.split(".")[-1])
    tokens = re.findall(r"[A-Za-z'’-]+|[,;:()—]", before)
    found: list[str] = []
    while tokens:
        word = tokens[-1].lower()
        if word in ("and", "or", ",") and found:
            tokens.pop()
            continue
        if not _is_verb_form(word):
            break
        found.insert(0, participle(word))
        tokens.pop()
        if tokens and tokens[-1].lower() in ("have", "has", "had", "were", "was", "been"):
            break
    _add_verbs(found, name)


def _verbs_after(rest: str, name: ClaimName) -> None:
    noun = _NOUN_COMPLEMENT.match(rest)
    if noun and not re.match(r"\s*of\s+(?:the|those|them|whom|which)\b", rest, re.IGNORECASE):
        name.qualifier = _until_end(noun.group("c"))
        return
    rest = re.sub(r"^\s*from\s+(?:\S+\s+){1,3}?[a-z]*(?:ies|s)\b", "", rest, flags=re.IGNORECASE)
    motion = _MOTION.match(rest)
    if motion:
        name.verbs.append(gerund(motion.group("verb").lower()))
        name.complement = _until_end(rest[motion.end():]).strip()
        return
    m = _AFTER_VERB.match(rest)
    if not m:
        return
    if name.verbs:
        # Governed by a verb before it, a participle after the noun only describes it
        # ("freeing 64 teenagers held in the complex"): the long measure keeps it.
        if all(_is_verb_form(v) for v in re.split(r"\W+", m.group("verbs")) if v):
            name.qualifier = _until_end(rest).strip()
        return
    verbs = [v.lower() for v in re.split(r"\s*(?:,|\band\b|\bor\b)\s*", m.group("verbs")) if v]
    if not verbs or not all(_is_verb_form(v) for v in verbs):
        return
    has_aux = bool(re.match(r"\s*(?:who\s+|that\s+|which\s+)?(?:have|has|had|were|was|are|is|be|"
                            r"been|being|get|got)\b", rest, re.IGNORECASE))
    after = rest[m.end():]
    if (not has_aux and _OBJECT_NEXT.match(after)) \
            or (verbs[-1].endswith("ing") and not _PREPOSITION_NEXT.match(after)):
        return  # the noun does it to something ("economies are losing steam")
    kept = [participle(v) if v.endswith("ed") or v in _IRREGULAR else v for v in verbs]
    before = len(name.verbs)
    _add_verbs(kept, name)
    if len(name.verbs) > before:
        name.complement = _until_end(rest[m.end():]).strip()
    elif any(v in RECORDING for v in kept) or verbs[0] in _NEUTRAL:
        place_only = _until_end(rest[m.end():]).strip()
        if place_only and not (name.place and name.place.lower() in place_only.lower()):
            name.qualifier = place_only


def _add_verbs(found: list[str], name: ClaimName) -> None:
    for verb in found:
        if verb in RECORDING:
            name.recorded.append(verb)
        elif verb not in _NEUTRAL and verb not in name.verbs:
            name.verbs.append(verb)


_DANGLING = {"province", "the", "a", "an", "at", "by", "of", "in", "on", "for", "to", "from",
             "with", "between", "involving", "about", "over", "and", "or", "some", "nearly",
             "more", "than", "least", "since", "after", "before", "across", "into", "among"}


def _until_end(text: str) -> str:
    """A complement up to where the clause ends (a comma before a new clause, a number,
    "including", "said"...), without its period ("since August") or dangling words."""
    text = re.sub(r"\s+,", ",", strip_periods(text))
    end = _COMPLEMENT_END.search(text)
    out = text[:end.start()] if end else text
    words = out.split()
    if len(words) > 10:
        return ""
    while words and words[-1].lower().strip(",") in _DANGLING:
        words.pop()
    return " ".join(words).strip(" ,")



def _join(verbs: list[str]) -> str:
    return verbs[0] if len(verbs) == 1 else ", ".join(verbs[:-1]) + " and " + verbs[-1]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z'-]*", text.lower())
