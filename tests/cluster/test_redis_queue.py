"""The Redis side against the Redis server of this machine: claims, their
recovery from a dead worker, the duplicate filter, and the coordinator's
start requests as scrapy-redis stores them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis import Redis
from scrapy import Request
from sqlalchemy import Engine

from crawler.cluster.coordinator import push_source
from crawler.cluster.redisq import (
    CLAIM_META,
    REVISION_META,
    ClaimingPriorityQueue,
    Claims,
    ClusterDupeFilter,
    Keys,
)
from crawler.cluster.spider import SOURCE_META, START_META, ClusterSpider
from crawler.extractpool import ExtractionPool
from crawler.spiders.base import SourceInfo, SpiderLimits
from store.config import config_from_dict
from tests.cluster.harness import REDIS_URL, redis_prefix

pytestmark = pytest.mark.redis


@pytest.fixture
def redis() -> Iterator[Redis]:
    server = Redis.from_url(REDIS_URL)
    yield server
    server.close()


@pytest.fixture
def keys() -> Iterator[Keys]:
    with redis_prefix() as prefix:
        yield Keys(prefix)


def spider_for(engine: Engine, claims: Claims | None) -> ClusterSpider:
    return ClusterSpider(engine=engine, limits=SpiderLimits(), extractor=ExtractionPool(1),
                         claims=claims)


def article(spider: ClusterSpider, url: str) -> Request:
    return Request(url, callback=spider.on_page, errback=spider.on_failure,
                   meta={SOURCE_META: (1, "wire", "http://x/feed/", "feed")})


def test_a_popped_request_stays_claimed_by_its_worker_until_released(
    redis: Redis, keys: Keys, sqlite_engine: Engine
) -> None:
    claims = Claims(redis, keys, "alive", timeout=30)
    spider = spider_for(sqlite_engine, claims)
    queue = ClaimingPriorityQueue(redis, spider, keys.requests)
    queue.push(article(spider, "http://x/a"))
    popped = queue.pop()
    assert popped is not None and popped.url == "http://x/a"
    assert popped.callback == spider.on_page
    assert len(queue) == 0 and claims.pending() == 1
    claims.release(popped)
    assert claims.pending() == 0


def test_the_requests_of_a_worker_whose_heartbeat_expired_go_back_to_the_queue(
    redis: Redis, keys: Keys, sqlite_engine: Engine
) -> None:
    dead = Claims(redis, keys, "dead", timeout=30)
    alive = Claims(redis, keys, "alive", timeout=30)
    alive.beat()
    dead_queue = ClaimingPriorityQueue(redis, spider_for(sqlite_engine, dead), keys.requests)
    alive_queue = ClaimingPriorityQueue(redis, spider_for(sqlite_engine, alive), keys.requests)
    for url in ("http://x/1", "http://x/2", "http://x/3"):
        dead_queue.push(article(dead_queue.spider, url))
    assert dead_queue.pop() is not None and dead_queue.pop() is not None
    assert alive_queue.pop() is not None
    assert alive.recover_orphans() == 2  # the dead worker never beat: its two come back
    assert dead.pending() == 0 and alive.pending() == 1 and len(alive_queue) == 2
    assert alive.recover_orphans() == 0  # the live worker's claim is left alone
    urls = sorted(r.url for r in (alive_queue.pop(), alive_queue.pop()) if r is not None)
    assert urls == ["http://x/1", "http://x/2"]


def test_a_worker_stopping_cleanly_gives_back_what_it_still_holds(
    redis: Redis, keys: Keys, sqlite_engine: Engine
) -> None:
    claims = Claims(redis, keys, "stopping", timeout=30)
    queue = ClaimingPriorityQueue(redis, spider_for(sqlite_engine, claims), keys.requests)
    queue.push(article(queue.spider, "http://x/held"))
    held = queue.pop()
    assert held is not None and claims.pending() == 1
    assert claims.requeue_own() == 1
    assert len(queue) == 1 and claims.pending() == 0


def test_a_claimed_request_scheduled_again_by_a_redirect_gives_up_its_old_claim(
    redis: Redis, keys: Keys, sqlite_engine: Engine
) -> None:
    claims = Claims(redis, keys, "w", timeout=30)
    queue = ClaimingPriorityQueue(redis, spider_for(sqlite_engine, claims), keys.requests)
    queue.push(article(queue.spider, "http://x/old"))
    first = queue.pop()
    assert first is not None and first.meta.get(CLAIM_META)
    queue.push(first.replace(url="http://x/new"))
    assert claims.pending() == 0 and len(queue) == 1
    again = queue.pop()
    assert again is not None and again.url == "http://x/new" and claims.pending() == 1


def test_the_filter_lets_a_page_through_once_a_revision_once_more_and_a_failure_again(
    redis: Redis, keys: Keys, sqlite_engine: Engine
) -> None:
    spider = spider_for(sqlite_engine, None)
    df = ClusterDupeFilter(redis, key=keys.dupefilter)
    page = article(spider, "http://x/story")
    assert not df.request_seen(page)
    assert df.request_seen(article(spider, "http://x/story"))
    revised = article(spider, "http://x/story")
    revised.meta[REVISION_META] = "2026-01-02T00:00:00Z"
    assert not df.request_seen(revised)
    assert df.request_seen(revised)
    failed = article(spider, "http://x/unreachable")
    assert not df.request_seen(failed)
    df.forget(failed)
    assert not df.request_seen(article(spider, "http://x/unreachable"))


def test_the_coordinator_queues_a_sources_start_request_that_bypasses_the_filter(
    redis: Redis, keys: Keys, sqlite_engine: Engine
) -> None:
    config = config_from_dict({"cluster": {"redis_url": REDIS_URL, "key_prefix": keys.prefix}})
    source = SourceInfo(7, "wire", "http://127.0.0.1:9/feed/", "feed")
    assert push_source(sqlite_engine, config, redis, source, cycle=42) == 1
    assert push_source(sqlite_engine, config, redis, source, cycle=43) == 1
    worker = spider_for(sqlite_engine, Claims(redis, keys, "w", timeout=30))
    queue = ClaimingPriorityQueue(redis, worker, keys.requests)
    seeds = [r for r in (queue.pop(), queue.pop()) if r is not None]
    seeds.sort(key=lambda r: r.meta["cw_cycle"])  # equal priorities: any order
    assert len(seeds) == 2
    for request, cycle in zip(seeds, (42, 43), strict=True):
        assert request.url == source.url and request.dont_filter
        assert request.callback == worker.on_discovery and request.errback == worker.on_failure
        assert request.meta[SOURCE_META] == (7, "wire", source.url, "feed")
        assert request.meta["cw_cycle"] == cycle and request.meta[START_META] is True
        assert request.meta["cw_handler"] == "parse_start"


def test_article_pages_found_in_a_feed_go_through_the_filter_and_carry_their_source(
    sqlite_engine: Engine
) -> None:
    from crawler.discovery.documents import Entry

    spider = spider_for(sqlite_engine, None)
    meta = {SOURCE_META: (3, "daily", "http://x/atom.xml", "feed"), "cw_cycle": 5}
    delegate = spider.delegate(meta)
    found = list(delegate.article_requests([Entry(url="http://x/news/1#top", updated="u1")]))
    assert len(found) == 1
    adopted = spider.adopt(found[0], meta, delegate, "http://x/atom.xml")
    # The per-kind spider bypasses Scrapy's filter; on Redis, pages must not.
    assert not adopted.dont_filter
    assert adopted.callback == spider.on_page and adopted.errback == spider.on_failure
    assert adopted.meta[SOURCE_META] == meta[SOURCE_META] and adopted.meta["cw_cycle"] == 5
    assert adopted.meta["cw_from"] == "http://x/atom.xml"
    assert REVISION_META not in adopted.meta  # not stored yet: a first fetch
    assert spider.delegate(meta) is delegate  # one delegate per source and pass
    assert spider.delegate({**meta, "cw_cycle": 6}) is not delegate


@pytest.mark.parametrize("bound", [False, True], ids=["coordinator", "worker"])
def test_a_sitemap_sources_robots_txt_leads_to_its_sitemaps_in_a_delegate(
    sqlite_engine: Engine, bound: bool
) -> None:
    """A delegate is bound to no crawler of its own: parsing a robots.txt (a
    sitemap source's start document) must not ask for one, and on a worker
    it reads the worker's own settings."""
    from scrapy.http import TextResponse
    from scrapy.settings import Settings

    spider = spider_for(sqlite_engine, None)
    if bound:
        spider.settings = Settings({"DOWNLOAD_MAXSIZE": 1_000_000})
    meta = {SOURCE_META: (4, "monitor", "http://x/robots.txt", "sitemap"), "cw_cycle": 1,
            START_META: True, "cw_handler": "parse_start"}
    body = b"User-agent: *\nAllow: /\nSitemap: http://x/news-sitemap.xml\n"
    request = Request("http://x/robots.txt", meta=meta)
    response = TextResponse("http://x/robots.txt", body=body, request=request,
                            headers={"Content-Type": "text/plain"})
    out = list(spider.on_discovery(response))
    followed = [r.url for r in out if isinstance(r, Request)]
    assert followed == ["http://x/news-sitemap.xml"]
    result = out[-1]
    assert result.error is None, result.error
    assert (spider.delegate(meta).crawl_settings() is not None) == bound
