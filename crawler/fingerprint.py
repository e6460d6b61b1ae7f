"""Content identity: an exact hash of the normalised text and a 64-bit simhash
for near-identical copies (syndication with a changed word or two)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class TextIdentity:
    """Everything the store needs to recognise a text again, from one pass over it."""

    content_hash: str
    simhash: str | None
    # The distinct shingle ids, sorted, as native unsigned 64-bit ints: cheap
    # to send from a worker and to keep (array("Q", shingle_bytes)).
    shingle_bytes: bytes
    sketch: ShingleSketch

    @property
    def shingles(self) -> frozenset[int]:
        return frozenset(array("Q", self.shingle_bytes))


def identify(text: str) -> TextIdentity:
    """content_hash, simhash and shingle_ids of `text`, normalising and hashing
    its shingles once (the extraction worker calls this for every page)."""
    norm = normalise(text)
    digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    hashes = _shingle_hashes(_shingles_of(_tokens_of(norm)))
    ids = _ids_of(hashes)
    return TextIdentity(digest, _simhash_of(hashes), array("Q", sorted(ids)).tobytes(),
                        sketch(ids))


def _ids_of(hashes: list[bytes]) -> frozenset[int]:
    # The 8-byte digests read as unsigned 64-bit ints in one C call.
    return frozenset(array("Q", b"".join(hashes)))


def _tokens_of(norm: str) -> list[str]:
    words = _WORD.findall(norm)
    if not _CJK.search(norm):  # most texts: no word to split, skip the per-word test
        return words
    tokens: list[str] = []
    for word in words:
        # Chinese has no spaces: each character is a token.
        tokens.extend(list(word) if _CJK.search(word) else [word])
    return tokens


def _shingles_of(tokens: list[str], size: int = 3) -> list[str]:
    if len(tokens) < size:
        return [" ".join(tokens)] if tokens else []
    if size == 3:
        return [f"{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:])]
    return [" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)]


def _shingles(text: str, size: int = 3) -> list[str]:
    return _shingles_of(_tokens_of(normalise(text)), size)


def _shingle_hashes(shingles: list[str]) -> list[bytes]:
    """8-byte BLAKE2b of each shingle: stable across processes and releases
    (stored simhashes are built from them)."""
    blake = hashlib.blake2b
    return [blake(sh.encode("utf-8"), digest_size=8).digest() for sh in shingles]


def simhash(text: str) -> str | None:
    """64-bit simhash (16 hex digits) of word 3-shingles; None for very short texts."""
    return _simhash_of(_shingle_hashes(_shingles(text)))


def _simhash_of(hashes: list[bytes]) -> str | None:
    n = len(hashes)
    if n < MIN_SHINGLES:
        return None
    # How many shingles have each bit set, counted in C: byte k of every
    # digest as one big integer, masked to one bit of each byte, bit_count().
    # Summed bit by bit in Python this was the crawl's second-largest CPU
    # cost after extraction; the values are the same.
    blob = b"".join(hashes)
    masks = [int.from_bytes(bytes((1 << b,)) * n, "big") for b in range(8)]
    value = 0
    for k in range(8):  # big-endian digests: byte k holds bits 8*(7-k) .. 8*(7-k)+7
        column = int.from_bytes(blob[k::8], "big")
        for b, mask in enumerate(masks):
            # A bit is set when more shingles have it than not (weight ones - zeros > 0).
            if 2 * (column & mask).bit_count() > n:
                value |= 1 << (8 * (7 - k) + b)
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
    """The text's 3-shingles as 64-bit ints (their BLAKE2b hashes, so that
    `identify` in an extraction worker gives the same ids), a compact form
    to keep and compare many times."""
    return _ids_of(_shingle_hashes(_shingles(text)))


def same_shingles(a: frozenset[int], b: Iterable[int], b_size: int) -> bool:
    """`same_text` on `shingle_ids` (b given as any iterable of its ids)."""
    if not a or not b_size:
        return False
    # Jaccard >= t needs the smaller set to hold at least t of the larger: a
    # size check first spares most intersections of near-miss candidates.
    if min(len(a), b_size) < SAME_TEXT_OVERLAP * max(len(a), b_size):
        return False
    common = len(a.intersection(b))
    return common / (len(a) + b_size - common) >= SAME_TEXT_OVERLAP


# Bits of a shingle sketch: each shingle id sets bit (id mod SKETCH_BITS).
SKETCH_BITS = 1 << 14


@dataclass(frozen=True)
class ShingleSketch:
    """A 2 KB bitmap of a text's shingle ids and their count: enough to rule out
    most near-duplicate candidates exactly, without keeping every id."""

    bits: int = field(repr=False)
    size: int
    # Shingles that share a bit with another of the same text.
    collisions: int = 0


def sketch(ids: Iterable[int]) -> ShingleSketch:
    marks = bytearray(SKETCH_BITS // 8)
    size = 0
    for x in ids:
        pos = x % SKETCH_BITS
        marks[pos >> 3] |= 1 << (pos & 7)
        size += 1
    bits = int.from_bytes(marks, "little")
    return ShingleSketch(bits, size, size - bits.bit_count())


def may_be_same_text(a: ShingleSketch, b: ShingleSketch) -> bool:
    """False only when `same_shingles` would be False for the two sets.

    Every common shingle sets a shared bit; several may set the same one,
    but no more than a text's own collisions: so shared bits plus those
    bound the intersection from above, and with it the Jaccard overlap. A
    candidate whose bound is under the threshold is not a copy. One AND and
    a bit count, where an exact intersection walks every id.
    """
    if not a.size or not b.size:
        return False
    if min(a.size, b.size) < SAME_TEXT_OVERLAP * max(a.size, b.size):
        return False
    shared = (a.bits & b.bits).bit_count() + min(a.collisions, b.collisions)
    common = min(shared, a.size, b.size)
    return common / (a.size + b.size - common) >= SAME_TEXT_OVERLAP


class SimhashWindow:
    """The simhashes of recent articles, packed as 64-bit lanes of one integer,
    so that finding the near ones costs a dozen big-integer operations (a
    lane-wise popcount of the XOR) instead of a Python loop over the window:
    at 5,000 articles the loop was the crawling process's largest cost."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self._packed = 0
        self._masks: dict[int, int] = {}
        self._masks_for = 0

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, row_id: int, fingerprint: int) -> None:
        self._packed |= fingerprint << (64 * len(self.ids))
        self.ids.append(row_id)

    def drop_oldest(self, count: int) -> None:
        count = min(count, len(self.ids))
        self._packed >>= 64 * count
        del self.ids[:count]

    def near(self, fingerprint: int, max_bits: int) -> list[int]:
        """Ids whose simhash differs from `fingerprint` in at most `max_bits` bits."""
        n = len(self.ids)
        if max_bits >= 64:
            return list(self.ids)
        if not n or max_bits < 0:
            return []
        m = self._lane_masks(n)
        # Lanes past the last id hold 0 ^ fingerprint: counted, never read.
        x = self._packed ^ (fingerprint * m[1])
        x -= (x >> 1) & m[0x55]
        x = (x & m[0x33]) + ((x >> 2) & m[0x33])
        x = (x + (x >> 4)) & m[0x0F]
        x = (x + (x >> 8)) & m[0xFF]
        x = (x + (x >> 16)) & m[0xFFFF]
        x = (x + (x >> 32)) & m[0xFFFFFFFF]  # each lane: its popcount, 0..64
        # Lanes over the limit reach 64 (bit 6) once 63 - max_bits is added.
        far = (x + (63 - max_bits) * m[1]) & m[0x40]
        close = (m[0x40] ^ far).to_bytes(8 * self._masks_for, "little")
        found: list[int] = []
        at = close.find(0x40, 0, 8 * n)
        while at >= 0:
            found.append(self.ids[at // 8])
            at = close.find(0x40, at + 1, 8 * n)
        return found

    def _lane_masks(self, n: int) -> dict[int, int]:
        """Each pattern repeated in every 64-bit lane of at least `n` lanes
        (built again only when the window outgrows them)."""
        if self._masks_for < n:
            n = max(n, 2 * self._masks_for, 64)
            patterns = {1: 1, 0x40: 0x40, 0x55: 0x5555555555555555, 0x33: 0x3333333333333333,
                        0x0F: 0x0F0F0F0F0F0F0F0F, 0xFF: 0x00FF00FF00FF00FF,
                        0xFFFF: 0x0000FFFF0000FFFF, 0xFFFFFFFF: 0x00000000FFFFFFFF}
            self._masks = {k: int.from_bytes(p.to_bytes(8, "little") * n, "little")
                           for k, p in patterns.items()}
            self._masks_for = n
        return self._masks
