"""Entities of a seed: people, organisations, places and events, with aliases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from alerts.analysis.lexicon import FOREIGN_COUNTRIES
from alerts.analysis.places import find_places

_NAME = r"[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?"
_PERSON = re.compile(
    rf"(?:(?:Prime Minister|Minister|Interior Minister|Deputy Prime Minister|President|"
    rf"secretary of state|spokesman|spokeswoman|Gen\.?|Dr\.?|Mr\.?|Ms\.?|representative)\s+)"
    rf"(?:[^,.]{{0,40}}?\s)?(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})"
    rf"|(?P<name2>{_NAME}\s+{_NAME}),\s+(?:the\s+)?(?:regional|secretary|deputy|spokes|head|chief|director)",
)
_ORG = re.compile(
    r"(?:the\s+)?(?P<org>(?:[A-Z][\w.’'-]*\s+){0,5}(?:Ministry|Office|Commission|Committee|"
    r"Department|Association|Alliance|Times|Council|Agency|Police|Court)(?:\s+(?:on|of|for|"
    r"against)\s+(?:[A-Z][\w.’'-]*\s*(?:and\s+)?)+)?)"
    r"|\b(?P<acr>[A-Z]{3,}[A-Za-z]?|[A-Z][a-z]+[A-Z]{2,3})\b"
    r"|(?:the\s+)?(?P<lower>gambling commission)",
)
_EVENT = re.compile(r"(?P<ev>(?:[A-Z][\w-]*\s+){1,6}(?:Forum|Summit|Conference)"
                    r"(?:\s+(?:Against|on|for)(?:\s+[A-Z][\w-]*)+)?)")
_NOT_PERSON = {"Trafficking", "Persons", "Forum", "Ministry", "Office", "Times"}


@dataclass
class FoundEntity:
    kind: str  # person, organisation, place, event
    name: str
    aliases: list[str] = field(default_factory=list)


def extract_entities(text: str) -> list[FoundEntity]:
    """People, organisations, places and events named in a seed, aliases included."""
    found: dict[tuple[str, str], FoundEntity] = {}

    def add(kind: str, name: str, aliases: list[str] | None = None) -> None:
        name = name.strip(" .,’'")
        if len(name) < 2:
            return
        entity = found.setdefault((kind, name), FoundEntity(kind, name))
        for alias in aliases or []:
            if alias and alias != name and alias not in entity.aliases:
                entity.aliases.append(alias)

    for m in _PERSON.finditer(text):
        name = m.group("name") or m.group("name2")
        if name and not set(name.split()) & _NOT_PERSON:
            add("person", name, [name.split()[-1]])
    for m in _ORG.finditer(text):
        name = m.group("org") or m.group("acr") or m.group("lower")
        if m.group("org") and len(name.split()) == 1:
            continue  # "Police", "Court" alone name no one in particular
        if name and name.upper() != "PM":
            words = [w for w in re.findall(r"[A-Z][\w.]*", name) if w not in ("The",)]
            acronym = "".join(w.replace(".", "") if re.fullmatch(r"(?:[A-Z]\.)+", w) else w[0]
                              for w in words) if len(words) > 2 else ""
            add("organisation", name, [acronym] if acronym else [])
    for m in _EVENT.finditer(text):
        add("event", m.group("ev"))
    for p in find_places(text):
        add("place", p.province, [p.name] if p.name != p.province else [])
    for country in FOREIGN_COUNTRIES:
        if country.isascii() and re.search(rf"\b{re.escape(country.title())}\b", text):
            add("place", country.title())
    if re.search(r"\bCambodia\b", text):
        add("place", "Cambodia", ["Kingdom of Cambodia"])
    return _merge_people(list(found.values()))


def _merge_people(entities: list[FoundEntity]) -> list[FoundEntity]:
    # "Hun Sen" and "Sen" are one person; drop single-word people found as aliases.
    people = {e.name for e in entities if e.kind == "person"}
    return [e for e in entities
            if not (e.kind == "person" and any(e.name != p and e.name in p for p in people))]
