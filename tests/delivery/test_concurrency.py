"""Two senders draining one outbox at once never send a message twice."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Engine, select

from alerts.delivery.outbox import SendSummary, claim_next, enqueue_alerts, send_due
from store.db import make_engine, session_scope
from store.models import Delivery
from tests.delivery import factories as f

N_ALERTS = 10


def test_two_concurrent_senders_never_send_one_message_twice(engine: Engine, db_url: str, smtp,
                                                              make_config) -> None:
    config = make_config(smtp.port)
    smtp.handler.delay = 0.02  # a slow server keeps both senders busy at the same time
    with session_scope(engine) as session:
        st = f.story(session)
        for i in range(N_ALERTS):
            art = f.article(session, st.sources["wire"], f"rescued-{i}", f"Rescued update {i}",
                            dt.datetime(2022, 10, 10, 9, i, tzinfo=f.ICT))
            f.figure_change(session, st, art, "rescued", 361 + i, 362 + i, f"{362 + i} freed")
        assert enqueue_alerts(session, config) == N_ALERTS

    summaries: dict[str, SendSummary] = {}
    barrier = threading.Barrier(2)

    def sender(name: str) -> None:
        own = make_engine(db_url)  # a separate pool, as a second process would have
        try:
            barrier.wait()
            summaries[name] = send_due(own, config, worker=name)
        finally:
            own.dispose()

    threads = [threading.Thread(target=sender, args=(n,)) for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert sum(s.sent for s in summaries.values()) == N_ALERTS
    assert all(s.sent > 0 for s in summaries.values()), "both senders should have worked"
    ids = [str(r.message["Message-ID"]) for r in smtp.received]
    assert len(ids) == N_ALERTS and len(set(ids)) == N_ALERTS
    with session_scope(engine) as session:
        rows = session.scalars(select(Delivery)).all()
        assert {d.status for d in rows} == {"sent"} and {d.attempts for d in rows} == {1}


def test_a_claimed_delivery_cannot_be_claimed_by_a_second_worker(engine: Engine,
                                                                  make_config) -> None:
    config = make_config(25)
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=f.UTC)
    with session_scope(engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "a", "A", now)
        f.figure_change(session, st, art, "rescued", 361, 400, "400 freed")
        enqueue_alerts(session, config, now=now)
    stale_before = now - dt.timedelta(minutes=10)
    first = claim_next(engine, "worker-a", now, stale_before, ("email",))
    second = claim_next(engine, "worker-b", now, stale_before, ("email",))
    assert first is not None and first > 0
    assert second is None
    with session_scope(engine) as session:
        d = session.get(Delivery, first)
        assert d is not None and (d.status, d.claimed_by, d.attempts) == ("sending", "worker-a", 1)
