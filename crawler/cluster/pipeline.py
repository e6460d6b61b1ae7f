"""The worker's item pipeline: store what a request produced, then release its
claim, so a worker killed before the store leaves the request to another.

Order matters: store first, release second. A kill between the two makes the
request be fetched again (at least once, never lost); storing twice is
harmless because `store_article` finds the same content unchanged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy_redis.connection import get_redis_from_settings
from sqlalchemy import Engine, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from crawler.cluster.redisq import ClusterDupeFilter
from crawler.cluster.spider import SOURCE_META, ClusterResult, ClusterSpider
from crawler.extract import Extracted, Rejection
from crawler.fetching.evidence import EvidenceWriter
from crawler.persist import record_fetch, record_health, store_article
from store.db import session_scope
from store.models import Article, FetchState, Source
from store.types import utcnow

log = logging.getLogger(__name__)

# Waits between tries when the database is away (it may be restarting).
STORE_RETRY_DELAYS = (1.0, 2.0, 4.0)


class ClusterStorePipeline:
    """Writes `ClusterResult`s; see the module docstring."""

    def __init__(self, crawler: Crawler, dupefilter: ClusterDupeFilter) -> None:
        self.crawler = crawler
        self.dupefilter = dupefilter
        # The WARC archive of stored pages (crawler.fetching.evidence; None when off).
        self.evidence = EvidenceWriter.from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterStorePipeline:
        settings = crawler.settings
        key = settings.get("SCHEDULER_DUPEFILTER_KEY")
        return cls(crawler, ClusterDupeFilter(get_redis_from_settings(settings), key=key))

    @property
    def spider(self) -> ClusterSpider:
        return self.crawler.spider  # type: ignore[return-value]

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ClusterResult):
            return item
        claims = self.spider.claims
        extracted: Extracted | Rejection | None = None
        page = item.page
        if page is not None and page.status != 304:
            # In worker processes, bounded in time (crawler.extractpool).
            extracted = await self.spider.extractor.extract(page.html, page.url, page.fallback)
        for delay in (*STORE_RETRY_DELAYS, None):
            try:
                self._store(self.spider.engine, item, extracted)
                break
            except (SQLAlchemyError, OSError) as exc:  # the database or the archive away
                if delay is None:
                    # Still away: another worker (or this one) tries again later.
                    log.warning("cannot store %s (%s): queued again", item.request.url, exc)
                    if claims is not None:
                        claims.requeue(item.request)
                    return {"url": item.request.url, "stored": False}
                await asyncio.sleep(delay)
        if claims is not None:
            claims.release(item.request)
        return {"url": item.request.url, "stored": True}

    def _store(self, engine: Engine, item: ClusterResult,
               extracted: Extracted | Rejection | None) -> None:
        request = item.request
        if item.error:
            log.warning("%s", item.error)
        if item.error and item.transient and not request.dont_filter:
            self._retry_next_pass(engine, item)
        with session_scope(engine) as session:
            for doc in item.docs:
                record_fetch(session, item.source_id, doc.url, doc.status, doc.validators)
            if item.page is not None:
                self._page(session, item, extracted)
            if item.start:
                record_health(session, item.source_id, error=item.error,
                              detected_kind=item.kind, new_articles=0)

    def close_spider(self) -> None:
        if self.evidence is not None:
            self.evidence.close()

    def _retry_next_pass(self, engine: Engine, item: ClusterResult) -> None:
        """Let the next pass of the source find this request again.

        The filter forgets it, and the source's discovery documents lose their
        validators, so the next pass reads them in full instead of getting a
        304 (a listing's page 2 is reached only through a page 1 parsed in
        full). A single process does the same when anything of a pass failed.
        """
        self.dupefilter.forget(item.request)
        source_url = item.request.meta.get(SOURCE_META, (None, None, None))[2]
        discovery = or_(and_(FetchState.source_id == item.source_id,
                             FetchState.url.not_in(select(Article.url))),
                        FetchState.url == source_url)
        with session_scope(engine) as session:
            session.execute(update(FetchState).where(discovery)
                            .values(etag=None, last_modified=None))

    def _page(self, session: Any, item: ClusterResult,
              result: Extracted | Rejection | None) -> None:
        page = item.page
        assert page is not None
        if page.status == 304 or result is None:
            record_fetch(session, item.source_id, page.url, 304, page.validators)
            return
        if isinstance(result, Rejection):
            # As in a single process: tried again next pass (the reason may be
            # passing, e.g. the extraction time limit on a busy machine).
            log.info("%s rejected: %s", page.url, result.reason)
            if not item.request.dont_filter:
                self._retry_next_pass(self.spider.engine, item)
            return
        outcome = store_article(session, item.source_id, page.url, result, self.spider.dedup)
        record_fetch(session, item.source_id, page.url, page.status, page.validators)
        if self.evidence is not None and outcome != "unchanged" and page.capture is not None:
            # Records synced before the session_scope commits the pointer.
            self.evidence.archive_stored(session, [(page.url, page.capture)])
        if outcome == "new":
            source = session.get(Source, item.source_id)
            if source is not None:
                source.last_new_article_at = utcnow()
