"""The daemon lease: one holder at a time on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pytest
from sqlalchemy import Engine, update

from crawler.daemon import lease
from store.models import Lease
from store.types import utcnow


def test_a_second_holder_is_refused_while_the_lease_is_held(engine: Engine) -> None:
    lease.acquire(engine, "hostA:1", ttl=60)
    with pytest.raises(lease.LeaseHeld) as refused:
        lease.acquire(engine, "hostB:2", ttl=60)
    assert "hostA:1" in str(refused.value)
    assert lease.read_lease(engine).holder == "hostA:1"


def test_the_holder_can_take_its_own_lease_again(engine: Engine) -> None:
    first = lease.acquire(engine, "hostA:1", ttl=60)
    again = lease.acquire(engine, "hostA:1", ttl=120)
    assert again.expires_at > first.expires_at


def test_an_expired_lease_is_taken_over(engine: Engine) -> None:
    lease.acquire(engine, "hostA:1", ttl=60)
    with engine.begin() as conn:
        conn.execute(update(Lease).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    taken = lease.acquire(engine, "hostB:2", ttl=60)
    assert taken.holder == "hostB:2"
    assert lease.read_lease(engine).holder == "hostB:2"


def test_a_dead_holder_on_this_host_is_taken_over_before_expiry(engine: Engine) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    dead = f"{lease.this_holder().rpartition(':')[0]}:{proc.pid}"
    lease.acquire(engine, dead, ttl=3600)
    assert lease.acquire(engine, lease.this_holder(), ttl=60).holder == lease.this_holder()


def test_a_live_holder_on_this_host_is_not_taken_over(engine: Engine) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = f"{lease.this_holder().rpartition(':')[0]}:{proc.pid}"
        lease.acquire(engine, alive, ttl=3600)
        with pytest.raises(lease.LeaseHeld):
            lease.acquire(engine, lease.this_holder(), ttl=60)
    finally:
        proc.kill()
        proc.wait()


def test_renewal_fails_once_another_holder_took_the_lease(engine: Engine) -> None:
    lease.acquire(engine, "hostA:1", ttl=60)
    assert lease.renew(engine, "hostA:1", ttl=60)
    with engine.begin() as conn:
        conn.execute(update(Lease).values(holder="hostB:2"))
    assert not lease.renew(engine, "hostA:1", ttl=60)


def test_a_released_lease_can_be_taken_by_another(engine: Engine) -> None:
    lease.acquire(engine, "hostA:1", ttl=60)
    assert not lease.release(engine, "hostB:2")
    assert lease.release(engine, "hostA:1")
    assert lease.read_lease(engine) is None
    assert lease.acquire(engine, "hostB:2", ttl=60).holder == "hostB:2"


@pytest.mark.parametrize("expired_first", [False, True])
def test_racing_starters_never_both_win(engine: Engine, expired_first: bool) -> None:
    if expired_first:
        lease.acquire(engine, "old:1", ttl=60)
        with engine.begin() as conn:
            conn.execute(update(Lease).values(expires_at=utcnow() - dt.timedelta(seconds=5)))
    winners: list[str] = []
    losers: list[str] = []
    barrier = threading.Barrier(6)

    def start(i: int) -> None:
        holder = f"racer{i}:{i}"
        barrier.wait()
        try:
            lease.acquire(engine, holder, ttl=60)
            winners.append(holder)
        except lease.LeaseHeld:
            losers.append(holder)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1, winners
    assert len(losers) == 5
    assert lease.read_lease(engine).holder == winners[0]


def test_the_heartbeat_renews_until_stopped_and_reports_a_stolen_lease(
        sqlite_engine: Engine) -> None:
    from crawler.daemon.heartbeat import beat_until_stopped

    first = lease.acquire(sqlite_engine, "hostA:1", ttl=1.5)
    stop = threading.Event()
    threading.Timer(1.6, stop.set).start()
    assert beat_until_stopped(sqlite_engine, "hostA:1", 1.5, stop) == 0
    assert lease.read_lease(sqlite_engine).expires_at > first.expires_at  # renewed

    with sqlite_engine.begin() as conn:  # another daemon took it over
        conn.execute(update(Lease).values(holder="hostB:2"))
    assert beat_until_stopped(sqlite_engine, "hostA:1", 1.5, threading.Event()) == 1
