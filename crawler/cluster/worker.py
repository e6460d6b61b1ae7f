"""`compoundwatch worker`: one Scrapy process on the shared Redis queue.

The engine is scrapy-redis's: its Scheduler (with SCHEDULER_PERSIST, so a
stopping worker never clears the shared queue), its PriorityQueue and its
RFPDupeFilter, each with the small additions of `crawler.cluster.redisq`.
Everything else (politeness, limits, the SSRF guard) is the crawl settings of
a single process, from the same `[crawl]` table.
"""

from __future__ import annotations

from typing import Any

from redis import Redis

from crawler.cluster.redisq import Claims, Keys, new_worker_id
from crawler.extractpool import ExtractionPool
from crawler.fetching.evidence import evidence_settings
from crawler.passes.settings import scrapy_settings
from crawler.spiders.base import SpiderLimits
from store.config import ClusterConfig, Config
from store.db import is_postgres, make_engine


class ClusterSetupError(Exception):
    """The configuration cannot run a cluster; the message says what to change."""


def check_cluster_config(config: Config) -> None:
    """Workers and a coordinator need Redis and a store every machine can reach."""
    if not config.cluster.redis_url:
        raise ClusterSetupError("cluster.redis_url is not set: set it to the shared Redis "
                                "(e.g. redis://10.0.0.5:6379/0) to run workers")
    if not config.database_url.startswith("postgresql"):
        raise ClusterSetupError("workers need a PostgreSQL store shared by every machine: set "
                                "store.url to postgresql+psycopg://...")


def cluster_settings(cluster: ClusterConfig) -> dict[str, Any]:
    """The scrapy-redis settings, keyed under the deployment's prefix."""
    keys = Keys(cluster.key_prefix)
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "crawler.cluster.redisq.ClaimingPriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "DUPEFILTER_CLASS": "crawler.cluster.redisq.ClusterDupeFilter",
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "REDIS_URL": cluster.redis_url,
        "ITEM_PIPELINES": {"crawler.cluster.pipeline.ClusterStorePipeline": 300},
        # Requests to one host are spaced across every worker and the
        # coordinator's polls (crawler.cluster.hostgate): after robots.txt
        # (100) has set the slot's Crawl-delay, before the deadline (340).
        "CW_HOST_GATE_PREFIX": keys.prefix,
        # Exact slot delays: a jittered local wait could send a request
        # later than the shared turn it took.
        "DOWNLOAD_DELAY_JITTER": 0.0,
        # A worker runs until it is stopped, not for one pass.
        "CLOSESPIDER_TIMEOUT": 0,
        "LOG_LEVEL": "INFO",
        "LOGSTATS_INTERVAL": 60.0,
    }


def worker_settings(config: Config) -> dict[str, Any]:
    """A worker's Scrapy settings: the crawl's, the cluster's, the archive's."""
    crawl = scrapy_settings(config.crawl)
    cluster = cluster_settings(config.cluster)
    middlewares = {**crawl.get("DOWNLOADER_MIDDLEWARES", {}),
                   "crawler.cluster.hostgate.SharedSpacingMiddleware": 120}
    return {**crawl, **cluster, **evidence_settings(config),
            "DOWNLOADER_MIDDLEWARES": middlewares}


def redis_client(cluster: ClusterConfig) -> Redis:
    return Redis.from_url(cluster.redis_url, socket_timeout=30, socket_connect_timeout=30,
                          retry_on_timeout=True)


def run_worker(config: Config, worker_id: str | None = None) -> None:
    """Pull, fetch, extract and store until SIGTERM or SIGINT (a graceful stop:
    requests in flight finish, anything still claimed goes back to the queue)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.cluster.spider import ClusterSpider

    check_cluster_config(config)
    engine = make_engine(config.database_url)
    if not is_postgres(engine):  # pragma: no cover - checked above
        raise ClusterSetupError("workers need a PostgreSQL store")
    claims = Claims(redis_client(config.cluster), Keys(config.cluster.key_prefix),
                    worker_id or new_worker_id(), config.cluster.claim_timeout_seconds)
    claims.server.ping()
    settings = worker_settings(config)
    process = CrawlerProcess(settings)
    limits = SpiderLimits(config.crawl.max_pages_per_source, config.crawl.listing_depth)
    extractor = ExtractionPool(config.crawl.extraction_workers,
                               config.crawl.extraction_timeout_seconds)
    process.crawl(ClusterSpider, engine=engine, limits=limits, extractor=extractor,
                  claims=claims)
    try:
        process.start()
    finally:
        extractor.close()
        engine.dispose()
