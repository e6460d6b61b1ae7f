"""`compoundwatch run --role coordinator`: the daemon, except that a source's
scheduled crawl puts its start requests on the shared Redis queue instead of
crawling in a child process. Analysis, alerts, the outbox and the digest run
here as in the single-process daemon (one coordinator per database: the
daemon's lease enforces it).

A start request is a scrapy-redis request like any other, serialised with
`ClusterSpider`'s callbacks by name and the source in its meta; it carries
`dont_filter`, so every pass fetches the feed, sitemap or listing again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import Engine, func, select

from crawler.cluster.redisq import ClaimingPriorityQueue, Keys, in_progress, recover_orphans
from crawler.cluster.spider import ClusterSpider
from crawler.cluster.worker import check_cluster_config, redis_client
from crawler.daemon.crawl import backoff_delay, bounded_jitter
from crawler.daemon.jobs import ANALYSE_JOB, analyse_and_enqueue, first_run_time, source_job_id
from crawler.daemon.log import emit
from crawler.extractpool import ExtractionPool
from crawler.daemon.service import Daemon, DaemonError
from crawler.spiders.base import SourceInfo, SpiderLimits
from store.config import Config, parse_interval
from store.db import session_scope
from store.models import Article, Source
from store.types import utcnow

CLUSTER_ANALYSE_JOB = "cluster-analyse"


def push_source(engine: Engine, config: Config, server: Redis, source: SourceInfo,
                cycle: int | None = None) -> int:
    """Queue one pass of `source` on Redis; returns how many requests were queued."""
    limits = SpiderLimits(config.crawl.max_pages_per_source, config.crawl.listing_depth)
    # The coordinator extracts nothing: the pool is never started.
    spider = ClusterSpider(engine=engine, limits=limits, extractor=ExtractionPool(1))
    queue = ClaimingPriorityQueue(server, spider, Keys(config.cluster.key_prefix).requests)
    cycle = cycle if cycle is not None else time.time_ns() // 1_000_000
    requests = asyncio.run(spider.start_requests_of(source, cycle))
    for request in requests:
        queue.push(request)
    return len(requests)


class CoordinatorDaemon(Daemon):
    """The daemon with `crawl_source` replaced by `queue_source` (module docstring)."""

    def _make_polling(self) -> Any:
        return None  # the workers crawl; see queue_source

    def __init__(self, config: Config, engine: Engine, **kwargs: Any) -> None:
        check_cluster_config(config)
        super().__init__(config, engine, **kwargs)
        self.server = redis_client(config.cluster)
        self.keys = Keys(config.cluster.key_prefix)
        self._last_analysis = time.monotonic()

    def run(self, install_signals: bool = True) -> int:
        try:
            self.server.ping()
        except RedisError as exc:
            raise DaemonError(f"cannot reach Redis at cluster.redis_url ({exc}): start it or "
                              "fix the URL") from None
        return super().run(install_signals)

    def queue_source(self, source_id: int) -> bool:
        """Queue a pass of one source; its next run backs off while workers
        report it failing (they record its health)."""
        with session_scope(self.engine) as session:
            source = session.get(Source, source_id)
            if source is None or source.paused:
                return False
            info = SourceInfo(source.id, source.name, source.url, source.kind)
        queued = push_source(self.engine, self.config, self.server, info)
        recover_orphans(self.server, self.keys)
        now = utcnow()
        with session_scope(self.engine) as session:
            source = session.get(Source, source_id)
            if source is None:
                return True
            delay = backoff_delay(source.interval_seconds, source.consecutive_failures or 0,
                                  self.ctx.max_backoff)
            next_run = now + dt.timedelta(seconds=delay + self.ctx.jitter(source.interval_seconds))
            source.next_run_at = next_run
        emit("crawl.queued", source=info.name, phase="crawl", requests=queued, next_run=next_run)
        if delay > source.interval_seconds:
            self.poke(source_job_id(source_id), next_run)
        return True

    def add_source_job(self, plan: Any) -> None:
        interval = max(1, int(plan.interval_seconds))
        self.scheduler.add_job(
            self._guard(source_job_id(plan.id), lambda: self.queue_source(plan.id)),
            IntervalTrigger(seconds=interval,
                            jitter=bounded_jitter(self.config.daemon.jitter_seconds, interval)),
            id=source_job_id(plan.id), name=plan.name, executor="crawl",
            misfire_grace_time=max(30, interval),
            next_run_time=first_run_time(self.ctx, plan),
        )

    def analyse_when_drained(self) -> bool:
        """Analyse what the workers stored: at once when the queue has drained
        (a pass analysed whole keeps publication order, as a single process
        does), and in any case before a stored article has waited
        `analyse_every`, whatever the queue holds: with frequent polling a
        queue never drains, and alerts must not wait for it."""
        every = float(parse_interval(self.config.cluster.analyse_every))
        if not self._settled(every) and not self._overdue(every * 2.0 / 3.0):
            return False
        self._last_analysis = time.monotonic()
        return analyse_and_enqueue(self.ctx)

    def _overdue(self, patience: float) -> bool:
        """An article waits for analysis since longer than `patience` seconds."""
        since = utcnow() - dt.timedelta(seconds=patience)
        with session_scope(self.engine) as session:
            oldest = session.scalar(
                select(func.min(func.coalesce(Article.updated_at, Article.fetched_at)))
                .where(Article.needs_analysis.is_(True)))
        if oldest is None:
            return False
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.timezone.utc)
        return oldest <= since

    def _settled(self, quiet_seconds: float) -> bool:
        """Nothing queued or held in Redis, and nothing stored for a while (a
        pass's sources finish at different moments: wait for the last one)."""
        if in_progress(self.server, self.keys):
            return False
        since = utcnow() - dt.timedelta(seconds=quiet_seconds)
        with session_scope(self.engine) as session:
            newest = session.scalar(select(func.max(func.coalesce(Article.updated_at,
                                                                  Article.fetched_at))))
        if newest is not None and newest.tzinfo is None:
            newest = newest.replace(tzinfo=dt.timezone.utc)
        return newest is None or newest < since

    def schedule_all(self) -> None:
        super().schedule_all()
        every = float(parse_interval(self.config.cluster.analyse_every))
        # The workers store; nobody tells the coordinator when: it looks often.
        # This replaces the daemon's periodic analysis (which does not wait).
        self.scheduler.remove_job(ANALYSE_JOB)
        self._last_analysis = time.monotonic()
        # A third of analyse_every: an article stored just after a look is
        # analysed within analyse_every (see analyse_when_drained).
        self.scheduler.add_job(
            self._guard(CLUSTER_ANALYSE_JOB, self.analyse_when_drained),
            IntervalTrigger(seconds=max(1.0, every / 3.0)), id=CLUSTER_ANALYSE_JOB,
            misfire_grace_time=int(every) + 30, next_run_time=utcnow())
