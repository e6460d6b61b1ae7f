"""The coordinator analyses stored articles within `analyse_every` even while
the Redis queue never drains (sources polled often keep it busy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from redis import Redis
from sqlalchemy import Engine, select

from crawler.cluster.coordinator import CoordinatorDaemon
from crawler.cluster.redisq import Keys
from store.config import Config, config_from_dict
from store.db import make_engine, session_scope, upgrade
from store.models import Article
from store.types import utcnow
from tests.cluster.harness import REDIS_URL, redis_prefix
from tests.support import postgres_database

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _config(url: str, prefix: str, every: str) -> Config:
    return config_from_dict({"store": {"url": url}, "cluster": {
        "redis_url": REDIS_URL, "key_prefix": prefix, "analyse_every": every}})


def _store(engine: Engine, url: str, age_seconds: float) -> None:
    with session_scope(engine) as session:
        session.add(Article(url=url, title="A story", text="Nothing about the watched story.",
                            fetched_at=utcnow() - dt.timedelta(seconds=age_seconds)))


def _pending(engine: Engine) -> set[str]:
    with session_scope(engine) as session:
        return set(session.scalars(select(Article.url).where(Article.needs_analysis.is_(True))))


def test_a_busy_queue_delays_analysis_by_at_most_analyse_every(pg_url: str,
                                                               pg_engine: Engine) -> None:
    with redis_prefix() as prefix:
        config = _config(pg_url, prefix, "30s")
        coordinator = CoordinatorDaemon(config, pg_engine, holder="test:1")
        server = Redis.from_url(REDIS_URL)
        server.zadd(Keys(prefix).requests, {"a request a worker has not taken yet": 0})
        try:
            _store(pg_engine, "http://127.0.0.1:1/just-stored", age_seconds=1)
            assert coordinator.analyse_when_drained() is False  # the pass may still grow
            _store(pg_engine, "http://127.0.0.1:1/waiting", age_seconds=25)
            assert coordinator.analyse_when_drained() is True  # overdue: analysed anyway
            assert _pending(pg_engine) == set()
        finally:
            server.close()


def test_a_drained_quiet_queue_is_analysed_at_once(pg_url: str, pg_engine: Engine) -> None:
    with redis_prefix() as prefix:
        config = _config(pg_url, prefix, "2s")
        coordinator = CoordinatorDaemon(config, pg_engine, holder="test:1")
        _store(pg_engine, "http://127.0.0.1:1/settled", age_seconds=5)
        assert coordinator.analyse_when_drained() is True
        assert _pending(pg_engine) == set()
