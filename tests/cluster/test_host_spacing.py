"""A cluster keeps the daemon's manners: the coordinator polls on the poller's
schedule (a feed's max-age holds its next poll back), and one host's
Crawl-delay holds for every request to it, the coordinator's and two
workers' together (real processes, PostgreSQL and Redis on loopback)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import Engine

from crawler.cluster.coordinator import CoordinatorDaemon, push_entries
from crawler.cluster.hostgate import RedisHostGate
from crawler.cluster.redisq import Keys
from crawler.discovery.documents import Entry
from crawler.spiders.base import SourceInfo
from store.config import config_from_dict
from store.db import make_engine, session_scope, upgrade
from store.models import Source
from store.sources import add_source
from store.types import utcnow
from tests.cluster.harness import REDIS_URL, Proc, redis_prefix, wait_for_urls
from tests.servers.pollsite import PollSite, poll_site
from tests.support import postgres_database

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

TITLES = ("Harbour crane stalls", "Council votes on buses", "Library opens late",
          "Bridge repairs begin", "Market moves indoors", "River level rises")


@pytest.fixture
def pg() -> Iterator[tuple[str, Engine]]:
    with postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        yield url, engine
        engine.dispose()


@pytest.fixture
def prefix() -> Iterator[str]:
    with redis_prefix() as p:
        yield p


def _feed_source(engine: Engine, site: PollSite) -> int:
    """A feed source that has had its first full pass (so it is polled)."""
    with session_scope(engine) as session:
        source = add_source(session, f"{site.base}/feed.xml", kind="feed", name="wire",
                            interval_seconds=60)
        source.last_success_at = utcnow()
        session.flush()
        return source.id


def _coordinator(url: str, prefix: str, engine: Engine, download_delay: float
                 ) -> CoordinatorDaemon:
    config = config_from_dict({
        "store": {"url": url},
        "crawl": {"allow_private_addresses": True, "download_delay": download_delay},
        "daemon": {"jitter_seconds": 0.0, "min_poll_interval": "30s"},
        "cluster": {"redis_url": REDIS_URL, "key_prefix": prefix}})
    daemon = CoordinatorDaemon(config, engine, holder="test:coordinator")
    daemon.polling = daemon._make_polling()
    return daemon


def test_two_gates_on_redis_share_a_hosts_turn_and_its_longest_delay(prefix: str) -> None:
    one = RedisHostGate(Redis.from_url(REDIS_URL), prefix)
    two = RedisHostGate(Redis.from_url(REDIS_URL), prefix)
    assert one.take("news.example", 30.0)
    # The other process knows only a short delay: the host's own still holds.
    assert not two.take("news.example", 0.5)
    assert 29.0 < two.wait_time("news.example", 0.5) <= 30.0
    assert two.take("other.example", 0.5)  # another host is not held back
    assert one.wait_time("third.example", 30.0) == 0.0


def test_the_coordinator_polls_on_the_pollers_schedule_and_max_age_holds_the_next_poll(
    pg: tuple[str, Engine], prefix: str
) -> None:
    url, engine = pg
    with poll_site() as site:
        site.max_age = 600
        site.publish("crane-stalls-at-the-harbour-2001", TITLES[0])
        site.publish("council-votes-on-buses-2002", TITLES[1])
        source_id = _feed_source(engine, site)
        daemon = _coordinator(url, prefix, engine, download_delay=0.0)
        before = utcnow()
        assert daemon.source_job(source_id)
        # One light poll (robots.txt, the feed), nothing fetched by the coordinator.
        assert [p for p, _, _ in site.hits] == ["/robots.txt", "/feed.xml"]
    with session_scope(engine) as session:
        source = session.get(Source, source_id)
        assert source is not None and source.next_run_at is not None
        next_run = source.next_run_at.replace(tzinfo=source.next_run_at.tzinfo or dt.UTC)
        # The source's `every` is a minute; the feed said ten.
        assert next_run >= before + dt.timedelta(seconds=600)
        assert source.last_poll_at is not None
    # The two entries went to the workers' queue.
    assert Redis.from_url(REDIS_URL).zcard(Keys(prefix).requests) == 2


def _worker_config(tmp: Path, name: str, url: str, prefix: str) -> Path:
    path = tmp / f"{name}.toml"
    path.write_text(
        f'[store]\nurl = "{url}"\n'
        "[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\n"
        f'extraction_workers = 1\nuser_agent = "cw-test-{name}"\n'
        f'[cluster]\nredis_url = "{REDIS_URL}"\nkey_prefix = "{prefix}"\n'
        "claim_timeout_seconds = 10.0\n")
    return path


def _wait_for_heartbeats(server: Redis, keys: Keys, workers: list[Proc], ids: list[str],
                         timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not all(server.exists(keys.heartbeat(i)) for i in ids):
        for w in workers:
            if not w.alive():
                raise AssertionError(f"{w.log_path.name} exited:\n{w.log()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError("the workers did not start")
        time.sleep(0.2)


def test_two_workers_and_the_coordinator_keep_one_hosts_crawl_delay_together(
    pg: tuple[str, Engine], prefix: str, tmp_path: Path
) -> None:
    url, engine = pg
    delay = 1.0
    server = Redis.from_url(REDIS_URL)
    with poll_site(crawl_delay=delay) as site:
        source_id = _feed_source(engine, site)
        daemon = _coordinator(url, prefix, engine, download_delay=0.0)
        # The coordinator's poll (an empty feed yet) reads robots.txt first.
        daemon.source_job(source_id)
        ids = ["spacing-a", "spacing-b"]
        workers = [Proc(_worker_config(tmp_path, name, url, prefix), tmp_path / f"{name}.log",
                        "worker", "--id", wid) for name, wid in zip("ab", ids, strict=True)]
        try:
            _wait_for_heartbeats(server, Keys(prefix), workers, ids)
            info = SourceInfo(source_id, "wire", f"{site.base}/feed.xml", "feed")
            pages = set()
            # One entry at a time, as polls find them: both workers take some.
            for i in range(10):
                page = site.publish(f"story-{i}-of-the-morning-{3000 + i}",
                                    f"{TITLES[i % len(TITLES)]}, part {i}")
                pages.add(page)
                push_entries(engine, daemon.config, server, info, [Entry(page, f"Part {i}")])
                time.sleep(0.3)
            wait_for_urls(engine, pages, workers, timeout=180)
        finally:
            for w in workers:
                w.stop()
        hits = sorted(zip(site.hits, site.agents, strict=True), key=lambda h: h[0][1])
    times = [t for (_, t, _), _ in hits]
    gaps = [round(b - a, 2) for a, b in zip(times, times[1:], strict=False)]
    assert all(g >= delay - 0.05 for g in gaps), list(zip([p for (p, _, _), _ in hits], gaps))
    # Both workers fetched pages: the spacing held between two processes.
    page_agents = {agent for (path, _, _), agent in hits if path.startswith("/news/")}
    assert page_agents == {"cw-test-a", "cw-test-b"}, page_agents
    assert len([p for (p, _, _), _ in hits if p.startswith("/news/")]) == 10
