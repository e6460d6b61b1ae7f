"""One crawl pass in the current process: every source's spider runs in one
Scrapy CrawlerProcess; the outcome is written on each source.

Twisted's reactor cannot be restarted, so `run_crawl` can run once per
process (the daemon runs it in a child process).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from sqlalchemy import Engine

from crawler.dedup import DuplicateIndex
from crawler.extractpool import ExtractionPool
from crawler.fetching.evidence import evidence_settings
from crawler.passes.crawllog import debug_requested, quiet_scrapy_logging
from crawler.passes.progress import CrawlProgress
from crawler.passes.settings import scrapy_settings
from crawler.passes.tally import SourceSummary, SourceTally
from crawler.persist import record_health
from crawler.spiders import spider_for_kind
from crawler.spiders.base import SourceInfo, SpiderLimits
from crawler.validators import load_known_all
from store.config import Config
from store.db import make_engine, session_scope
from store.sources import active_sources

__all__ = ["SourceSummary", "run_crawl"]

log = logging.getLogger(__name__)

# How long spiders closed at the time limit may take to finish their downloads.
HARD_STOP_GRACE_SECONDS = 5.0


def run_crawl(
    config: Config, source_names: Sequence[str] = (), *, progress: bool = False,
    debug: bool | None = None,
) -> list[SourceSummary]:
    """Fetch, extract and store the active (or named) sources once; a summary per source.

    A source that fails is recorded on it (last_error, consecutive_failures)
    and never stops the others. Raises store.sources.SourceError for an
    unknown source name. Scrapy's tracebacks are shown only with `debug`
    (default: `compoundwatch --debug`, see crawler.passes.crawllog).
    """
    if debug is None:
        debug = debug_requested()
    engine = make_engine(config.database_url)
    try:
        with session_scope(engine) as session:
            sources = [
                SourceInfo(s.id, s.name, s.url, s.kind)
                for s in active_sources(session, source_names)
            ]
            known = load_known_all(session, [(s.id, s.url) for s in sources])
        if not sources:
            return []
        tallies = {s.id: SourceTally(s.name, s.id) for s in sources}
        display = CrawlProgress(list(tallies.values())) if progress else None
        extractor = ExtractionPool(config.crawl.extraction_workers,
                                   config.crawl.extraction_timeout_seconds)
        try:
            _crawl(config, engine, extractor, sources, known, tallies, debug=debug)
        finally:
            extractor.close()
            if display is not None:
                display.stop()
        summaries = [tallies[s.id].summary() for s in sources]
        with session_scope(engine) as session:
            for s, summary in zip(sources, summaries, strict=True):
                record_health(session, s.id, error=summary.error, detected_kind=summary.kind,
                              new_articles=summary.new)
        return summaries
    finally:
        engine.dispose()


def _crawl(config: Config, engine: Engine, extractor: ExtractionPool, sources: list[SourceInfo],
           known: dict[int, Any], tallies: dict[int, SourceTally],
           spiders: dict[int, tuple[type, dict[str, Any]]] | None = None,
           settings: dict[str, Any] | None = None, debug: bool = False) -> None:
    """One CrawlerProcess for all `sources`; `spiders` overrides a source's
    spider class and adds arguments (the entries a poll found, say), and
    `settings` Scrapy settings; `debug` logs Scrapy at DEBUG."""
    timeout = config.crawl.crawl_timeout_seconds
    merged = {**scrapy_settings(config.crawl, time.time() + timeout), **evidence_settings(config),
              **(settings or {})}
    if debug:
        merged["LOG_LEVEL"] = "DEBUG"
    process = CrawlerProcess(merged)
    limits = SpiderLimits(config.crawl.max_pages_per_source, config.crawl.listing_depth)
    # Signal receivers are held weakly by Scrapy: keep ours alive for the pass.
    receivers: list[Any] = []
    finished: set[int] = set()
    # Article URLs requested this pass by any source (see SourceSpider.requested).
    requested: set[str] = set()
    # The recent articles' simhashes and shingles, shared by every source's writes.
    dedup = DuplicateIndex()
    for source in sources:
        tally = tallies[source.id]
        spider_cls, extra = (spiders or {}).get(source.id, (spider_for_kind(source.kind), {}))
        crawler = process.create_crawler(spider_cls)

        def closed(spider: Any, reason: str, tally: SourceTally = tally) -> None:
            finished.add(tally.source_id)
            if reason in ("finished", "shutdown"):
                return
            tally.fail(f"the pass hit its time limit ({timeout:g} s)" if "timeout" in reason
                       else f"the crawl stopped early ({reason})")

        receivers.append(closed)
        crawler.signals.connect(closed, signal=signals.spider_closed)
        process.crawl(crawler, source=source, known=known[source.id], tally=tally,
                      limits=limits, engine=engine, extractor=extractor, requested=requested,
                      dedup=dedup, **extra)

    from twisted.internet import reactor

    def hard_stop() -> None:
        # CLOSESPIDER_TIMEOUT closes spiders gently but waits for downloads in
        # flight; past the grace period the reactor stops, whatever is pending.
        for tally in tallies.values():
            if tally.source_id not in finished:
                tally.fail(f"the pass hit its time limit ({timeout:g} s)")
        reactor.stop()  # type: ignore[attr-defined]

    stopper = reactor.callLater(timeout + HARD_STOP_GRACE_SECONDS, hard_stop)  # type: ignore[attr-defined]
    # Each crawler reinstalls Scrapy's log handler: filter the last one.
    quiet_scrapy_logging(debug)
    process.start(install_signal_handlers=False)
    if stopper.active():
        stopper.cancel()
