"""Blocks inside a story that point elsewhere rather than tell it: a line
that is all link ("Also read: <a>another headline</a>"), a run of them under
a short label ("Don't miss", "More:"), the contact or follow-us line under a
story, and the section labels a template leaves at the end of the text once
the box under them is gone. Found by shape (link share, position, length),
in any language, and removed before (or, for the labels, after) trafilatura.
"""

from __future__ import annotations

import re

import lxml.html

# Blocks read as one line; a longer one is prose that happens to link.
_BLOCKS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "div", "dd")
_MAX_LINK_LINE_CHARS = 250
# A line this much link is a pointer; with a label of at most this many words
# before its link ("Read also:"), half link is enough.
_ALL_LINK = 0.8
_LABELLED_LINK = 0.5
_LABEL_WORDS = 5
_INNER_BLOCKS = ".//*[self::p or self::div or self::li or self::ul or self::ol or self::table]"
# A follow-us or write-to-us line links a mailbox or a social profile (not a post).
_PROFILE = re.compile(
    r"^mailto:|^https?://(?:www\.)?(?:twitter|x|facebook|instagram|t)\.(?:com|me)/"
    r"(?!.*/(?:status|posts|videos|p|reel)/)[^/?#]+/?(?:[?#].*)?$", re.IGNORECASE)
_MAX_CONTACT_CHARS = 300
# A section label: a few words (and characters: a script without spaces
# writes a sentence as one "word"), no sentence end, no figure.
_LABEL_MAX_WORDS = 6
_LABEL_MAX_CHARS = 40
_LABEL_MAX_WORD_CHARS = 18
_SENTENCE_END = re.compile(r"[.!?\"”»)。！？」』]$")


def drop_link_blocks(tree: lxml.html.HtmlElement) -> None:
    """Remove the lines that are links to elsewhere, with the short label
    that heads a run of them, and the contact lines that end a story."""
    doomed = [el for el in tree.iter(*_BLOCKS) if _is_link_line(el)]
    labels = [lab for el in doomed if (lab := _label_before(el)) is not None]
    doomed += [el for el in tree.iter("p") if _is_contact_line(el)]
    for el in doomed + labels:
        if el.getparent() is not None:
            el.drop_tree()


def _is_link_line(el: lxml.html.HtmlElement) -> bool:
    """A one-line block whose words are mostly a link's."""
    if el.tag == "div" and el.xpath(_INNER_BLOCKS):
        return False
    if el.xpath("ancestor::table"):
        return False
    text = _flat(el.text_content())
    if not text or len(text) > _MAX_LINK_LINE_CHARS:
        return False
    linked = sum(len(_flat(a.text_content())) for a in el.iter("a"))
    share = linked / len(text)
    if share >= _ALL_LINK:
        return True
    rest = len(text.split()) - sum(len(_flat(a.text_content()).split()) for a in el.iter("a"))
    return share >= _LABELLED_LINK and rest <= _LABEL_WORDS


def _label_before(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The short label just before a link line, heading the run it starts."""
    prev = el.getprevious()
    if prev is None and el.tag == "li":
        holder = el.getparent()
        prev = holder.getprevious() if holder is not None else None
    if prev is None or not isinstance(prev.tag, str) or prev.tag not in _BLOCKS:
        return None
    text = _flat(prev.text_content())
    return prev if text and is_label(text) and not prev.xpath(_INNER_BLOCKS) else None


def _is_contact_line(el: lxml.html.HtmlElement) -> bool:
    """A short paragraph that links a mailbox or a social profile and is the
    last paragraph of its container: the follow-us or write-to line."""
    if len(_flat(el.text_content())) > _MAX_CONTACT_CHARS:
        return False
    if not any(_PROFILE.match(a.get("href") or "") for a in el.iter("a")):
        return False
    return not el.xpath("following-sibling::p[string-length(normalize-space()) > 0]")


def is_label(line: str) -> bool:
    """A few words that name a section rather than say something."""
    words = line.split()
    return (0 < len(words) <= _LABEL_MAX_WORDS and len(line) <= _LABEL_MAX_CHARS
            and max(len(w) for w in words) <= _LABEL_MAX_WORD_CHARS
            and not _SENTENCE_END.search(line)
            and not any(ch.isdigit() for ch in line))


# A copyright or picture credit: a short line with the copyright sign.
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}", re.IGNORECASE)
_CREDIT_MAX_WORDS = 15


def is_credit_line(line: str) -> bool:
    """A short line bearing the copyright sign ("© Agency/Photographer",
    "Copyright © 2024 Publisher"): who owns a picture or the page, in any
    language. A longer line with the sign is prose (a book excerpt's note)."""
    return bool(_COPYRIGHT.search(line)) and len(line.split()) <= _CREDIT_MAX_WORDS


# A story paragraph: the tail of a body begins after its last one.
_STORY_LINE_CHARS = 100


def drop_trailing_labels(lines: list[str]) -> list[str]:
    """The body without the section labels of its tail ("Comments", "Tags",
    "More on this", "Contact:"): after the story's last paragraph, a label
    heads a box (its teasers, links or form), not a part of the story."""
    end = len(lines)
    while end > 1 and _heads_a_box(lines[end - 1]):
        end -= 1
    last = max((i for i, ln in enumerate(lines[:end]) if len(ln) >= _STORY_LINE_CHARS),
               default=end - 1)
    return lines[:last + 1] + [ln for ln in lines[last + 1:end] if not _heads_a_box(ln)]


def _heads_a_box(line: str) -> bool:
    """A label in a body's tail that names a box: not a list item (a short
    item of a list is the list's content), not a clause cut at a comma, and
    in a script that spaces its words (a short line of Han or kana is as
    likely a sentence as a label)."""
    return (is_label(line) and not line.startswith("- ") and not line.endswith((",", "、", "，"))
            and (line.isascii() or " " in line))


def _flat(text: str) -> str:
    return " ".join(text.split())
