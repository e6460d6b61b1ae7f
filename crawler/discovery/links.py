"""Which entry links of a feed, sitemap or listing can be requested at all.

Scrapy's `Request()` raises on `mailto:`, `javascript:`, `tel:`, `urn:` and
out-of-range ports, and one raise used to lose the whole document. Requests
are therefore built entry by entry: a link that cannot be requested (or
stored: URL columns hold 2,048 characters) is skipped, counted and named
once per document in the pass summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from store.urls import MAX_URL_LENGTH

NOT_HTTP = "not an http(s) link"
BAD_LINK = "a malformed link"
TOO_LONG = f"URL longer than {MAX_URL_LENGTH:,} characters"


def link_problem(url: str) -> str | None:
    """Why an entry's URL cannot be requested and stored (one of the categories
    above), or None."""
    if len(url) > MAX_URL_LENGTH:
        return TOO_LONG
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return BAD_LINK
    if parts.scheme.lower() not in ("http", "https"):
        return NOT_HTTP
    if not parts.hostname:
        return BAD_LINK
    return None


@dataclass
class Skipped:
    """The links one document's entries had that were not requested."""

    counts: Counter[str] = field(default_factory=Counter)
    first: dict[str, str] = field(default_factory=dict)

    def add(self, category: str, url: str) -> None:
        self.counts[category] += 1
        self.first.setdefault(category, url)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def message(self, document: str) -> str:
        """One line for the summary: how many, why, and the first of each kind."""
        n = self.total
        kinds = "; ".join(f"{c}: {k} (first {self.first[k][:80]!r})"
                          for k, c in self.counts.most_common())
        return f"{document[:200]}: {n} entr{'y' if n == 1 else 'ies'} skipped ({kinds})"
