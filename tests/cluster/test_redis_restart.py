"""A worker rides out a Redis restart that loses everything (no persistence):
the next pass queues what is not stored yet, and nothing stored is fetched
again. Runs its own redis-server on a free loopback port, not the shared one."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from redis import Redis
from sqlalchemy import select

from crawler.cluster.coordinator import push_source
from crawler.spiders.base import SourceInfo
from store.config import load_config
from store.db import make_engine, session_scope
from store.models import Source
from tests.cluster.harness import Proc, stored_urls, wait_for_urls
from tests.daemon.helpers import cli
from tests.support import Replay, postgres_database, run_replay

pytestmark = [pytest.mark.subprocess, pytest.mark.redis, pytest.mark.postgres]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A throwaway redis-server without persistence."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                Redis(port=port).ping()
                return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def replay() -> Iterator[Replay]:
    with run_replay(phase=1) as r:
        yield r


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_worker_rides_out_a_redis_restart_that_lost_the_queue_and_the_filter(
    tmp_path: Path, replay: Replay
) -> None:
    port = free_port()
    redis = RedisServer(port)
    with postgres_database() as db_url:
        config_path = tmp_path / "config.toml"
        config_path.write_text(
            f'[store]\nurl = "{db_url}"\n[seed]\narticles = []\n'
            "[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\n"
            "autothrottle = false\n"
            f'[cluster]\nredis_url = "redis://127.0.0.1:{port}/0"\nkey_prefix = "t"\n'
            "claim_timeout_seconds = 3.0\n"
            f'[[sources]]\nname = "wire"\nurl = "{replay.outlets["wire"]}/feed/"\nkind = "feed"\n')
        assert cli(config_path, "init").returncode == 0
        config = load_config(str(config_path))
        engine = make_engine(config.database_url)
        with session_scope(engine) as s:
            wire = s.scalars(select(Source)).one()
            source = SourceInfo(wire.id, wire.name, wire.url, wire.kind)
        worker = Proc(config_path, tmp_path / "worker.log", "worker")
        try:
            def one_pass() -> None:
                push_source(engine, config, Redis(port=port), source)

            one_pass()
            first = {r["url"] for r in replay.urls(1) if r["outlet"] == "wire"}
            wait_for_urls(engine, first, [worker])
            redis.stop()  # everything in Redis is gone: queue, filter, claims
            time.sleep(2.0)  # the worker polls a Redis that is not there
            redis = RedisServer(port)
            replay.set_phase(2)
            before = replay.stats()
            one_pass()
            second = {r["url"] for r in replay.urls(2) if r["outlet"] == "wire"}
            assert second - first, "phase 2 brings new wire articles"
            wait_for_urls(engine, second, [worker])
            assert worker.alive()
            # Stored pages were not fetched again though the filter forgot them.
            after = replay.stats()
            paths = after["outlets"]["wire"]["paths"]
            old = before["outlets"]["wire"]["paths"]
            refetched = [u for u in first if urlsplit(u).path in paths
                         and paths[urlsplit(u).path] != old.get(urlsplit(u).path)]
            assert refetched == []
            assert second <= stored_urls(engine)
        finally:
            worker.stop()
            redis.stop()
            engine.dispose()
