"""A crawl pass over article URLs a poll found: Scrapy fetches them (robots.txt,
Crawl-delay, per-host delay, the safety middleware and limits as in any
pass), the pool extracts, the pipeline stores. No discovery document is
fetched: the daemon's poller already read them.

Runs once per process (Twisted's reactor), in a crawl child of the daemon.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery.documents import Entry
from crawler.extractpool import ExtractionPool
from crawler.passes.runner import _crawl
from crawler.passes.tally import SourceSummary, SourceTally
from crawler.spiders.base import SourceInfo, SourceSpider
from crawler.validators import load_known_all
from store.config import Config
from store.db import make_engine, session_scope
from store.models import Source

# Scrapy times a slot's delay from when it hands a request on; connecting
# takes a moment that varies, so the server could see two requests a little
# closer than Crawl-delay without this.
CRAWL_DELAY_MARGIN = 0.25
# (source id, the entries to fetch for it)
Work = Sequence[tuple[int, Sequence[Entry]]]


class EntriesSpider(SourceSpider):
    """Fetches the given entries of one source (new, or marked updated)."""

    name = "entries"
    kind = "entries"

    def __init__(self, *args: Any, entries: Sequence[Entry] = (),
                 exact_delay_hosts: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        self.exact_delay_hosts = exact_delay_hosts
        self.tally.kind = None

    async def start(self) -> Any:
        for request in self.article_requests(self.entries):
            if (urlsplit(request.url).hostname or "").lower() in self.exact_delay_hosts:
                # A robots.txt Crawl-delay: AutoThrottle must not lower it.
                request.meta["autothrottle_dont_adjust_delay"] = True
            yield request


def entries_settings(crawl_delays: Mapping[str, float]) -> dict[str, Any]:
    """Scrapy settings of an entries pass: robots.txt was read by the poller,
    which dropped disallowed entries and passes each host's Crawl-delay, used
    as that host's download slot delay, exactly (no jitter)."""
    return {
        "ROBOTSTXT_OBEY": False,
        # One request at a time per host: Scrapy times a slot's delay from
        # when it hands a request on, so with a busy reactor two requests
        # handed on a delay apart could still leave together.
        "DOWNLOAD_SLOTS": {host: ({"delay": float(delay) + CRAWL_DELAY_MARGIN, "jitter": 0.0,
                                   "concurrency": 1} if delay > 0 else {"concurrency": 1})
                           for host, delay in crawl_delays.items()},
    }


def run_entries(config: Config, work: Work,
                crawl_delays: Mapping[str, float] | None = None) -> list[SourceSummary]:
    """Fetch, extract and store the entries of each source; a summary per source.

    A source removed meanwhile is skipped. Health is the caller's to record
    (the poll that found the entries owns it). `crawl_delays` (host ->
    seconds) come from the robots.txt files the poller read; without them
    the pass reads robots.txt itself, as any crawl does.
    """
    engine = make_engine(config.database_url)
    try:
        with session_scope(engine) as session:
            sources = []
            for source_id, _entries in work:
                row = session.get(Source, source_id)
                if row is not None:
                    sources.append(SourceInfo(row.id, row.name, row.url, row.kind))
            known = load_known_all(session, [(s.id, s.url) for s in sources])
        if not sources:
            return []
        by_id = dict(work)
        tallies = {s.id: SourceTally(s.name, s.id) for s in sources}
        exact = frozenset(h for h, d in (crawl_delays or {}).items() if d > 0)
        spiders = {s.id: (EntriesSpider, {"entries": by_id[s.id], "exact_delay_hosts": exact})
                   for s in sources}
        settings = entries_settings(crawl_delays) if crawl_delays is not None else None
        # A pass over a few entries: one or two workers, forked before the
        # reactor starts, so they begin with the crawler already imported
        # (a forkserver of their own would import it all again, ~1 s of CPU).
        extractor = ExtractionPool(min(config.crawl.extraction_workers or 1, 2),
                                   config.crawl.extraction_timeout_seconds, start_method="fork")
        try:
            extractor.prestart()
            _crawl(config, engine, extractor, sources, known, tallies, spiders, settings)
        finally:
            extractor.close()
        return [tallies[s.id].summary() for s in sources]
    finally:
        engine.dispose()
