"""The outbox against a misbehaving mail server, all faults in one timeline:
down for a while, the connection dropped in the middle of DATA, 4xx then
2xx, one recipient of several rejected for good. Every message that can be
delivered arrives exactly once (one Message-ID each, never repeated); the
rejected recipient's deliveries fail with the server's reason."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from alerts.delivery.outbox import enqueue_alerts, send_due
from store.config import Config, config_from_dict
from store.db import session_scope
from store.models import Delivery
from tests.delivery import factories as f
from tests.delivery.smtpd import Handler, SmtpServer, free_port

GOOD = ["desk@example.org", "editor@example.org"]
GONE = "gone@example.org"


class DroppingHandler(Handler):
    """Drops the TCP connection after reading a message's DATA, before any reply."""

    drop_next: int = 0
    dropped: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drop_next > 0:
            self.drop_next -= 1
            self.dropped += 1
            server.transport.abort()
            return "421 dropped"  # never reaches the client: the connection is gone
        return await super().handle_DATA(server, session, envelope)


def _config(tmp: Path, port: int) -> Config:
    return config_from_dict({
        "email": {"host": "127.0.0.1", "port": port, "sender": "watch@example.org",
                  "recipients": [GOOD[0], GONE, GOOD[1]], "timeout_seconds": 5.0,
                  "backoff_seconds": 60.0, "max_attempts": 8},
    }, tmp)


def test_every_deliverable_message_arrives_exactly_once_through_every_smtp_fault(
        sqlite_engine: Engine, tmp_path: Path) -> None:
    server = SmtpServer(free_port())
    handler = DroppingHandler()
    server.handler = handler
    config = _config(tmp_path, server.port)
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    with session_scope(sqlite_engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "complaints-500", "Complaints pass 500",
                        dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT))
        f.figure_change(session, st, art, "complaints", 368, 500, "more than 500 complaints",
                        ">")
        f.new_raid(session, [art])
        assert enqueue_alerts(session, config, now=now) == 6  # 2 alerts x 3 recipients

    # 1. Down: nothing is lost, everything waits.
    down = send_due(sqlite_engine, config, now)
    assert (down.sent, down.failed) == (0, 0) and down.retrying == 6

    # 2. Back, but it drops the first DATA, answers 451 to the next two, rejects GONE.
    handler.drop_next = 1
    handler.temp_fail_next = 2
    handler.reject[GONE] = "550 5.1.1 No such user here"
    server.start()
    drains = 0
    try:
        clock = now
        while True:
            clock += dt.timedelta(hours=1)  # past any backoff
            summary = send_due(sqlite_engine, config, clock)
            drains += 1
            if not summary.did_work or drains > 10:
                break
        # A later pass finds nothing more to send.
        assert not send_due(sqlite_engine, config, clock + dt.timedelta(days=1)).did_work
    finally:
        server.stop()

    with session_scope(sqlite_engine) as session:
        rows = session.execute(select(Delivery.recipient, Delivery.status, Delivery.attempts,
                                      Delivery.message_id, Delivery.last_error)).all()
    by_status = Counter(r.status for r in rows)
    print(f"FIGURES smtp: deliveries={len(rows)} {dict(by_status)} dropped={handler.dropped} "
          f"received={len(server.received)} drains={drains} "
          f"attempts={sorted(r.attempts for r in rows)}")
    assert by_status == {"sent": 4, "failed": 2}
    assert handler.dropped == 1
    for r in rows:
        if r.recipient == GONE:
            assert r.status == "failed" and "550 5.1.1" in (r.last_error or "")
    ids = Counter(str(m.message["Message-ID"]) for m in server.received)
    assert len(server.received) == 4 and set(ids.values()) == {1}
    assert set(ids) == {r.message_id for r in rows if r.status == "sent"}
    assert sorted(rcpt for m in server.received for rcpt in m.rcpt_tos) == sorted(GOOD * 2)
