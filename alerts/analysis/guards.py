"""Cheap pre-checks for the case-insensitive vocabularies scanned on every sentence.

A pattern such as `\\b(?:raid|raided|...)\\b|突查|...` with re.IGNORECASE gives
the regex engine no character to skip to, so it tries every alternative at
every position: most of analysis went into proving that sentences do *not*
mention a vocabulary. Any match of such a pattern in ASCII text must contain,
lower-cased, a literal part of one of its alternatives ("raid", "search of"),
and one case-sensitive scan of the lower-cased sentence for those literals
is several times faster. A sentence that holds none of them cannot match,
so the pattern is skipped; otherwise (and for any non-ASCII sentence) the
pattern itself decides, so results are those of the pattern alone.

Why lower-casing is exact for ASCII text: under re.IGNORECASE an ASCII
character of the pattern matches an ASCII character of the text exactly when
their lower cases are equal. Non-ASCII pattern characters that match ASCII
ones (the Kelvin sign, long s, dotted and dotless i) make a guard refuse to
be built rather than risk a wrong answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SPECIAL = frozenset(".^$[]\\|()")
_QUANTIFIERS = frozenset("*+?{")
_ASCII = "".join(map(chr, range(128)))


def required_literal(alternative: str) -> str:
    """The literal text every match of the regex fragment `alternative` starts with
    ('scams?' -> 'scam', 'pig[- ]butchering' -> 'pig'); '' when there is none."""
    literal: list[str] = []
    for ch in alternative:
        if ch in _QUANTIFIERS:
            return "".join(literal[:-1])  # the quantified character may be absent
        if ch in _SPECIAL:
            break
        literal.append(ch)
    return "".join(literal)


def _can_match_ascii(ch: str) -> bool:
    """Whether the pattern character `ch` matches some ASCII character case-insensitively."""
    return re.search(re.escape(ch), _ASCII, re.IGNORECASE) is not None


@dataclass(frozen=True)
class Guard:
    """Literals one of which any case-insensitive match in ASCII text contains."""

    literals: tuple[str, ...]  # lower-cased
    scan: re.Pattern[str] | None  # finds any of them; None: no guard, never excludes

    def excludes(self, text: str) -> bool:
        """True when the guarded pattern cannot match `text`."""
        return (self.scan is not None and text.isascii()
                and self.scan.search(text.lower()) is None)


NO_GUARD = Guard((), None)


def guard(alternatives: Iterable[str]) -> Guard:
    """The guard of a pattern every match of which contains a match of one of
    `alternatives` (regex fragments, matched with re.IGNORECASE)."""
    alternatives = list(alternatives)
    if not alternatives:
        return NO_GUARD  # an empty alternation matches the empty string anywhere
    needles: list[str] = []
    for alternative in alternatives:
        literal = required_literal(alternative)
        if not literal:
            return NO_GUARD
        if literal.isascii():
            needles.append(literal.lower())
        elif all(_can_match_ascii(ch) for ch in literal if not ch.isascii()):
            return NO_GUARD  # it could match ASCII text through case folding
        # else: a character of it never matches ASCII text, nor does the alternative
    if not needles:
        return Guard((), re.compile(r"(?!)"))  # nothing can match ASCII text
    kept = essential(needles)
    return Guard(kept, literal_scan(kept))


def essential(needles: Iterable[str]) -> tuple[str, ...]:
    """The needles, without those holding a shorter one ("raids" holds "raid"): a text
    holds one of these exactly when it holds one of all."""
    unique = set(needles)
    return tuple(sorted(n for n in unique if not any(o != n and o in n for o in unique)))


def literal_scan(needles: Iterable[str]) -> re.Pattern[str]:
    """A case-sensitive pattern that finds any of `needles` (non-empty strings)."""
    return re.compile(_trie(sorted(set(needles))))


def _trie(needles: list[str]) -> str:
    """A regex matching where any of `needles` (non-empty) starts, as a tree of first
    characters: the engine tries a few branches per position instead of every needle."""
    by_first: dict[str, list[str]] = {}
    for needle in needles:
        by_first.setdefault(needle[0], []).append(needle[1:])
    branches = []
    for first, rests in sorted(by_first.items()):
        if "" in rests:  # a needle ends here: its prefix alone is a match
            branches.append(re.escape(first))
        else:
            branches.append(re.escape(first) + "(?:" + _trie(rests) + ")")
    return "|".join(branches)


@dataclass(frozen=True)
class Guarded:
    """A case-insensitive pattern and its guard; `search` answers as the pattern does."""

    pattern: re.Pattern[str]
    guard: Guard

    def search(self, text: str) -> re.Match[str] | None:
        return None if self.guard.excludes(text) else self.pattern.search(text)
