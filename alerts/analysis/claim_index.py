"""The claim list as matching meets it: blocked by head noun, one claim per shape, and
what each sentence says of them kept."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from operator import is_

from alerts.analysis.claims import ClaimSpec
from alerts.analysis.count_nouns import ACTS_ON_PEOPLE
from alerts.analysis.count_shapes import PEOPLE_PRESENT
from alerts.analysis.guards import essential, literal_scan
from alerts.analysis.lexicon import PERSON_HEADS
from alerts.analysis.phrases import PEOPLE_PARTICIPLES
from alerts.analysis.sentence_findings import SentenceFindings, sentence_findings


# Sentences whose findings an index keeps: an article's text is matched twice
# (as relevance evidence, then with the title for its figures).
_FINDINGS_KEPT = 4096


class ClaimIndex:
    """Claims (numeric ones blocked by what they count), so that a quantity meets only
    the claims of its head noun (people heads: every claim counting people),
    in the claims' order. Claims of one shape (heads, concepts, wording,
    place, period) score alike and the first of them wins a tie, so only the
    first claim of each shape is scored: with thousands of claims from many
    seeds the cost per article stays near flat. The index of the last claim
    list is kept (it holds the claims, so their ids cannot be reused)."""

    _last: ClaimIndex | None = None

    @classmethod
    def of(cls, specs: Sequence[ClaimSpec]) -> ClaimIndex:
        last = cls._last
        if last is not None and len(last.all) == len(specs) and (
                not specs or (specs is last.source and specs[0] is last.all[0]
                              and specs[-1] is last.all[-1])
                or all(map(is_, last.all, specs))):
            # The same claims, by identity. The caller's very list is taken as unchanged
            # (callers build a new list for new claims): comparing 5,000 claims one by one
            # twice an article cost more than matching.
            return last
        index = cls._last = cls(specs)
        return index

    def __init__(self, specs: Sequence[ClaimSpec]) -> None:
        self.all = list(specs)  # holds the claims the cache is keyed by
        self.source = specs  # the sequence they came in
        self.specs = [s for s in specs if s.kind == "number"]
        self.tiers = [s for s in specs if s.kind == "tier"]
        self._by_head: dict[str, list[int]] = {}
        self._people: list[int] = []
        self._shape_of: list[tuple[object, ...]] = []
        self._merged: dict[str, list[ClaimSpec]] = {}
        self._findings: dict[tuple[str, dt.date], SentenceFindings] = {}
        for i, spec in enumerate(self.specs):
            self._shape_of.append((spec.heads, spec.concepts, spec.context, spec.place,
                                   spec.period_start, spec.primary_head))
            for head in spec.heads:
                self._by_head.setdefault(head, []).append(i)
            if spec.counts_people:
                self._people.append(i)
        # A count of people may be told by its participle alone ("2,000 rescued").
        # ... or by a noun of what is done to them ("rescues now total 2,000").
        people = (PERSON_HEADS | PEOPLE_PARTICIPLES | ACTS_ON_PEOPLE | PEOPLE_PRESENT
                  if self._people else set())
        self._head_scan = _head_scan(set(self._by_head) | people)

    def may_count(self, sentence: str) -> bool:
        """False when no quantity of the (ASCII) sentence can count what a claim counts:
        a quantity's head is the stem of one of its words, and a stem is a prefix of the
        lower-cased word (or that prefix + "y", for "-ies"), so the sentence holds it."""
        return (self._head_scan is None or not sentence.isascii()
                or self._head_scan.search(sentence.lower()) is not None)

    def findings(self, sentence: str, published: dt.date) -> SentenceFindings:
        """What `sentence` (of an article published on `published`) says of these claims,
        kept: it depends on nothing else, and the last values are applied apart."""
        key = (sentence, published)
        found = self._findings.get(key)
        if found is None:
            if len(self._findings) >= _FINDINGS_KEPT:
                self._findings.clear()
            found = self._findings[key] = sentence_findings(sentence, published, self)
        return found

    def candidates(self, head: str) -> list[ClaimSpec]:
        """The first claim of each shape a quantity of `head` may state, in order."""
        merged = self._merged.get(head)
        if merged is None:
            positions = set(self._by_head.get(head, []))
            if head in PERSON_HEADS:
                positions.update(self._people)
            seen: set[tuple[object, ...]] = set()
            merged = []
            for i in sorted(positions):
                if self._shape_of[i] not in seen:
                    seen.add(self._shape_of[i])
                    merged.append(self.specs[i])
            self._merged[head] = merged
        return merged


def _head_scan(heads: set[str]) -> re.Pattern[str] | None:
    """Finds, in a lower-cased ASCII sentence, what any word stemmed to one of `heads`
    holds: the head, or the head without its "y" ("countries" -> "country")."""
    parts = {h[:-1] if h.endswith("y") else h for h in heads if h.isascii()}
    if not parts or "" in parts:
        return None  # no claim, or a head any sentence might hold
    return literal_scan(essential(parts))
