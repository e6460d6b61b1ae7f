"""Quantities in text: digits, number words, scales, ranges, qualifiers, Chinese.

`find_numbers(sentence)` returns every quantity with its character span, its
qualifier (`=`, `>`, `>=`, `<`, `~`) and whether it is vague ("dozens").
Chinese numerals and 万/亿 go through cn2an; Khmer digits are mapped to ASCII
by `text.normalise` first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import cn2an

Value = float | tuple[float, float]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a dozen": 12, "a hundred": 100, "a thousand": 1000,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague amounts: a lower bound with ">" ("dozens of" is more than 24).
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000,
          "tens of thousands": 20_000, "hundreds of thousands": 200_000, "millions": 2_000_000}

_WORD_NUM = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "two thousand three hundred", "nine hundred and thirty", "a hundred and fifty thousand":
# number words joined by scales, "and" only after a scale (as news English writes them).
_COMPOUND = (rf"(?:\ba|\b{_WORD_NUM})(?:[\s-]+(?:hundred|thousand|million)\b"
             rf"(?:(?:\s+and)?[\s-]+{_WORD_NUM}\b(?![\s-]+and\b))?)+")
_ONE = (rf"(?:{_DIGITS}(?:\s+(?:hundred|thousand|million|billion)\b)?|{_COMPOUND}"
        rf"|\b{_WORD_NUM}\b(?:\s+(?:hundred|thousand|million|billion)\b)?)")
_QUAL = (r"(?:more than|over|above|at least|nearly|almost|fewer than|less than|under|"
         r"about|around|roughly|some|approximately|an estimated|estimated|just over|"
         r"up to|close to|as many as|no fewer than|upwards of)")
_QUAL_BEFORE = re.compile(rf"\b(?P<qual>{_QUAL})\s+(?:between\s+)?$", re.IGNORECASE)
_EN = re.compile(
    rf"(?<![A-Za-z])(?=[0-9a-zA-Z])(?P<a>{_ONE})"
    rf"(?:\s*(?:to|-|–|—|and)\s*(?P<b>{_ONE}))?(?!\d)"
    rf"|(?P<vague>\b(?:tens of thousands|hundreds of thousands|dozens|scores|hundreds|"
    rf"thousands|millions)\b)",
    re.IGNORECASE,
)
_QUALIFIER = {
    "more than": ">", "over": ">", "above": ">", "just over": ">", "upwards of": ">",
    "at least": ">=", "no fewer than": ">=", "as many as": "<=",
    "nearly": "~", "almost": "~", "about": "~", "around": "~", "roughly": "~", "some": "~",
    "approximately": "~", "an estimated": "~", "estimated": "~", "close to": "~",
    "fewer than": "<", "less than": "<", "under": "<", "up to": "<",
}
_CN_NUM = r"[0-9零〇一二两兩三四五六七八九十百千万萬亿億.]+"
_ZH = re.compile(
    rf"(?P<qual>约有|約有|大约|大約|约|約|近|逾|超过|超過|至少|多达|多達)?(?P<a>{_CN_NUM})"
    rf"(?:(?:至|到|—|-|~)(?P<b>{_CN_NUM}))?(?P<more>多|余|餘)?"
)
_ZH_QUALIFIER = {"约有": "~", "約有": "~", "大约": "~", "大約": "~", "约": "~", "約": "~",
                 "近": "~", "逾": ">", "超过": ">", "超過": ">", "多達": "<=",
                 "至少": ">=", "多达": "<="}


@dataclass(frozen=True)
class NumberMention:
    """A quantity found in a sentence."""

    value: Value
    qualifier: str
    start: int
    end: int
    text: str
    vague: bool = False


def parse_english(text: str) -> float | None:
    """'1,000' -> 1000, '1.2 million' -> 1200000, 'sixty-four' -> 64, 'nine' -> 9."""
    t = text.lower().strip().replace("–", "-")
    if not re.search(r"\d", t) and len(t.split()) > 2:
        compound = parse_compound(t)
        if compound is not None:
            return compound
    scale = 1
    for name, mult in _SCALES.items():
        if t.endswith(" " + name):
            t, scale = t[: -len(name) - 1].strip(), mult
            break
    if re.fullmatch(_DIGITS, t):
        value = float(t.replace(",", "")) * scale
        # 309 digits or more is no count, and float('inf') breaks int() and JSON.
        return value if math.isfinite(value) else None
    if t in _UNITS:
        return float(_UNITS[t]) * scale
    parts = re.split(r"[-\s]", t)
    if parts[0] in _TENS:
        base = _TENS[parts[0]]
        if len(parts) == 2 and parts[1] in _UNITS and _UNITS[parts[1]] < 10:
            base += _UNITS[parts[1]]
        elif len(parts) > 1:
            return None
        return float(base) * scale
    return None


_WORD_VALUES = {**_UNITS, **_TENS, "a": 1}


def parse_compound(text: str) -> float | None:
    """'two thousand three hundred' -> 2300, 'a hundred and fifty thousand' -> 150000;
    None unless the words hold a scale (plain 'sixty-four' is parsed elsewhere)."""
    tokens = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if not any(w in ("hundred", "thousand", "million") for w in tokens):
        return None
    total = current = 0
    for w in tokens:
        if w == "hundred":
            current = (current or 1) * 100
        elif w in ("thousand", "million"):
            total += (current or 1) * _SCALES[w]
            current = 0
        elif w in _WORD_VALUES and not (w.startswith("a ")):
            current += _WORD_VALUES[w]
        else:
            return None
    return float(total + current)


# Traditional forms of the characters of Chinese numbers ("七千九百餘", "逾萬").
_TRADITIONAL_NUM = str.maketrans({"萬": "万", "億": "亿", "兩": "两", "餘": "余"})


def parse_chinese(text: str) -> float | None:
    text = text.translate(_TRADITIONAL_NUM)
    if text[:1] in ("万", "千", "百", "亿"):
        text = "一" + text  # "逾万": more than ten thousand
    try:
        value = float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _clean(value: float) -> float:
    return float(int(value)) if value == int(value) else value


_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_SCALE_AFTER = re.compile(r"\s*[万亿萬億千百至到]")
_NUMBER_WORDS = ({w.split()[-1] for w in _UNITS} | set(_TENS) | {"a", "dozens", "scores", "hundreds",
                 "thousands", "millions", "tens"})


# Where a quantity may start: a digit not after another, or a whole word that is a
# number word. One C-level scan finds them (a Python loop over every word cost more
# than the matching itself).
_START = re.compile(r"(?<!\d)\d|(?<![A-Za-z])(?:"
                    + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
                    + r")(?![A-Za-z])", re.IGNORECASE)


def _english_matches(sentence: str) -> list[re.Match[str]]:
    # The full pattern is tried only where a digit or a number word starts, which
    # keeps long sentences cheap.
    matches: list[re.Match[str]] = []
    end = 0
    for tok in _START.finditer(sentence):
        if tok.start() < end:
            continue
        m = _EN.match(sentence, tok.start())
        if m and m.end() > m.start():
            matches.append(m)
            end = m.end()
    return matches


def find_numbers(sentence: str) -> list[NumberMention]:
    """Every quantity in the sentence, in order (years and clock times included)."""
    out: list[NumberMention] = []
    for m in _english_matches(sentence):
        if m.group("vague"):
            word = m.group("vague").lower()
            out.append(NumberMention(float(_VAGUE[word]), ">", m.start(), m.end(),
                                     m.group(0), vague=True))
            continue
        if _CJK_SCALE_AFTER.match(sentence, m.end()):
            continue  # a Chinese quantity: left to the Chinese pass
        a = parse_english(m.group("a"))
        if a is None:
            continue
        before = _QUAL_BEFORE.search(sentence, max(0, m.start() - 30), m.start())
        qual = _QUALIFIER.get(before.group("qual").lower(), "=") if before else "="
        if sentence[m.end():m.end() + 1] in ("多", "余", "餘"):
            qual = ">"
        b = parse_english(m.group("b")) if m.group("b") else None
        if b is not None and b > a:
            value: Value = (_clean(a), _clean(b))
        else:
            if m.group("b") and b is not None:
                # "X and Y" that is not a range: keep only the first number.
                end = m.start("a") + len(m.group("a"))
                out.append(NumberMention(_clean(a), qual, m.start(), end,
                                         sentence[m.start():end]))
                continue
            value = _clean(a)
        out.append(NumberMention(value, qual, m.start(), m.end(), m.group(0)))
    if _CJK.search(sentence):
        out.extend(_find_chinese(sentence))
    out.sort(key=lambda n: (n.start, -n.end))
    kept: list[NumberMention] = []
    for n in out:
        if kept and n.start < kept[-1].end:
            continue  # inside a longer quantity already kept
        kept.append(n)
    return kept


def _find_chinese(sentence: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    for m in _ZH.finditer(sentence):
        a_text = m.group("a")
        if a_text.isdigit() and not m.group("b") and not re.match(r"[万亿萬億]", sentence[m.end():]):
            # Plain ASCII digits are found by the English pass unless a 万 follows.
            if not any("\u4e00" <= c <= "\u9fff" for c in a_text):
                continue
        if not re.search(r"[一二两兩三四五六七八九十百千万萬亿億]", a_text + (m.group("b") or "")):
            continue
        a = parse_chinese(a_text)
        b = parse_chinese(m.group("b")) if m.group("b") else None
        if a is None:
            continue
        if b is not None and a < b and re.search("[万萬]", m.group("b")) and not re.search("[万萬]", a_text) and a < 10_000:
            a *= 10_000  # "7至10万": the scale of the upper bound applies to both
        qual = _ZH_QUALIFIER.get(m.group("qual") or "", "=")
        if m.group("more"):
            qual = ">"
        value: Value = (_clean(a), _clean(b)) if b is not None and b > a else _clean(a)
        out.append(NumberMention(value, qual, m.start(), m.end(), m.group(0)))
    return out
