"""robots.txt for the poller: fetched once per host and kept for a while,
obeyed (Disallow) and its `Crawl-delay` applied, as the crawler does.

Like Scrapy's middleware, a robots.txt that cannot be fetched or answers an
error allows everything (and is asked for again sooner); 4xx means none.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from alerts.safe_fetch import FetchRefused
from crawler.poll.client import Answer
from crawler.poll.manners import cache_seconds

# As crawler.fetching.robots: a site asking for more is honoured at this.
MAX_CRAWL_DELAY_SECONDS = 60.0
KEEP_SECONDS = 3600.0
KEEP_AFTER_ERROR_SECONDS = 600.0
MAX_ROBOTS_BYTES = 500_000


@dataclass(frozen=True)
class Rules:
    """One host's robots.txt, parsed (None: allow everything)."""

    parser: Protego | None
    fetched_at: float
    keep: float

    def allows(self, url: str, agent: str) -> bool:
        return self.parser is None or bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(agent)
        return min(float(delay), MAX_CRAWL_DELAY_SECONDS) if delay else 0.0


def site_of(url: str) -> str:
    """scheme://host[:port] of a URL: the site robots.txt rules belong to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2].lower()}"


def rules_from(answer: Answer | None, now: float) -> Rules:
    """Rules from a robots.txt answer (None: it could not be fetched)."""
    if answer is None or answer.status >= 500:
        return Rules(None, now, KEEP_AFTER_ERROR_SECONDS)
    if answer.status >= 400:
        return Rules(None, now, KEEP_SECONDS)
    text = answer.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
    keep = max(KEEP_SECONDS, cache_seconds(answer.headers.get("cache-control")))
    return Rules(Protego.parse(text), now, keep)


class RobotsCache:
    """robots.txt rules per site, fetched through `fetch(url)` when missing or old."""

    def __init__(self, fetch: Callable[[str], Answer]) -> None:
        self._fetch = fetch
        self._lock = threading.Lock()
        self._rules: dict[str, Rules] = {}

    def rules(self, url: str, now: float | None = None) -> Rules:
        now = time.monotonic() if now is None else now
        site = site_of(url)
        with self._lock:
            known = self._rules.get(site)
        if known is not None and now < known.fetched_at + known.keep:
            return known
        try:
            answer: Answer | None = self._fetch(site + "/robots.txt")
        except FetchRefused:
            answer = None
        rules = rules_from(answer, now)
        with self._lock:
            self._rules[site] = rules
        return rules
