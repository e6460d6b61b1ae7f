"""Counts with the right noun form: "1 figure change", "2 figure changes"."""

from __future__ import annotations

# Nouns whose plural is not the noun plus "s".
IRREGULAR = {"entity": "entities", "summary": "summaries", "copy": "copies",
             "country": "countries", "is": "are", "was": "were"}


def plural_noun(n: int, noun: str, many: str | None = None) -> str:
    """The noun's form for a count of n (the last word carries the number)."""
    if n == 1:
        return noun
    if many is not None:
        return many
    head, _, last = noun.rpartition(" ")
    last_many = IRREGULAR.get(last) or (last + "es" if last.endswith(("s", "sh", "ch", "x"))
                                        else last + "s")
    return f"{head} {last_many}" if head else last_many


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 alert', '0 alerts', '1,204 articles'."""
    return f"{n:,} {plural_noun(n, noun, many)}"
