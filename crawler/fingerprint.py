"""Content identity: an exact hash of the normalised text and a 64-bit simhash
for near-identical copies (syndication with a changed word or two)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

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


_LANE_BITS = 16
_LANE_MAX = (1 << _LANE_BITS) - 1
# _SPREAD[k][byte]: the bits of hash byte k (bits 8k..8k+7), each in its own lane.
_SPREAD = [[sum(1 << ((8 * k + b) * _LANE_BITS) for b in range(8) if byte >> b & 1)
            for byte in range(256)] for k in range(8)]


def _tokens(text: str) -> list[str]:
    norm = normalise(text)
    words = _WORD.findall(norm)
    if not _CJK.search(norm):  # most texts: no word to split, skip the per-word test
        return words
    tokens: list[str] = []
    for word in words:
        # Chinese has no spaces: each character is a token.
        tokens.extend(list(word) if _CJK.search(word) else [word])
    return tokens


def _shingles(text: str, size: int = 3) -> list[str]:
    tokens = _tokens(text)
    if len(tokens) < size:
        return [" ".join(tokens)] if tokens else []
    if size == 3:
        return [f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:])]
    return [" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)]


def simhash(text: str) -> str | None:
    """64-bit simhash (16 hex digits) of word 3-shingles; None for very short texts."""
    shingles = _shingles(text)
    if len(shingles) < MIN_SHINGLES:
        return None
    # Bit counts are summed in 16-bit lanes of one big integer (a table turns
    # each hash byte into its 8 lanes): 8 additions per shingle instead of 64,
    # the crawl's second-largest CPU cost after extraction. Same result as
    # weighting each bit +1/-1; lanes are emptied before they can overflow.
    n = len(shingles)
    t0, t1, t2, t3, t4, t5, t6, t7 = _SPREAD
    blake = hashlib.blake2b
    counts = [0] * SIMHASH_BITS
    for start in range(0, n, _LANE_MAX):
        total = 0
        for sh in shingles[start:start + _LANE_MAX]:
            d = blake(sh.encode("utf-8"), digest_size=8).digest()  # big-endian: d[7] is bits 0-7
            total += (t0[d[7]] + t1[d[6]] + t2[d[5]] + t3[d[4]]
                      + t4[d[3]] + t5[d[2]] + t6[d[1]] + t7[d[0]])
        for bit in range(SIMHASH_BITS):
            counts[bit] += (total >> (bit * _LANE_BITS)) & _LANE_MAX
    # A bit is set when more shingles have it than not (weight ones - zeros > 0).
    value = sum(1 << bit for bit, c in enumerate(counts) if 2 * c > n)
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


def shingle_ids(text: str) -> frozenset[int]:
    """The text's 3-shingles as 64-bit ints (Python's hash: equal within one
    process only), a compact form to keep and compare many times."""
    return frozenset(hash(sh) for sh in _shingles(text))


def same_shingles(a: frozenset[int], b: Iterable[int], b_size: int) -> bool:
    """`same_text` on `shingle_ids` (b given as any iterable of its ids)."""
    if not a or not b_size:
        return False
    common = len(a.intersection(b))
    return common / (len(a) + b_size - common) >= SAME_TEXT_OVERLAP
