"""Decoding a fetched page: the declared charset (GB18030 included), and a
recovery when the bytes plainly are not in the charset the page declares."""

from __future__ import annotations

import codecs

from scrapy.http import Response

# Tried in order when the declared charset does not fit the bytes.
_RECOVERY = ("utf-8", "gb18030", "cp1252")


def _norm(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(response: Response) -> tuple[str | None, str | None]:
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
    for name in _RECOVERY:
        if name == declared:
            continue
        try:
            return body.decode(name), (
                f"the page's bytes are not valid {declared} as declared (read as {name})")
        except UnicodeDecodeError:
            continue
    return None, f"the page's bytes do not decode as its declared charset {declared}"
