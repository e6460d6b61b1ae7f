"""`status` reads sources' health, the outbox and the lease from the database alone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from crawler.daemon import lease
from crawler.daemon.status import read_status
from store.db import session_scope
from store.models import Article, Delivery
from store.sources import add_source
from store.types import utcnow


def _delivery(status: str, key: str, error: str | None = None) -> Delivery:
    return Delivery(dedup_key=key, kind="alert", recipient="desk@example.org", status=status,
                    attempts=8 if status == "failed" else 0, last_error=error)


def test_status_shows_each_sources_health_and_the_outbox(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_source(session, "http://127.0.0.1:1/feed", name="wire", interval_seconds=60)
        broken = add_source(session, "http://127.0.0.1:1/atom", name="daily")
        broken.consecutive_failures, broken.last_error = 3, "HTTP 503"
        broken.next_run_at = utcnow() + dt.timedelta(minutes=8)
        add_source(session, "http://127.0.0.1:1/x", name="quiet").paused = True
        session.add_all([_delivery("pending", "a"), _delivery("pending", "b"),
                         _delivery("sent", "c"),
                         _delivery("failed", "d", "550 mailbox unavailable")])
    st = read_status(engine)
    health = {s.name: s.health for s in st.sources}
    assert health == {"wire": "new", "daily": "failing", "quiet": "paused"}
    daily = next(s for s in st.sources if s.name == "daily")
    assert daily.every == "30m" and daily.last_error == "HTTP 503" and daily.next_run_at
    d = st.deliveries
    assert (d.pending, d.sending, d.failed, d.sent) == (2, 0, 1, 1)
    assert d.failures[0]["last_error"] == "550 mailbox unavailable"
    assert d.oldest_pending_at is not None
    assert not st.daemon.running and st.daemon.holder is None
    records = [r["record"] for r in st.rows()]
    assert records == ["source", "source", "source", "deliveries", "daemon"]


def test_status_tells_a_live_lease_from_an_expired_one(engine: Engine) -> None:
    lease.acquire(engine, lease.this_holder(), ttl=60)
    assert read_status(engine).daemon.running
    later = utcnow() + dt.timedelta(seconds=120)
    assert not read_status(engine, now=later).daemon.running


def test_status_shows_the_learned_interval_last_poll_and_publication_delay(
        engine: Engine) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        wire = add_source(session, "http://127.0.0.1:1/feed", name="wire", interval_seconds=1800)
        wire.poll_interval_seconds, wire.last_poll_at = 90, now - dt.timedelta(seconds=30)
        wire.last_entry_at = now - dt.timedelta(minutes=5)
        session.flush()
        for minutes, delay in ((50, 60), (40, 120), (30, 600)):
            published = now - dt.timedelta(minutes=minutes)
            session.add(Article(url=f"http://127.0.0.1:1/a{minutes}", source_id=wire.id,
                                published=published,
                                fetched_at=published + dt.timedelta(seconds=delay)))
        # Stored two days ago: outside the day the median covers.
        session.add(Article(url="http://127.0.0.1:1/old", source_id=wire.id,
                            published=now - dt.timedelta(days=2, hours=1),
                            fetched_at=now - dt.timedelta(days=2)))
    wire_status = read_status(engine, now).sources[0]
    assert wire_status.learned_every == "90s"
    assert wire_status.last_poll_at and wire_status.last_entry_at
    assert wire_status.median_delay_seconds == 120.0
    row = read_status(engine, now).rows()[0]
    assert row["learned_every"] == "90s" and row["median_delay_seconds"] == 120.0
