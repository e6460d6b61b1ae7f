"""A crawl pass over article URLs a poll found: Scrapy fetches them (robots.txt,
Crawl-delay, per-host delay, the safety middleware and limits as in any
pass), the pool extracts, the pipeline stores. No discovery document is
fetched: the daemon's poller already read them.

Runs once per process (Twisted's reactor), in a crawl child of the daemon.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crawler.extractpool import ExtractionPool
from crawler.parsing import Entry
from crawler.persist import load_known_all
from crawler.runner import _crawl
from crawler.spiders.base import SourceInfo, SourceSpider
from crawler.tally import SourceSummary, SourceTally
from store.config import Config
from store.db import make_engine, session_scope
from store.models import Source

# (source id, the entries to fetch for it)
Work = Sequence[tuple[int, Sequence[Entry]]]


class EntriesSpider(SourceSpider):
    """Fetches the given entries of one source (new, or marked updated)."""

    name = "entries"
    kind = "entries"

    def __init__(self, *args: Any, entries: Sequence[Entry] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        self.tally.kind = None

    async def start(self) -> Any:
        for request in self.article_requests(self.entries):
            yield request


def run_entries(config: Config, work: Work) -> list[SourceSummary]:
    """Fetch, extract and store the entries of each source; a summary per source.

    A source removed meanwhile is skipped. Health is the caller's to record
    (the poll that found the entries owns it).
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
        spiders = {s.id: (EntriesSpider, {"entries": by_id[s.id]}) for s in sources}
        extractor = ExtractionPool(min(config.crawl.extraction_workers or 1, 2),
                                   config.crawl.extraction_timeout_seconds)
        try:
            _crawl(config, engine, extractor, sources, known, tallies, spiders)
        finally:
            extractor.close()
        return [tallies[s.id].summary() for s in sources]
    finally:
        engine.dispose()
