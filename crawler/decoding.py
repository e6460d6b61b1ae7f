"""Decoding a fetched page: the declared charset (GB18030 included), and a
recovery when the bytes plainly are not in the charset the page declares, or
the charset is no text encoding at all (base64, rot13, zlib: Python's codec
registry has them, and `bytes.decode` refuses them with a LookupError).
The text handed on has no C0 controls or non-characters, on which the
parsers give up on the whole page."""

from __future__ import annotations

import codecs
import re

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
    body = response.body
    declared = _norm(getattr(response, "encoding", None))
    if declared is None:
        return None, "not a text page (no readable charset)"
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
        try:
            return body.decode("utf-8"), (
                f"the page declares {declared} but its bytes are UTF-8 (read as UTF-8)")
        except UnicodeDecodeError:
            pass
    if text is not None:
        return text, None
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
