"""Item pipeline: extract each fetched page and write it, with the validators
that make the next pass incremental."""

from __future__ import annotations

import dataclasses
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crawler.extract import Extracted, Rejection
from crawler.fetching.evidence import EvidenceWriter
from crawler.persist import record_fetch, store_article
from crawler.spiders.base import FetchItem, PageItem, SourceSpider
from crawler.validators import Validators
from store.db import session_scope

# Pages written per transaction.
WRITE_BATCH = 50


def db_reason(exc: SQLAlchemyError) -> str:
    """The database's own one-line reason, without the SQL statement and its
    parameters (which held the whole page) that SQLAlchemy's message adds."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [""])[0]
    return f"{type(orig).__name__}: {first[:200]}" if first else type(orig).__name__


class StorePipeline:
    """Writes PageItems as articles; discovery validators are written at close,
    and without ETag/Last-Modified when something failed, so that the next pass
    fetches the feed again and retries what failed."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # Pages extracted (or answered 304) and not yet written: (item, article or None).
        self._batch: list[tuple[PageItem, Extracted | None]] = []
        # The WARC archive of stored pages (None when evidence.enabled is false).
        self.evidence = EvidenceWriter.from_settings(crawler.settings)

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
        if item.status == 304:
            self._batch.append((item, None))
        else:
            result = await self.spider.extractor.extract(item.html, item.url, item.fallback)
            if isinstance(result, Rejection):
                self.spider.tally.fail(f"{item.url}: {result.reason}")
                return
            self._batch.append((item, result))
        if len(self._batch) >= WRITE_BATCH:
            self._write()

    def _write(self) -> None:
        """Store the collected pages in one transaction (SQLite has one writer and
        a commit per page cost more than the write); if it fails, one page per
        transaction, so that a bad page costs only itself."""
        batch, self._batch = self._batch, []
        if not batch:
            return
        spider = self.spider
        try:
            with session_scope(self.engine) as session:
                outcomes: list[str | None] = [self._store(session, item, art)
                                              for item, art in batch]
                self._archive(session, batch, outcomes)
        except (SQLAlchemyError, OSError):
            outcomes = [self._store_alone(item, art) for item, art in batch]
        for (item, art), outcome in zip(batch, outcomes, strict=True):
            if outcome is None:
                continue
            if art is not None:
                spider.known.article_urls.add(item.url)
            spider.tally.bump(outcome)

    def _store_alone(self, item: PageItem, art: Extracted | None) -> str | None:
        """One page in its own transaction: its outcome, or None (counted as failed)."""
        try:
            with session_scope(self.engine) as session:
                outcome = self._store(session, item, art)
                self._archive(session, [(item, art)], [outcome])
                return outcome
        except SQLAlchemyError as exc:
            self.spider.tally.fail(f"{item.url[:200]}: could not store the page "
                                   f"({db_reason(exc)})")
        except OSError as exc:
            # Not stored without its archived copy: it is fetched again next pass.
            self.spider.tally.fail(f"{item.url}: could not archive the page ({exc})"[:500])
        return None

    def _archive(self, session: Session, batch: list[tuple[PageItem, Extracted | None]],
                 outcomes: list[str | None]) -> None:
        """Archive the pages this transaction stores as new or revised (before it commits)."""
        if self.evidence is None:
            return
        self.evidence.archive_stored(session, [
            (item.url, item.capture) for (item, _), outcome in zip(batch, outcomes, strict=True)
            if outcome in ("new", "updated") and item.capture is not None])

    def _archive_documents(self) -> None:
        captures = [doc.capture for doc in self.spider.pending_docs if doc.capture is not None]
        if self.evidence is not None and captures:
            try:
                self.evidence.archive_documents(self.spider.source.id, captures)
            except OSError as exc:
                self.spider.tally.note(f"discovery documents not archived ({exc})"[:500])

    def _store(self, session: Session, item: PageItem, art: Extracted | None) -> str:
        source_id = self.spider.source.id
        if art is None:
            record_fetch(session, source_id, item.url, 304, item.validators)
            return "unchanged"
        outcome = store_article(session, source_id, item.url, art, self.spider.dedup)
        record_fetch(session, source_id, item.url, item.status, item.validators)
        return outcome

    def close_spider(self) -> None:
        try:
            self._write()
            self._archive_documents()
        finally:
            if self.evidence is not None:
                self.evidence.close()
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
