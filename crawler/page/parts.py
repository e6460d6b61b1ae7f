"""The parts of a news page that are the story's but not its body: the
standfirst a template marks as such, and the captions of its pictures.

Both are taken out of the tree before trafilatura reads it, so the body holds
only the body (its lede included, whatever the description says), and kept
as their own fields: captions carry dated, located facts that analysis reads.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

# Class/id names templates give a standfirst (dek, strapline, summary). Not
# "subtitle" or "subhead": templates name the body's subheadings so too.
_STANDFIRST = re.compile(
    r"standfirst|\bdeck?\b|strapline|(?:article|story|entry|post)[-_]*(?:summary|excerpt)\b",
    re.IGNORECASE)
# A standfirst comes before the story: no paragraph this long precedes it.
_STORY_PARAGRAPH = "preceding::p[string-length(normalize-space()) > 150]"
# Class names of caption blocks (besides <figcaption>): "caption", "pic-note",
# "img-desc", "photo-text", a Chinese portal's <p class="pic">.
_CAPTION = re.compile(
    r"caption|\bpic(?:ture)?(?:[-_](?:note|text|desc|info|txt))?\b|"
    r"(?:img|image|photo)[-_]*(?:desc|note|text|txt|info)", re.IGNORECASE)
_CONTAINERS = ("p", "div", "span", "h2", "h3", "figcaption", "td")
_IMAGES = ("img", "amp-img")
# A marked block longer than this, or holding paragraphs, is a container.
_MAX_PART_CHARS = 700
# An alt text this short, or shaped like a file name, is not a description.
_MIN_ALT_WORDS = 4
_FILE_NAME = re.compile(r"\.(jpe?g|png|gif|webp|avif)\b|^(img|dsc|image|photo)[-_ ]?\d", re.I)


def strip_comments(tree: lxml.html.HtmlElement) -> None:
    """Remove comments and processing instructions, keeping the text after them.

    trafilatura drops a comment node together with its tail (its own parser
    removes comments first; a tree handed to it is not re-parsed), so React's
    `<!-- -->` markers would cut each paragraph at its first link.
    """
    etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)


_LAYOUT_CELL_CONTENT = ".//td//*[self::p or self::div or self::table or self::h1 or self::h2 " \
    "or self::h3 or self::ul or self::form]|.//th//*[self::p or self::div or self::table]"
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")


def unwrap_layout_tables(tree: lxml.html.HtmlElement) -> None:
    """Turn tables used for page layout into plain blocks; data tables stay.

    A table whose cells hold paragraphs, blocks or other tables lays out a
    page (an old portal's menu, columns and footer); handed to trafilatura
    as a table, with tables kept, its every cell would be read as content.
    """
    for table in reversed(list(tree.iter("table"))):
        if table.getparent() is None or not table.xpath(_LAYOUT_CELL_CONTENT):
            continue
        own = [x for x in table.iter(*_TABLE_PARTS[1:]) if _owner_table(x.getparent()) is table]
        for part in [table, *own]:
            part.tag = "div"
            for attr in ("colspan", "rowspan", "cellpadding", "cellspacing", "width"):
                part.attrib.pop(attr, None)


def _owner_table(el: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The nearest table element at or above `el`."""
    while el is not None and el.tag != "table":
        el = el.getparent()
    return el


def take_standfirst(tree: lxml.html.HtmlElement) -> str | None:
    """The text of the first block the template marks as a standfirst, removed
    from the tree, else of the dek under the headline; None when there is none."""
    return _marked_standfirst(tree) or _dek_under_headline(tree)


# A dek is a sentence-long heading: shorter is a section title, longer a block.
_DEK_CHARS = (30, 400)
# The headline block of a template: <header>, or a container named for it.
_HEAD_BLOCK = re.compile(r"head", re.IGNORECASE)


def _dek_under_headline(tree: lxml.html.HtmlElement) -> str | None:
    """The subheading right after the page's headline (an <h2> beside the <h1>
    in the template's headline block, before any paragraph of story): the
    template's dek, not the body's lede, which a template puts in a paragraph,
    nor a first subheading of a body that starts with its headline. Removed
    from the tree."""
    headline = next(tree.iter("h1"), None)
    block = headline.getparent() if headline is not None else None
    if block is None or not (block.tag == "header" or _HEAD_BLOCK.search(_names(block))):
        return None
    dek = headline.getnext()
    if dek is None or dek.tag not in ("h2", "h3") or _in_chrome(dek) or dek.xpath(_STORY_PARAGRAPH):
        return None
    text = _text(dek)
    if not _DEK_CHARS[0] <= len(text) <= _DEK_CHARS[1] or dek.xpath(".//a"):
        return None
    dek.drop_tree()
    return text


def _marked_standfirst(tree: lxml.html.HtmlElement) -> str | None:
    for el in tree.iter(*_CONTAINERS):
        if el.tag == "figcaption" or not _STANDFIRST.search(_names(el)):
            continue
        if _in_chrome(el) or not _small_block(el) or el.xpath(_STORY_PARAGRAPH):
            continue
        text = _text(el)
        if len(text) < 20:
            continue
        el.drop_tree()
        return text
    return None


def take_captions(tree: lxml.html.HtmlElement) -> list[str]:
    """The story's captions in page order, removed from the tree: <figcaption>,
    caption-named blocks, and image alt texts that say something else."""
    captions: list[str] = []
    doomed: list[lxml.html.HtmlElement] = []
    for el in tree.iter(*_CONTAINERS, *_IMAGES):
        # Cheap tests first: the ancestry ones run only for candidates.
        if el.tag in _IMAGES:
            alt = _clean(el.get("alt"))
            if alt and _is_description(alt) and not _in_chrome(el) and not _within(el, doomed):
                _add(captions, alt)
            continue
        if el.tag != "figcaption" and not _CAPTION.search(_names(el)):
            continue
        if not _small_block(el) or _in_chrome(el) or _within(el, doomed):
            continue
        for img in el.iter(*_IMAGES):
            alt = _clean(img.get("alt"))
            if alt and _is_description(alt):
                _add(captions, alt)
        text = _text(el)
        if text:
            _add(captions, text)
        doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return captions


def _add(captions: list[str], text: str) -> None:
    """Append unless the same words are there already (an alt repeating its caption)."""
    key = _key(text)
    for i, known in enumerate(captions):
        other = _key(known)
        if key == other or key in other:
            return
        if other in key:
            captions[i] = text
            return
    captions.append(text)


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).casefold().strip()


def _is_description(alt: str) -> bool:
    return len(alt.split()) >= _MIN_ALT_WORDS and not _FILE_NAME.search(alt) or (
        len(alt) >= 12 and not alt.isascii() and not _FILE_NAME.search(alt))


def _names(el: lxml.html.HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _small_block(el: lxml.html.HtmlElement) -> bool:
    inner_paragraphs = sum(1 for p in el.iter("p") if p is not el)
    return inner_paragraphs <= 1 and len(el.text_content()) <= _MAX_PART_CHARS


def _in_chrome(el: lxml.html.HtmlElement) -> bool:
    """Inside navigation, a sidebar, a footer or the page head: teasers, not the story."""
    return bool(el.xpath("ancestor::nav|ancestor::aside|ancestor::footer|ancestor::head|"
                         "ancestor::header[not(ancestor::article)]"))


def _within(el: lxml.html.HtmlElement, containers: list[lxml.html.HtmlElement]) -> bool:
    return any(_is_inside(el, c) for c in containers)


def _is_inside(el: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent is container:
            return True
        parent = parent.getparent()
    return False


def _text(el: lxml.html.HtmlElement) -> str:
    return _clean(el.text_content()) or ""


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"\s+", " ", value).strip() or None
