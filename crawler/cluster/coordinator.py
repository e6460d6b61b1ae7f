"""`compoundwatch run --role coordinator`: the daemon, on the same schedule,
except that work for the crawl goes on the shared Redis queue instead of
into a child process. Analysis, alerts, the outbox and the digest run here
as in the single-process daemon (one coordinator per database: the
daemon's lease enforces it).

The source jobs are the daemon's own (`Daemon.source_job`, polling in
`crawler.daemon.polling`): the coordinator polls each feed, sitemap or
listing with the light client, so a source's next poll comes from its
rhythm, max-age, Retry-After and failures exactly as in one daemon. Two
steps differ, and only they are overridden here:

* `full_pass` (a source never crawled whole, or not pollable) queues the
  source's start requests: scrapy-redis requests serialised with
  `ClusterSpider`'s callbacks by name and the source in their meta, with
  `dont_filter`, so every pass fetches the source's URL again;
* `ClusterPolling.hand_off` queues article requests for the entries a poll
  found, through the Redis filter (two polls naming one story queue it once).

Every request to a host, the coordinator's polls and the workers' fetches
alike, waits its turn on one gate in Redis (`crawler.cluster.hostgate`).
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

from crawler.cluster.hostgate import RedisHostGate
from crawler.cluster.redisq import (
    ClaimingPriorityQueue,
    ClusterDupeFilter,
    Keys,
    in_progress,
    recover_orphans,
)
from crawler.cluster.spider import ClusterSpider
from crawler.cluster.worker import check_cluster_config, redis_client
from crawler.daemon.batch import BatchOutcome
from crawler.daemon.crawl import backoff_delay
from crawler.daemon.jobs import ANALYSE_JOB, analyse_and_enqueue, source_job_id
from crawler.daemon.log import emit
from crawler.daemon.polling import Polling
from crawler.daemon.service import Daemon, DaemonError
from crawler.discovery.documents import Entry
from crawler.extractpool import ExtractionPool
from crawler.poll.state import PollTarget
from crawler.spiders.base import SourceInfo, SpiderLimits
from store.config import Config, parse_interval
from store.db import session_scope
from store.models import Article, Source
from store.types import utcnow

CLUSTER_ANALYSE_JOB = "cluster-analyse"


def _queueing_spider(engine: Engine, config: Config) -> ClusterSpider:
    """A spider that only builds requests (one per call: polls run in threads)."""
    limits = SpiderLimits(config.crawl.max_pages_per_source, config.crawl.listing_depth)
    # The coordinator extracts nothing: the pool is never started.
    return ClusterSpider(engine=engine, limits=limits, extractor=ExtractionPool(1))


def _cycle(cycle: int | None) -> int:
    return cycle if cycle is not None else time.time_ns() // 1_000_000


def push_source(engine: Engine, config: Config, server: Redis, source: SourceInfo,
                cycle: int | None = None) -> int:
    """Queue one pass of `source` on Redis; returns how many requests were queued."""
    spider = _queueing_spider(engine, config)
    queue = ClaimingPriorityQueue(server, spider, Keys(config.cluster.key_prefix).requests)
    requests = asyncio.run(spider.start_requests_of(source, _cycle(cycle)))
    for request in requests:
        queue.push(request)
    return len(requests)


def push_entries(engine: Engine, config: Config, server: Redis, source: SourceInfo,
                 entries: list[Entry], cycle: int | None = None) -> int:
    """Queue article requests for a poll's entries; returns how many were queued
    (an entry another poll or pass already queued is not queued twice)."""
    keys = Keys(config.cluster.key_prefix)
    spider = _queueing_spider(engine, config)
    queue = ClaimingPriorityQueue(server, spider, keys.requests)
    seen = ClusterDupeFilter(server, key=keys.dupefilter)
    queued = 0
    for request in spider.entry_requests_of(source, _cycle(cycle), entries):
        if not seen.request_seen(request):
            queue.push(request)
            queued += 1
    return queued


class ClusterPolling(Polling):
    """The daemon's polling with the workers fetching what it finds: the
    entries go on the Redis queue, and hosts are spaced on the shared gate."""

    def __init__(self, daemon: CoordinatorDaemon) -> None:
        super().__init__(daemon.ctx, full_pass=daemon.full_pass,
                         gate=RedisHostGate(daemon.server, daemon.keys.prefix))
        self.server = daemon.server

    def hand_off(self, target: PollTarget, entries: list[Entry]) -> BatchOutcome:
        """Queued is as far as the poll goes: the workers store, and a fetch
        that fails clears the source's validators, so a later poll finds the
        entry again (`ClusterStorePipeline._retry_next_pass`)."""
        info = SourceInfo(target.id, target.name, target.url, target.kind)
        try:
            queued = push_entries(self.ctx.engine, self.ctx.config, self.server, info, entries)
        except RedisError as exc:
            return BatchOutcome(ok=False, error=f"cannot queue on Redis: {exc}")
        emit("crawl.queued", source=target.name, phase="crawl", requests=queued,
             entries=len(entries))
        return BatchOutcome(ok=True)


class CoordinatorDaemon(Daemon):
    """The daemon with its full pass and its entries' fetch on Redis (module docstring)."""

    def _make_polling(self) -> Any:
        if self.config.daemon.discovery != "poll":
            return None  # every source job is a full pass (`full_pass`)
        return ClusterPolling(self)

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

    def full_pass(self, source_id: int) -> bool:
        """Queue a whole pass of one source; its next run backs off while
        workers report it failing (they record its health)."""
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
