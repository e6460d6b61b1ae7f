"""Item pipeline: extract each fetched page and write it, with the validators
that make the next pass incremental."""

from __future__ import annotations

import dataclasses
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy import Engine

from crawler.extract import Rejection
from crawler.persist import Validators, record_fetch, store_article
from crawler.spiders.base import FetchItem, PageItem, SourceSpider
from store.db import session_scope


class StorePipeline:
    """Writes PageItems as articles; discovery validators are written at close,
    and without ETag/Last-Modified when something failed, so that the next pass
    fetches the feed again and retries what failed."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def spider(self) -> SourceSpider:
        return self.crawler.spider  # type: ignore[return-value]

    @property
    def engine(self) -> Engine:
        return self.spider.engine

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            await self._page(item)
            # Keep nothing of the page once it is stored.
            return {"url": item.url, "status": item.status}
        return item

    async def _page(self, item: PageItem) -> None:
        spider = self.spider
        tally = spider.tally
        if item.status == 304:
            with session_scope(self.engine) as session:
                record_fetch(session, spider.source.id, item.url, 304, item.validators)
            tally.bump("unchanged")
            return
        result = await spider.extractor.extract(item.html, item.url, item.fallback)
        if isinstance(result, Rejection):
            tally.fail(f"{item.url}: {result.reason}")
            return
        with session_scope(self.engine) as session:
            outcome = store_article(session, spider.source.id, item.url, result)
            record_fetch(session, spider.source.id, item.url, item.status, item.validators)
        spider.known.article_urls.add(item.url)
        tally.bump(outcome)

    def close_spider(self) -> None:
        spider = self.spider
        docs: list[FetchItem] = spider.pending_docs
        if not docs:
            return
        with session_scope(self.engine) as session:
            for doc in docs:
                validators = doc.validators
                if spider.tally.failed:
                    validators = dataclasses.replace(validators, etag=None, last_modified=None)
                record_fetch(session, spider.source.id, doc.url, doc.status,
                             validators or Validators())
