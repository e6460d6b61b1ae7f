"""A page's language: what it declares, checked against the script its text is in.

Declared languages are often missing (Chinese portals without `lang`) or
wrong (a template's `lang="en"` on every page). The script of the letters
settles most cases without a model: Han is Chinese (Japanese with kana),
Khmer script is Khmer. Latin-script text with no usable declaration goes to
py3langid when it is installed (the `language` extra: a small, maintained
fork of langid.py; its model loads once per process, about a second).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Share of letters a script needs to decide the language.
_DOMINANT = 0.6
# Letters looked at: enough to know the script, cheap on long pages.
_SAMPLE_CHARS = 2000
# The letters of each script, by Unicode block (regular expressions count
# them in C: a loop over characters cost a tenth of a page's extraction).
_SCRIPTS = {name: re.compile(f"[{chars}]") for name, chars in {
    "HAN": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff", "KANA": "\u3040-\u30ff",
    "HANGUL": "\uac00-\ud7af\u1100-\u11ff", "KHMER": "\u1780-\u17ff", "THAI": "\u0e00-\u0e7f",
    "LAO": "\u0e80-\u0eff", "MYANMAR": "\u1000-\u109f", "ARABIC": "\u0600-\u06ff",
    "CYRILLIC": "\u0400-\u04ff", "LATIN": "A-Za-z\u00c0-\u024f",
}.items()}
_SCRIPT_LANGUAGE = {"HAN": "zh", "KANA": "ja", "HANGUL": "ko", "KHMER": "km", "THAI": "th",
                    "LAO": "lo", "MYANMAR": "my", "ARABIC": None, "CYRILLIC": None,
                    "LATIN": None}
# Declared languages and the script their text is written in (others: Latin).
_LANGUAGE_SCRIPT = {"zh": "HAN", "ja": "HAN", "ko": "HANGUL", "km": "KHMER", "th": "THAI",
                    "lo": "LAO", "my": "MYANMAR", "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC",
                    "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "sr": "CYRILLIC"}


def normalise_language(value: object) -> str | None:
    """The primary language subtag, lower case ("zh-CN" -> "zh")."""
    if not isinstance(value, str) or not value.strip():
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def dominant_script(text: str) -> str | None:
    """The script of most of the text's letters ("KANA" when Japanese kana
    are more than a few of them: Japanese mixes them with Han)."""
    sample = text[:_SAMPLE_CHARS]
    latin = _SCRIPTS["LATIN"].subn("", sample)[1]
    # Hardly any non-ASCII (curly quotes, a name's accent): Latin, no other count needed.
    if len(sample.encode("utf-8")) - len(sample) < latin * 0.05:
        return "LATIN" if latin else None
    counts = {name: pattern.subn("", sample)[1] for name, pattern in _SCRIPTS.items()}
    total = sum(counts.values())
    if not total:
        return None
    if counts["KANA"] > total * 0.05:
        return "KANA"
    script = max(counts, key=counts.__getitem__)
    return script if counts[script] >= total * _DOMINANT else None


def checked_language(declared: str | None, text: str) -> str | None:
    """The declared language when the text's script fits it, else the text's own."""
    script = dominant_script(text)
    if declared and (script is None or _fits(declared, script)):
        return declared
    by_script = _SCRIPT_LANGUAGE.get(script or "")
    if by_script:
        return by_script
    detected = detect(text) if script in ("LATIN", "CYRILLIC", "ARABIC") else None
    return detected or (declared if script is None else None)


def detect(text: str) -> str | None:
    """py3langid's guess, None without it (or on too little text)."""
    model = _model()
    if model is None or len(text.strip()) < 40:
        return None
    language, _ = model.classify(text[:_SAMPLE_CHARS])
    return normalise_language(language)


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        from py3langid import langid
    except ImportError:
        return None
    return langid


def _fits(declared: str, script: str) -> bool:
    expected = _LANGUAGE_SCRIPT.get(declared, "LATIN")
    return script == expected or (script == "KANA" and declared == "ja")
