"""A coordinator and three workers over the replayed dev corpus, phase by phase,
compared with a single process: the same articles, the same alerts, every
article page fetched once; and, when a worker is killed -9 while it holds
requests, the same articles and alerts asserting the same figures and raids."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from alerts.detect import analyse_pending
from store.config import load_config
from store.db import session_scope
from tests.cluster.harness import (
    REDIS_URL,
    Outcome,
    Proc,
    add_cluster,
    outcome,
    redis_prefix,
    stored_urls,
    wait_for_urls,
)
from tests.daemon.helpers import cli_process
from tests.daemon.story import Story, wait_until_quiet
from tests.delivery.smtpd import SmtpServer
from tests.support import postgres_database, run_replay

pytestmark = [pytest.mark.subprocess, pytest.mark.redis, pytest.mark.postgres]

WORKERS = 3


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    """The reference: `compoundwatch crawl` once per phase, then analysis, in one process."""
    root = tmp_path_factory.mktemp("single")
    server = SmtpServer().start()
    try:
        with run_replay(phase=0) as replay:
            story = Story.create(root, replay, server, f"sqlite:///{root / 'single.db'}")
            config = load_config(str(story.config))
            for phase in range(replay.max_phase + 1):
                replay.set_phase(phase)
                done = cli_process(story.config, "crawl", "--json", timeout=120)
                assert done.returncode == 0, done.stderr[-2000:]
                missing = {r["url"] for r in replay.urls(phase)} - stored_urls(story.engine)
                assert not missing, (missing, done.stdout)
                with session_scope(story.engine) as session:
                    analyse_pending(session, config)
            yield outcome(story.engine, replay, replay.outlets)
            story.engine.dispose()
    finally:
        server.stop()


def run_cluster(root: Path, smtp: SmtpServer, kill_in_phase: int | None = None
                ) -> tuple[Outcome, dict[str, int]]:
    """Coordinator and workers through every phase; the outcome and what the kill hit."""
    facts: dict[str, int] = {}
    with run_replay(phase=0) as replay, postgres_database() as url, redis_prefix() as prefix:
        story = Story.create(root, replay, smtp, url)
        add_cluster(story, prefix)
        redis = Redis.from_url(REDIS_URL)
        coordinator = Proc(story.config, root / "coordinator.log", "run", "--role", "coordinator")
        workers = [Proc(story.config, root / f"worker{i}.log", "worker", "--id", f"w{i}")
                   for i in range(WORKERS)]
        try:
            for phase in range(replay.max_phase + 1):
                replay.set_phase(phase)
                if phase == kill_in_phase:
                    facts["held_when_killed"] = kill_while_holding(redis, prefix, workers)
                alive = [p for p in (coordinator, *workers) if p.proc.returncode is None]
                try:
                    wait_for_urls(story.engine, {r["url"] for r in replay.urls(phase)}, alive)
                except AssertionError as exc:
                    raise AssertionError(f"phase {phase}: {exc}\n"
                                         f"{replay.stats()['outlets']}") from None
                wait_until_quiet(story.engine)
            facts["emails"] = story.check_every_alert_sent_exactly_once()
            # Nothing is left claimed: the dead worker's requests went back and were done.
            facts["left_claimed"] = sum(int(redis.hlen(k)) for k in
                                        redis.scan_iter(match=f"{prefix}:claims:*"))
            result = outcome(story.engine, replay, replay.outlets)
        finally:
            for w in workers:
                w.stop()
            assert coordinator.stop() == 0, coordinator.log()[-3000:]
            redis.close()
            story.engine.dispose()
    log = coordinator.log()
    assert "event=crawl.queued" in log and "event=analyse.done" in log
    assert "level=error" not in log, log[-3000:]
    return result, facts


def kill_while_holding(redis: Redis, prefix: str, workers: list[Proc],
                       timeout: float = 60) -> int:
    """SIGKILL the first worker seen holding a request it took from the queue.

    Any of them: with three workers sharing a small phase, one given worker
    could finish without ever being seen holding one (it happened once in
    a clean-clone CI run).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for i, worker in enumerate(workers):
            held = int(redis.hlen(f"{prefix}:claims:w{i}"))
            if held:
                worker.kill()
                return held
        time.sleep(0.005)
    raise AssertionError("no worker was seen holding a request")


def assert_same(single: Outcome, cluster: Outcome) -> None:
    assert cluster.articles == single.articles
    assert cluster.alerts == single.alerts
    assert sum(single.alerts.values()) >= 5, "the dev corpus raises a dozen alerts"


def asserted(alerts: Counter[tuple[str, str]]) -> Counter[tuple[object, ...]]:
    """What each alert asserts (the figure and its change, the raid's place and
    day), without which article reported it first (tests/robustness/test_kill_nine.py
    compares the same)."""
    out: Counter[tuple[object, ...]] = Counter()
    for (kind, key), n in alerts.items():
        p = json.loads(key)
        out[(kind, p.get("claim_key"), json.dumps(p.get("previous_value")),
             json.dumps(p.get("new_value")), p.get("location"), p.get("date"))] += n
    return out


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_coordinator_and_three_workers_store_and_alert_like_a_single_process(
    tmp_path: Path, smtp: SmtpServer, single_process: Outcome
) -> None:
    cluster, facts = run_cluster(tmp_path, smtp)
    assert_same(single_process, cluster)
    assert facts["emails"] == sum(cluster.alerts.values())
    assert facts["left_claimed"] == 0
    # Redis filtered every article page: each was fetched exactly once, by one
    # worker (a revised page once per version, as a single process does).
    revisions = {path: row[1] for path, row in cluster.articles.items()}
    assert cluster.article_fetches
    for path, n in cluster.article_fetches.items():
        assert n == revisions.get(path, 1), (path, n)
        assert n <= single_process.article_fetches[path]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_killing_a_worker_that_holds_requests_changes_neither_articles_nor_alerts(
    tmp_path: Path, smtp: SmtpServer, single_process: Outcome
) -> None:
    cluster, facts = run_cluster(tmp_path, smtp, kill_in_phase=3)
    assert facts["held_when_killed"] >= 1
    assert cluster.articles == single_process.articles
    # The dead worker's requests are fetched again after the others, so when
    # two articles of one phase report the same new figure, the later-published
    # one may be analysed first and be the alert's quote; the alert is the same.
    assert asserted(cluster.alerts) == asserted(single_process.alerts)
    assert sum(single_process.alerts.values()) >= 5
    assert facts["emails"] == sum(cluster.alerts.values())
    assert facts["left_claimed"] == 0
    # A request in flight when the worker died is fetched again by another
    # (at least once, never lost); nothing else is fetched twice.
    revisions = {path: row[1] for path, row in cluster.articles.items()}
    extra = {p: n - revisions.get(p, 1) for p, n in cluster.article_fetches.items()
             if n != revisions.get(p, 1)}
    assert all(n > 0 for n in extra.values()), extra
    assert sum(extra.values()) <= facts["held_when_killed"], extra
