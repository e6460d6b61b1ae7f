"""Sentences and tokens, for English and Chinese text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_ABBREVIATIONS = {
    "u.s", "u.n", "st", "mr", "mrs", "ms", "dr", "gen", "pol", "lt", "col", "no", "a.m",
    "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "inc", "co", "ltd", "vs", "sen", "gov", "rep", "maj", "capt", "sgt",
}
# A sentence ends after . ! ? followed by space and a capital or digit (the space, in
# group "gap", is dropped), or right after Chinese and Khmer end marks. The pattern
# starts with the end mark itself so that the regex engine skips straight to the
# candidates instead of trying a lookbehind at every character.
_SPLIT = re.compile(r"[.!?。！？；។](?:(?<=[.!?])(?P<gap>[\"'”’]?\s+)(?=[\"'“‘(\[]?[A-Z0-9])"
                    r"|(?<=[。！？；។]))")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*|[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Sentence:
    """A sentence with its index in the article and its paragraph index."""

    text: str
    index: int
    paragraph: int


def normalise(text: str) -> str:
    """Khmer digits to ASCII, typographic quotes and dashes kept as they are."""
    return text.translate(KHMER_DIGITS).replace("\u00a0", " ")


def paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs (blank-line or line separated); subheadings kept."""
    # str.split is several times faster than re.split(r"\n+"); the empty pieces it
    # adds between consecutive newlines are dropped with the blank ones.
    return [p.strip().lstrip("#").strip() for p in text.split("\n") if p.strip()]


def _end_of_sentence(m: re.Match[str]) -> int:
    """Where the sentence `_SPLIT` found ends: after its end mark, before the space."""
    return m.start("gap") if m.group("gap") is not None else m.end()


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a text, paragraph by paragraph, abbreviations respected."""
    return list(_sentences(text))


# Analysis splits one article's text up to three times in a row (seed
# evidence, relevance, raids; the title and text together once more); the few
# last texts are kept, and each paragraph's pieces too, so that "title + text"
# costs only its title. Sentences are frozen and each call gets its own list,
# so sharing them is safe.
@lru_cache(maxsize=4)
def _sentences(text: str) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    for p_index, para in enumerate(paragraphs(normalise(text))):
        for piece in _pieces(para):
            out.append(Sentence(piece, len(out), p_index))
    return tuple(out)


@lru_cache(maxsize=2048)
def _pieces(para: str) -> tuple[str, ...]:
    """The sentences of one paragraph, in order (empty ones left out)."""
    pieces: list[str] = []
    start = 0
    for m in _SPLIT.finditer(para):
        candidate = para[start:_end_of_sentence(m)].strip()
        last = candidate.rstrip(".!?\"'”’").rsplit(" ", 1)[-1].lower().rstrip(".")
        # An initial ("J. Smith") or a list number ("1. Phnom Penh") does not end a
        # sentence; a figure does ("in Commune 4. Police ...").
        if candidate.endswith(".") and (last in _ABBREVIATIONS or len(last) == 1 and (
                not last.isdigit() or candidate.rstrip(".") == last)):
            continue
        pieces.append(candidate)
        start = m.end()
    pieces.append(para[start:].strip())
    return tuple(piece for piece in pieces if piece)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (one token per Chinese character)."""
    return [w.lower().strip("'’-") for w in _WORD.findall(text)]


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """A crude English stem, enough to equate 'rescuing', 'rescued', 'rescues'."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + repl
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def is_chinese(text: str) -> bool:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff") > len(text) * 0.2
