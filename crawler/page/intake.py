"""What a page must be before it is parsed: text, not bytes; no XML entity
declarations; not cut off mid-markup; within a size; in composed Unicode.

Checked on the decoded string, before lxml sees it: libxml2 gives up on the
rest of a document at a C0 control, and would expand entities.
"""

from __future__ import annotations

import re
import unicodedata

from crawler.page.decoding import strip_controls

# Pages above this size are cut before parsing: extraction time grows with size.
MAX_HTML_CHARS = 2_000_000

_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# The end of a cut-off page: inside a tag, or in an unclosed <script>, <style> or
# comment (HTML closes a comment with "--!>" as with "-->").
_CUT_OFF = re.compile(r"<[^>]*$|<(script|style)\b(?:(?!</\1>).)*$|<!--(?:(?!--!?>).)*$",
                      re.IGNORECASE | re.DOTALL)


def refusal_reason(html: str) -> str | None:
    """Why the page is refused before it is parsed, if it is."""
    if not html or not html.strip():
        return "empty page"
    if looks_binary(html):
        return "not a text page (binary content)"
    if _ENTITY_DECL.search(html[:65536]):
        return "the page declares XML entities (refused: never expanded)"
    # HTML makes </body> and </html> optional: only a page cut off mid-markup is refused.
    if len(html) <= MAX_HTML_CHARS and _CUT_OFF.search(html[-4096:]):
        return "the page looks truncated or malformed (it ends inside its markup)"
    return None


def readable(html: str) -> str:
    """The page cut to its size, without an XML declaration (lxml refuses one
    on a string), without C0 controls and in Unicode's composed form (NFC),
    as text is compared and searched: a page may spell a letter decomposed
    (Bengali, Vietnamese)."""
    html = strip_controls(_XML_DECL.sub("", html[:MAX_HTML_CHARS], count=1))
    return html if unicodedata.is_normalized("NFC", html) else unicodedata.normalize("NFC", html)


def looks_binary(html: str) -> bool:
    """More than a tenth of the first 4 KiB is replacement or control characters."""
    sample = html[:4096]
    bad = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\t\r\n\f"))
    return bad > len(sample) * 0.1
