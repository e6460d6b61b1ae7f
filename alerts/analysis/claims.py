"""Seed claims: the figures a seed article states, and their signatures.

`extract_claims(text, published)` finds each counted quantity of the seed
(what it counts, the concepts around it, its place and period scope, its
qualifier and quote) and the text claims of a ranking ("Tier 3"). A quantity
introduced by "including" is a part of the one before it and inherits what
that one counts. Sentences that report a raid are left to `raids`.
`ClaimSpec` is the signature `matching` compares article sentences with.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from alerts.analysis.labels import ClaimName, name_quantity, tier_name, unique_key
from alerts.analysis.lexicon import PERSON_HEADS, concepts_of
from alerts.analysis.phrases import period_starts, quantities
from alerts.analysis.places import find_places
from alerts.analysis.raids import is_raid_sentence
from alerts.analysis.text import Sentence, split_sentences, stem, words

TIER = re.compile(r"\bTier\s*(1|2|3|one|two|three)\b(\s+Watch[\s-]*List)?"
                  r"|第\s*([一二三123])\s*[级級等](\s*(?:观察名单|觀察名單))?", re.IGNORECASE)
_TIER_NUM = {"one": "1", "two": "2", "three": "3", "一": "1", "二": "2", "三": "3"}


def tier_value(m: re.Match[str]) -> str:
    """'Tier 2 Watch List' from "Tier two Watch List" or "第二级观察名单"."""
    number = m.group(1) or m.group(3)
    watch = m.group(2) or m.group(4)
    return f"Tier {_TIER_NUM.get(number.lower(), number)}" + (" Watch List" if watch else "")
CARRY_SENTENCES = 4
_CONTENT_STOP = {"the", "a", "an", "of", "in", "on", "at", "to", "and", "or", "had", "have", "has",
                 "been", "was", "were", "is", "are", "said", "he", "she", "they", "that", "which",
                 "with", "for", "from", "by", "since", "including", "it", "its", "their", "this"}


@dataclass(frozen=True)
class ClaimSpec:
    """A seed claim as matching needs it."""

    key: str
    value: Any  # float, (low, high) or a text
    qualifier: str
    heads: frozenset[str]
    concepts: frozenset[str]
    context: frozenset[str]
    place: str | None = None
    period_start: dt.date | None = None
    kind: str = "number"  # "number" or "tier"
    measure: str = ""
    quote: str = ""

    primary_head: str = ""
    label: str = ""  # short and readable: "people rescued", "complaints in Preah Sihanouk"

    @property
    def counts_people(self) -> bool:
        return bool(self.heads & PERSON_HEADS)

    @property
    def wording(self) -> str:
        return " ".join(sorted(self.context))

    def to_context(self) -> list[str]:
        """The JSON list stored in Claim.context (heads and concepts tagged)."""
        return ([f"head:{self.primary_head}"]
                + [f"parent:{h}" for h in sorted(self.heads - {self.primary_head})]
                + [f"concept:{c}" for c in sorted(self.concepts)] + sorted(self.context))

    @classmethod
    def from_stored(cls, key: str, value: Any, qualifier: str, context: list[str],
                    place: str | None, period: str | None, measure: str = "",
                    quote: str = "", label: str = "") -> ClaimSpec:
        primary = next((c[5:] for c in context if c.startswith("head:")), "")
        heads = frozenset(c.split(":", 1)[1] for c in context
                          if c.startswith(("head:", "parent:")))
        concepts = frozenset(c[8:] for c in context if c.startswith("concept:"))
        plain = frozenset(c for c in context if ":" not in c)
        start = None
        if period and period.startswith("since "):
            try:
                start = dt.date.fromisoformat(period[6:16])
            except ValueError:
                start = None
        kind = "tier" if isinstance(value, str) else "number"
        val = tuple(value) if isinstance(value, list) else value
        return cls(key, val, qualifier, heads, concepts, plain, place, start, kind, measure, quote,
                   primary, label or key.replace("_", " "))


@dataclass
class SeedClaim:
    """A claim found in a seed, ready to store."""

    spec: ClaimSpec
    scope_source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_num(v) for v in value]
    return _num(value) if isinstance(value, float) else value


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def json_value(value: Any) -> Any:
    """A claim value as JSON: int where whole, [low, high] for ranges."""
    return _json_value(value)


def infer_published(text: str) -> dt.date | None:
    """A seed without a date: the latest full date (with a year) it mentions."""
    from alerts.analysis.dates import find_dates

    far = dt.date(2100, 1, 1)
    dated = [d.date for d in find_dates(text, far) if re.search(r"\d{4}", d.text)]
    return max(dated) if dated else None


def extract_claims(text: str, published: dt.date) -> list[SeedClaim]:
    """The seed's claims, in text order, with unique keys."""
    out: list[SeedClaim] = []
    used: set[str] = set()
    tier_seen = False
    # A period stated once ("since August 18") holds for the figures that follow it.
    carried: tuple[int, dt.date | None] = (-10, None)
    for sentence in split_sentences(text):
        s = sentence.text
        tier = TIER.search(s)
        if tier and not tier_seen:
            tier_seen = True
            value = tier_value(tier)
            key, label = tier_name(s, tier.end())
            spec = ClaimSpec(unique_key([key], used), value, "=", frozenset({"tier"}),
                             frozenset(), frozenset(_content(s)), None, None, "tier",
                             label, s, "tier", label)
            out.append(SeedClaim(spec))
        if is_raid_sentence(s, published):
            continue
        found = _sentence_claims(sentence, published, used, carried)
        if found:
            out.extend(found)
            carried = (sentence.index, found[-1].spec.period_start or carried[1])
    return out


