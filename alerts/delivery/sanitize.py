"""Make scraped text safe for mail headers and one-line displays.

Titles and quotes come from pages we do not control: a title may carry
CR/LF (header injection), other control characters, bidi overrides that
reorder what a reader sees (the "Trojan Source" trick), or run to thousands
of characters. `email` refuses CR/LF in headers, but we strip them first so
a hostile title degrades to harmless text instead of an exception.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings/overrides/isolates and the zero-width joiners used to hide text.
_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200E, 0x200F, 0x061C, 0xFEFF]
)
_SPACES = re.compile(r"\s+")
SUBJECT_LIMIT = 160
LINE_LIMIT = 300


def one_line(text: object, limit: int = LINE_LIMIT) -> str:
    """`text` as a single clean line of at most `limit` characters (with an ellipsis)."""
    if text is None:
        return ""
    s = str(text)
    # str.isprintable() is False for every Cc and Cf character, so printable
    # text (almost all of it) skips the per-character pass.
    if not s.isprintable():
        s = s.translate(_INVISIBLE)
        # Control characters (Cc) and format characters (Cf) become spaces, so
        # "a\r\nBcc: x" reads "a Bcc: x" on one line and injects nothing.
        s = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in s)
    s = _SPACES.sub(" ", s).strip()
    if len(s) > limit:
        s = s[: max(limit - 1, 0)].rstrip() + "…"
    return s


def header_text(text: object, limit: int = SUBJECT_LIMIT) -> str:
    """A header value (subject, display name) built from scraped text."""
    return one_line(text, limit)


def body_text(text: object, limit: int = 2000) -> str:
    """A paragraph for a message body: control characters and bidi overrides removed."""
    return one_line(text, limit)
