"""Registrable domains (the Public Suffix List's "private suffix"): which
pages may speak for one another.

A canonical link is the page's claim, not a fact: any site can name another
site's article as its canonical. Only a claim about a page of the same
registrable domain (`news.example.co.uk` and `www.example.co.uk`) is taken
at its word.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from store.urls import numeric_host


@lru_cache(maxsize=1)
def _psl() -> object:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@lru_cache(maxsize=4096)
def registrable_domain(url: str) -> str | None:
    """The registrable domain of a URL's host; an IP address or a name without
    a public suffix (localhost) stands for itself. None when there is no host."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host:
        return None
    if numeric_host(host) is not None:
        return host
    return _psl().privatesuffix(host) or host  # type: ignore[attr-defined, no-any-return]


def same_registrable_domain(a: str, b: str) -> bool:
    """Whether two URLs belong to one site (one registrable domain)."""
    da = registrable_domain(a)
    return da is not None and da == registrable_domain(b)
