"""Decoding a fetched page: the declared charset (GB18030 included), and a
recovery when the bytes plainly are not in the charset the page declares, or
the charset is no text encoding at all (base64, rot13, zlib: Python's codec
registry has them, and `bytes.decode` refuses them with a LookupError).
The text handed on has no C0 controls or non-characters, on which the
parsers give up on the whole page."""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the extraction workers decode no responses: no Scrapy import there
    from scrapy.http import Response

# Tried in order when the declared charset does not fit the bytes.
_RECOVERY = ("utf-8", "gb18030", "cp1252")

# C0 controls but tab, LF and CR; U+FDD0..U+FDEF; U+xFFFE and U+xFFFF of every
# plane: not characters XML or HTML parsers accept.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufdd0-\ufdef" + "".join(
    f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17)) + "]")


def strip_controls(text: str) -> str:
    """The text without C0 control characters and Unicode non-characters."""
    return _NOT_TEXT.sub("", text)


def is_text_codec(name: str) -> bool:
    """Whether `name` is a codec that turns bytes into text."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    # The registry's own flag (set False for base64, rot13, zlib, hex, uu...).
    return bool(getattr(info, "_is_text_encoding", True))


def _norm(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(response: Response) -> tuple[str | None, str | None]:
    """`read_page` with C0 controls and non-characters removed from the text."""
    text, problem = read_page(response)
    return (strip_controls(text) if text else text), problem


def read_page(response: Response) -> tuple[str | None, str | None]:
    """(text, problem): text None when the response is not text at all.

    Valid UTF-8 with multi-byte sequences is practically never an accident, so
    bytes that decode as UTF-8 under another declared charset are read as UTF-8;
    bytes invalid in the declared charset are read with the first charset that
    fits. Either way the mismatch is reported as a problem of the page.
    """
    declared = _norm(getattr(response, "encoding", None))
    if declared is None:
        return None, "not a text page (no readable charset)"
    return decode_bytes(response.body, declared)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# A few damaged bytes in a long UTF-8 page (a character cut by a proxy or a
# truncated download) are replaced; more than this and the page is not UTF-8.
_DAMAGE_PER_BYTES = 20_000


def decode_bytes(body: bytes, declared: str | None) -> tuple[str | None, str | None]:
    """`decode_page` for bytes: `declared` None reads the page's own <meta charset>."""
    if declared is None:
        found = _META_CHARSET.search(body[:4096])
        declared = _norm(found.group(1).decode("ascii")) if found else None
        declared = declared or "utf-8"
    if not body.strip():
        return "", None
    if not is_text_codec(declared):
        return _recover(body, declared, f"the page declares charset {declared}, which is "
                                        "not a text encoding")
    try:
        text = body.decode(declared)
    except UnicodeDecodeError:
        text = None
    if declared != "utf-8" and not body.isascii():
        utf8 = _utf8_cut_at_the_end(body)
        if utf8 is not None:
            return utf8, f"the page declares {declared} but its bytes are UTF-8 (read as UTF-8)"
    if text is not None:
        return text, None
    if declared == "utf-8":
        mended = _mostly_utf8(body)
        if mended is not None:
            return mended, "the page has a few bytes that are not valid UTF-8 (replaced)"
    return _recover(body, declared, f"the page's bytes are not valid {declared} as declared")


def _recover(body: bytes, declared: str, why: str) -> tuple[str | None, str]:
    """The body read with the first recovery charset that fits, and why."""
    for name in _RECOVERY:
        if name == declared:
            continue
        try:
            return body.decode(name), f"{why} (read as {name})"
        except UnicodeDecodeError:
            continue
    return None, f"the page's bytes do not decode as its declared charset {declared}"


def _utf8_cut_at_the_end(body: bytes) -> str | None:
    """The bytes as UTF-8, allowing only a character cut short at the very end."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end == len(body) and exc.start >= len(body) - 3:
            return body[:exc.start].decode("utf-8", errors="replace")
        return None


def _mostly_utf8(body: bytes) -> str | None:
    """UTF-8 with its few damaged bytes replaced, or None when damage is not rare."""
    text = body.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd") - body.count("\ufffd".encode())
    return text if damaged <= max(2, len(body) // _DAMAGE_PER_BYTES) else None
