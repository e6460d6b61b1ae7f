"""Keys for claims: short slugs of their names, unique within a seed, and tier rankings."""

from __future__ import annotations

import re

KEY_STOP = {"of", "in", "and", "or", "the", "a", "an", "to", "from", "for", "on", "at", "with",
             "about", "by", "related", "province"}


def tier_name(sentence: str, after: int) -> tuple[str, str]:
    """("tip_tier", "Trafficking in Persons tier") from "Tier 3 ... its annual Trafficking in
    Persons ranking"; ("tier", "tier") when the sentence names no ranking."""
    m = re.search(r"\b((?:[A-Z][\w'-]*)(?:\s+(?:in|of|for|on|and)\s+[A-Z][\w'-]*|\s+[A-Z][\w'-]*)*)"
                  r"\s+(?:ranking|rankings|report|list|index|designation)s?\b", sentence[after:])
    if not m or m.group(1).lower() in ("watch", "the", "its"):
        return "tier", "tier"
    name = m.group(1)
    initials = "".join(w[0] for w in name.split()).lower()
    return f"{initials}_tier", f"{name} tier"


def unique_key(candidates: list[str], used: set[str]) -> str:
    """The base key, made unique by the next most specific words; a number last."""
    key = candidates[0]
    for extra in candidates[1:]:
        if key not in used:
            break
        if extra and extra not in key.split("_"):
            key = f"{key}_{extra}"
    base, n = key, 2
    while key in used:
        key, n = f"{base}_{n}", n + 1
    used.add(key)
    return key



def slug(text: str) -> str:
    return "_".join(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in KEY_STOP)
