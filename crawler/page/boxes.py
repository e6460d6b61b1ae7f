"""The boxes news sites wrap around a story (comments, related and most-read
lists, share bars, cookie banners, navigation), found by the class and id
names sites give them and removed before trafilatura reads the page."""

from __future__ import annotations

import re

import lxml.html

# Class/id fragments of boxes that are never the story itself.
# "commentary" is an opinion piece, the story itself, not a comments box.
_BOILERPLATE = re.compile(
    r"comment(?!ary|ator)|discussion|related|popular|most-?read|mostread|read-?also|readalso|"
    r"share|sharing|social|cookie|consent|gdpr|newsletter|subscribe|promo|advert|"
    r"\bads?\b|ad-slot|sponsor|teaser|breadcrumb|sidebar|widget|donat|paywall|"
    r"outbrain|taboola|recommend|trending|author-bio|tags?-links|skip-link|republish|syndicat",
    re.IGNORECASE,
)
# A layout flag on the story's container ("has-sidebar", "no-paywall",
# "with-double-sidebar"): says what is beside the story, or that it is absent.
_LAYOUT_FLAG = re.compile(r"^(?:has|with|without|non|no|not)[-_]", re.IGNORECASE)
_KEEP_TAGS = {"html", "body", "main", "article"}


def prune_boilerplate(tree: lxml.html.HtmlElement) -> None:
    """Drop elements whose class or id names a non-story box (comments, related...).

    A box holding most of the page's paragraph text is the story's own
    container whatever its name ("layout has-sidebar"), so it is kept.
    """
    total = paragraph_chars(tree)
    doomed = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _KEEP_TAGS:
            continue
        if names_a_box(f"{el.get('class', '')} {el.get('id', '')}"):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is None:
            continue
        if total and paragraph_chars(el) * 2 > total:
            continue
        el.drop_tree()
    for el in tree.xpath("//nav|//footer[not(ancestor::article)]|//aside|//form"):
        if el.getparent() is not None and not (total and paragraph_chars(el) * 2 > total):
            el.drop_tree()


def names_a_box(names: str) -> bool:
    """Whether a class or id names a non-story box: a name with a boilerplate
    word, unless it is a layout flag ending in that word ("has-left-sidebar")."""
    for name in names.split():
        found = _BOILERPLATE.search(name)
        if found and not (_LAYOUT_FLAG.match(name) and name[found.end():] in ("", "s")):
            return True
    return False


def paragraph_chars(el: lxml.html.HtmlElement) -> int:
    return sum(len(p.text_content()) for p in el.iter("p"))
