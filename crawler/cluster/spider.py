"""The one spider a worker runs: it serves every source, whichever request the
shared Redis queue hands it.

Why an adapter and not scrapy-redis's RedisSpider: scrapy-redis 0.9.1 seeds
its spiders through `start_requests()`, which Scrapy 2.16 removed. Ours
implements `async def start()` and takes its requests from scrapy-redis's
scheduler only: `start()` never yields a request; it keeps the spider open,
queues the requests of dead workers again and wakes the engine, which
otherwise looks at an empty scheduler only every five seconds.

Each request carries its source in its meta (`cw_source`: id, name, URL,
kind; `cw_cycle`: the coordinator's pass), which scrapy-redis serialises with
the request. The parsing is the per-kind spiders' own (`crawler.spiders`):
a *delegate* per source and pass holds the spider of the source's kind, on a
`LiveKnownState` that asks the database. Its requests are rewritten to call
back into this spider by method name (callbacks in a Redis queue are names),
and its items are wrapped into `ClusterResult` for `ClusterStorePipeline`,
which stores them and then releases the request's claim.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from redis.exceptions import RedisError
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from sqlalchemy import Engine
from twisted.python.failure import Failure

from crawler.cluster.known import LiveKnownState
from crawler.cluster.redisq import CLAIM_META, REVISION_META, Claims
from crawler.dedup import DuplicateIndex
from crawler.discovery.documents import Entry, strip_fragment
from crawler.extractpool import ExtractionPool
from crawler.fetching.errors import describe_failure
from crawler.passes.tally import SourceTally
from crawler.spiders import spider_for_kind
from crawler.spiders.base import FetchItem, PageItem, SourceInfo, SourceSpider, SpiderLimits

SOURCE_META = "cw_source"
CYCLE_META = "cw_cycle"
START_META = "cw_start"
FROM_META = "cw_from"
DELEGATES_KEPT = 512


@dataclass
class ClusterResult:
    """What one request produced, for the pipeline to store before the claim goes.

    `page`: an article page to extract and store. `docs`: discovery documents
    whose validators to write. `error`: why the request failed (`transient`:
    a later pass should fetch it again). `start`: the request was the source's
    own URL, so its outcome is the source's health.
    """

    source_id: int
    request: Request
    page: PageItem | None = None
    docs: list[FetchItem] = field(default_factory=list)
    error: str | None = None
    transient: bool = False
    start: bool = False
    kind: str | None = None


def source_meta(source: SourceInfo, cycle: int) -> dict[str, Any]:
    return {SOURCE_META: (source.id, source.name, source.url, source.kind), CYCLE_META: cycle}


class ClusterSpider(scrapy.Spider):
    """Every source's requests from the shared queue (see the module docstring)."""

    name = "compoundwatch-cluster"

    def __init__(self, engine: Engine, limits: SpiderLimits, extractor: ExtractionPool,
                 claims: Claims | None = None, poll_seconds: float = 0.5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.extractor = extractor
        # One index for this worker's writes, its delegates' included.
        self.dedup = DuplicateIndex()
        self.limits = limits
        self.claims = claims
        self.poll_seconds = poll_seconds
        self._delegates: OrderedDict[tuple[int, int], SourceSpider] = OrderedDict()
        self._beating = threading.Event()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ClusterSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider  # type: ignore[return-value]

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> Any:
        """Keep the worker alive; requests come from the scheduler, not from here."""
        if self.claims is not None:
            # Claims under our id are a previous life's (a restarted worker
            # keeps its --id): this process has taken nothing yet.
            self.claims.requeue_own()
            self._start_heartbeat(self.claims)
            self.claims.recover_orphans()
        last_recovery = time.monotonic()
        while True:
            await asyncio.sleep(self.poll_seconds)
            if self.claims is not None and \
                    time.monotonic() - last_recovery > self.claims.timeout / 3:
                last_recovery = time.monotonic()
                try:
                    await asyncio.to_thread(self.claims.recover_orphans)
                except RedisError as exc:  # Redis restarting: this loop must go on
                    self.logger.warning("cannot recover claims: %s", exc)
            self._wake_engine()
        yield  # pragma: no cover - makes this an async generator

    def _start_heartbeat(self, claims: Claims) -> None:
        # A thread, not a reactor call: a long extraction blocks the reactor,
        # and a busy worker must not look dead. It dies with the process.
        def beat() -> None:
            while not self._beating.wait(max(0.2, claims.timeout / 8)):
                try:
                    claims.beat()
                except Exception as exc:  # Redis away: keep trying
                    self.logger.warning("heartbeat failed: %s", exc)

        claims.beat()
        threading.Thread(target=beat, name="cw-heartbeat", daemon=True).start()

    def _wake_engine(self) -> None:
        # Scrapy asks an empty scheduler again only on its 5-second heartbeat;
        # requests another worker queued meanwhile would wait that long.
        engine = getattr(self.crawler, "engine", None)
        slot = getattr(engine, "_slot", None)
        if slot is not None and not engine.needs_backout():  # type: ignore[union-attr]
            slot.nextcall.schedule()

    def _idle(self) -> None:
        raise DontCloseSpider("a worker waits for requests until it is stopped")

    def _closed(self, reason: str) -> None:
        self._beating.set()
        if self.claims is not None:
            back = self.claims.requeue_own()
            if back:
                self.logger.info("stopping: %d request(s) given back to the queue", back)
            self.claims.stop_beating()

    # ------------------------------------------------------------ delegates

    def delegate(self, meta: dict[str, Any]) -> SourceSpider:
        """The per-kind spider of the request's source for this pass."""
        sid, name, url, kind = meta[SOURCE_META]
        key = (int(sid), int(meta.get(CYCLE_META, 0)))
        found = self._delegates.get(key)
        if found is not None:
            self._delegates.move_to_end(key)
            return found
        info = SourceInfo(int(sid), str(name), str(url), str(kind))
        made = spider_for_kind(info.kind)(
            source=info, known=LiveKnownState(self.engine, info.id, info.url),
            tally=SourceTally(info.name, info.id), limits=self.limits, engine=self.engine,
            extractor=self.extractor, dedup=self.dedup)
        bound = getattr(self, "settings", None)
        if bound is not None:  # a worker's: the delegate reads the crawl's limits
            made.settings = bound
        self._delegates[key] = made
        while len(self._delegates) > DELEGATES_KEPT:
            self._delegates.popitem(last=False)
        return made

    async def start_requests_of(self, source: SourceInfo, cycle: int) -> list[Request]:
        """The source's first requests, ready for the Redis queue (the coordinator's)."""
        meta = {**source_meta(source, cycle), START_META: True}
        delegate = self.delegate(meta)
        out = [r async for r in delegate.start() if isinstance(r, Request)]
        return [self.adopt(r, meta, delegate, None) for r in out]

    def entry_requests_of(self, source: SourceInfo, cycle: int, entries: Iterable[Entry]
                          ) -> list[Request]:
        """Article requests for entries the coordinator's poller found in the
        source's documents: as if its delegate had parsed them (through the
        Redis filter, with their source, pass and referring document)."""
        meta = source_meta(source, cycle)
        delegate = self.delegate(meta)
        out = list(delegate.article_requests(entries, document=source.url))
        return [self.adopt(r, meta, delegate, source.url) for r in out]

    def adopt(self, request: Request, parent: dict[str, Any], delegate: SourceSpider,
              from_url: str | None) -> Request:
        """A delegate's request, made serialisable: callbacks and handler by name."""
        meta = {k: v for k, v in request.meta.items() if k not in (CLAIM_META, REVISION_META)}
        handler = meta.get("cw_handler")
        if callable(handler):
            meta["cw_handler"] = handler.__name__
        meta[SOURCE_META] = parent[SOURCE_META]
        meta[CYCLE_META] = parent.get(CYCLE_META, 0)
        meta[START_META] = bool(parent.get(START_META)) and from_url is None
        if from_url is not None:
            meta[FROM_META] = from_url
        is_page = getattr(request.callback, "__name__", "") == "on_article"
        # Article pages found by a feed, sitemap or listing go through the
        # Redis filter: that is what keeps two workers from fetching one page.
        # Discovery documents and a `page` source's own URL bypass it.
        dont_filter = not (is_page and from_url is not None)
        entry = meta.get("cw_entry")
        if not dont_filter and isinstance(entry, Entry) and entry.updated \
                and strip_fragment(entry.url) in delegate.known.article_urls:
            # Stored already and marked updated: a revision, fetched once as such.
            meta[REVISION_META] = entry.updated
        return request.replace(callback=self.on_page if is_page else self.on_discovery,
                               errback=self.on_failure, meta=meta, dont_filter=dont_filter)

    # ------------------------------------------------------------ callbacks

    def on_discovery(self, response: Response) -> Iterator[Any]:
        """A feed, sitemap, robots.txt or listing page: parsed by the delegate."""
        meta = response.meta
        delegate = self.delegate(meta)
        meta["cw_handler"] = getattr(delegate, str(meta.get("cw_handler") or "parse_start"))
        before = delegate.tally.failed
        try:
            # Parsing asks the database (what is stored): all of it happens
            # here, so that neither a parser bug nor PostgreSQL restarting
            # leaves the request claimed with no result to release it.
            outputs = list(self._adopt_all(delegate._discovery(response), meta, delegate,
                                           response.url))
        except Exception as exc:
            outputs = []
            delegate.tally.fail(f"{response.url}: {type(exc).__name__}: {exc}")
        meta["cw_handler"] = getattr(meta["cw_handler"], "__name__", meta["cw_handler"])
        yield from outputs
        docs, delegate.pending_docs = delegate.pending_docs, []
        failed = delegate.tally.failed > before
        request = response.request
        assert request is not None
        yield ClusterResult(delegate.source.id, request, docs=docs,
                            error=delegate.tally.errors[-1] if failed and delegate.tally.errors
                            else None,
                            start=bool(meta.get(START_META)), kind=delegate.tally.kind)

    def on_page(self, response: Response) -> Iterator[Any]:
        """An article page (or a `page` source): the pipeline extracts and stores it."""
        delegate = self.delegate(response.meta)
        before = delegate.tally.failed
        pages = [p for p in delegate.on_article(response) if isinstance(p, PageItem)]
        start = bool(response.meta.get(START_META))
        request = response.request
        assert request is not None
        if not pages:
            error = delegate.tally.errors[-1] if delegate.tally.failed > before \
                and delegate.tally.errors else None
            yield ClusterResult(delegate.source.id, request, error=error, start=start)
        for page in pages:
            yield ClusterResult(delegate.source.id, request, page=page, start=start,
                                kind=delegate.tally.kind)

    def on_failure(self, failure: Failure) -> Iterator[ClusterResult]:
        request: Request = failure.request  # type: ignore[attr-defined]
        delegate = self.delegate(request.meta)
        message = describe_failure(failure)
        delegate.on_error(failure)
        yield ClusterResult(delegate.source.id, request,
                            error=f"{request.url}: {message}" if message else None,
                            transient=message is not None,
                            start=bool(request.meta.get(START_META)))

    def _adopt_all(self, outputs: Iterable[Any], meta: dict[str, Any], delegate: SourceSpider,
                   from_url: str) -> Iterator[Any]:
        for out in outputs:
            if isinstance(out, Request):
                yield self.adopt(out, meta, delegate, from_url)
            elif isinstance(out, PageItem):  # `auto` found the page itself is the article
                yield ClusterResult(delegate.source.id, Request(out.url, dont_filter=True,
                                                                meta={}), page=out,
                                    kind=delegate.tally.kind)
