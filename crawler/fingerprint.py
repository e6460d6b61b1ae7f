"""Content identity: an exact hash of the normalised text and a 64-bit simhash
for near-identical copies (syndication with a changed word or two)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

SIMHASH_BITS = 64
# Simhashes this close make two texts candidates for being one text; a
# shingle overlap check (`same_text`) then decides. Unrelated news texts on
# one topic differ in about 20 bits or more; one edited word moves up to ~8.
NEAR_DUPLICATE_BITS = 12
SAME_TEXT_OVERLAP = 0.8
# Below this many shingles the simhash says too little to call a copy.
MIN_SHINGLES = 20

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def normalise(text: str) -> str:
    """Case-, width- and whitespace-insensitive form of a text."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", text).strip()


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the normalised text: equal for byte-different copies of one body."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def _tokens(text: str) -> list[str]:
    norm = normalise(text)
    tokens: list[str] = []
    for word in _WORD.findall(norm):
        # Chinese has no spaces: each character is a token.
        tokens.extend(list(word) if _CJK.search(word) else [word])
    return tokens


def _shingles(text: str, size: int = 3) -> list[str]:
    tokens = _tokens(text)
    if len(tokens) < size:
        return [" ".join(tokens)] if tokens else []
    return [" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)]


def simhash(text: str) -> str | None:
    """64-bit simhash (16 hex digits) of word 3-shingles; None for very short texts."""
    shingles = _shingles(text)
    if len(shingles) < MIN_SHINGLES:
        return None
    weights = [0] * SIMHASH_BITS
    for sh in shingles:
        h = int.from_bytes(hashlib.blake2b(sh.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(SIMHASH_BITS):
            weights[bit] += 1 if (h >> bit) & 1 else -1
    value = sum(1 << bit for bit, w in enumerate(weights) if w > 0)
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicate(a: str | None, b: str | None) -> bool:
    """Whether two simhashes are close enough for the texts to be compared."""
    return bool(a and b) and hamming(a, b) <= NEAR_DUPLICATE_BITS  # type: ignore[arg-type]


def same_text(a: str, b: str) -> bool:
    """Near-identical texts: most 3-shingles shared (Jaccard), e.g. a copy with an edit."""
    sa, sb = set(_shingles(a)), set(_shingles(b))
    if not sa or not sb:
        return False
    return len(sa & sb) / len(sa | sb) >= SAME_TEXT_OVERLAP
