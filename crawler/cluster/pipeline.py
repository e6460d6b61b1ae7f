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
from sqlalchemy import Engine, update
from sqlalchemy.exc import SQLAlchemyError

from crawler.cluster.redisq import ClusterDupeFilter
from crawler.cluster.spider import FROM_META, ClusterResult, ClusterSpider
from crawler.extract import Extracted, Rejection
from crawler.persist import record_fetch, record_health, store_article
from store.db import session_scope
from store.models import FetchState, Source
from store.types import utcnow

log = logging.getLogger(__name__)

# Waits between tries when the database is away (it may be restarting).
STORE_RETRY_DELAYS = (1.0, 2.0, 4.0)


class ClusterStorePipeline:
    """Writes `ClusterResult`s; see the module docstring."""

    def __init__(self, crawler: Crawler, dupefilter: ClusterDupeFilter) -> None:
        self.crawler = crawler
        self.dupefilter = dupefilter

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
            except SQLAlchemyError as exc:
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
        if item.error and item.transient and not request.dont_filter:
            # The fetch failed: let the next pass of its feed queue it again,
            # and make that pass read the feed in full rather than get a 304.
            self.dupefilter.forget(request)
            referrer = request.meta.get(FROM_META)
            if referrer:
                with session_scope(engine) as session:
                    session.execute(update(FetchState).where(FetchState.url == referrer)
                                    .values(etag=None, last_modified=None))
        with session_scope(engine) as session:
            for doc in item.docs:
                record_fetch(session, item.source_id, doc.url, doc.status, doc.validators)
            if item.page is not None:
                self._page(session, item, extracted)
            if item.start:
                record_health(session, item.source_id, error=item.error,
                              detected_kind=item.kind, new_articles=0)

    def _page(self, session: Any, item: ClusterResult,
              result: Extracted | Rejection | None) -> None:
        page = item.page
        assert page is not None
        if page.status == 304 or result is None:
            record_fetch(session, item.source_id, page.url, 304, page.validators)
            return
        if isinstance(result, Rejection):
            # Not an article: the filter keeps it, so it is not fetched every pass.
            log.info("%s rejected: %s", page.url, result.reason)
            return
        outcome = store_article(session, item.source_id, page.url, result)
        record_fetch(session, item.source_id, page.url, page.status, page.validators)
        if outcome == "new":
            source = session.get(Source, item.source_id)
            if source is not None:
                source.last_new_article_at = utcnow()