def _sentence_claims(sentence: Sentence, published: dt.date, used: set[str],
                     carried: tuple[int, dt.date | None]) -> list[SeedClaim]:
    s = sentence.text
    out: list[SeedClaim] = []
    starts = period_starts(s, published)
    if not starts and carried[1] is not None and sentence.index - carried[0] <= CARRY_SENTENCES:
        starts = [carried[1]]
    previous_spec: ClaimSpec | None = None
    names: dict[str, ClaimName] = {}
    previous_name: ClaimName | None = None
    for q in quantities(s, published):
        if q.partitive and "including" not in s[:q.number.start][-30:]:
            continue
        if re.match(r"\s*other\b", s[q.number.end:]) or re.search(
                r"\bof\s+(?:the\s+)?$", s[:q.number.start]):
            continue  # "14 other countries", "the lowest of three": not a tracked count
        heads = {q.head}
        concepts = set(concepts_of(q.clause))
        context = set(_content(q.clause))
        parent = None
        before = s[:q.number.start][-40:].lower()
        if previous_spec is not None and ("including" in before or "in which" in before
                                          or "from" in before[-8:]):
            parent = previous_spec
        if parent is not None and "including" in before:
            heads |= set(parent.heads)
            concepts |= set(parent.concepts)
            context |= set(parent.context)
        if q.head in ("country",) or not re.fullmatch(r"[a-z]+", q.head):
            concepts |= set(concepts_of(s))
        if not concepts and q.head not in PERSON_HEADS:
            concepts = set(concepts_of(s))
        places = [p.province for p in find_places(q.clause)]
        place = places[0] if places else None
        start = starts[0] if starts else None
        name = name_quantity(s, q.number.start, q.number.end, english_noun(q.phrase, q.head),
                             place, names.get(parent.key) if parent is not None else None,
                             parent is not None and "including" in before, previous_name)
        candidates = name.key_candidates()
        spec = ClaimSpec(
            key=unique_key(candidates, used), value=q.number.value,
            qualifier=q.number.qualifier, heads=frozenset(heads), concepts=frozenset(concepts),
            context=frozenset(context), place=place, period_start=start,
            measure=name.measure(start), quote=s, primary_head=q.head, label=name.label)
        out.append(SeedClaim(spec))
        names[spec.key] = name
        previous_spec, previous_name = spec, name
    return out


_CLASSIFIER_NOUNS = {"人": "people", "起": "cases", "处": "sites", "个": "units"}


def english_noun(phrase: str, head: str) -> str:
    """The counted noun in English: as written, or from the head of a Chinese or Khmer count
    ("1100宗投诉" → "complaints", "38名" → "people")."""
    if re.search(r"[A-Za-z]", phrase):
        return phrase
    if head in _CLASSIFIER_NOUNS:
        return _CLASSIFIER_NOUNS[head]
    if re.fullmatch(r"[a-z]+", head):
        return head[:-1] + "ies" if head.endswith("y") else head + "s"
    return phrase


def _content(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w.isalpha() and w not in _CONTENT_STOP and len(w) > 2]
