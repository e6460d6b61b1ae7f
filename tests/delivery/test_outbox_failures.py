"""The outbox never loses a message and never sends one twice when the server misbehaves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select, update

from alerts.delivery.digest import send_digest_if_due
from alerts.delivery.outbox import enqueue_alerts, pending_summary, retry_failed, send_due
from store.db import session_scope
from store.models import Delivery
from tests.delivery import factories as f
from tests.delivery.smtpd import SmtpServer, free_port

PUBLISHED = dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT)
# 08:00 in Phnom Penh on 11 Oct 2022: the digest of that day is due.
AFTER_DIGEST_HOUR = dt.datetime(2022, 10, 11, 1, 0, tzinfo=f.UTC)


def _alerts(session, fetched: dt.datetime | None = None) -> None:
    st = f.story(session)
    art = f.article(session, st.sources["wire"], "complaints-500", "Complaints pass 500",
                    PUBLISHED, fetched_at=fetched)
    f.figure_change(session, st, art, "complaints", 368, 500, "more than 500 complaints", ">")
    f.new_raid(session, [art])


def _statuses(engine: Engine) -> list[tuple[str, str, int]]:
    with session_scope(engine) as session:
        return [(d.kind, d.status, d.attempts) for d in
                session.scalars(select(Delivery).order_by(Delivery.id))]


def test_with_the_server_down_alerts_and_the_digest_wait_and_arrive_once_when_it_returns(
        engine: Engine, make_config) -> None:
    server = SmtpServer(free_port())  # not started: connections are refused
    config = make_config(server.port)
    now = AFTER_DIGEST_HOUR
    with session_scope(engine) as session:
        _alerts(session, fetched=dt.datetime(2022, 10, 10, 3, 0, tzinfo=f.UTC))
        assert enqueue_alerts(session, config, now=now) == 2
    assert send_digest_if_due(engine, config, now) is True
    summary = send_due(engine, config, now)
    assert summary.sent == 0
    assert [s for _, s, _ in _statuses(engine)] == ["pending"] * 3
    with session_scope(engine) as session:
        d = session.scalars(select(Delivery)).first()
        assert d is not None and "cannot connect" in (d.last_error or "")
        assert d.next_attempt_at == now + dt.timedelta(seconds=60)

    server.start()
    try:
        # Not yet due: the backoff is respected.
        assert send_due(engine, config, now + dt.timedelta(seconds=30)).sent == 0
        later = now + dt.timedelta(minutes=5)
        assert send_due(engine, config, later).sent == 3
        assert send_due(engine, config, later + dt.timedelta(hours=1)).sent == 0
        assert send_digest_if_due(engine, config, later) is False  # one digest per day
    finally:
        server.stop()
    subjects = sorted(server.subjects())
    assert subjects[0].startswith("Figure changed: complaints 368 → more than 500")
    assert subjects[1].startswith("New raid: Siem Reap, 28 Sep 2022")
    assert subjects[2].startswith("compoundwatch daily digest, 11 Oct 2022: 1 figure changed")
    assert len(server.received) == 3
    assert [s for _, s, _ in _statuses(engine)] == ["sent"] * 3


def test_a_server_answering_4xx_then_2xx_delivers_after_backing_off(
        sqlite_engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port)
    smtp.handler.temp_fail_next = 2
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=f.UTC)
    with session_scope(sqlite_engine) as session:
        _alerts(session)
        enqueue_alerts(session, config, [1], now=now)
    assert send_due(sqlite_engine, config, now).retrying == 1
    with session_scope(sqlite_engine) as session:
        d = session.scalars(select(Delivery)).one()
        assert d.last_error == "temporary: server refused: 451 4.3.0 Try again later"
        first_retry = d.next_attempt_at
    assert first_retry == now + dt.timedelta(seconds=60)
    assert send_due(sqlite_engine, config, first_retry).retrying == 1
    with session_scope(sqlite_engine) as session:
        second_retry = session.scalars(select(Delivery)).one().next_attempt_at
    assert second_retry == first_retry + dt.timedelta(seconds=120)  # doubled
    assert send_due(sqlite_engine, config, second_retry).sent == 1
    assert len(smtp.received) == 1
    assert _statuses(sqlite_engine) == [("alert", "sent", 3)]


def test_a_rejected_recipient_is_recorded_as_failed_while_others_receive_the_alert(
        sqlite_engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port, email={"recipients": ["gone@example.org", "desk@example.org"]})
    smtp.handler.reject["gone@example.org"] = "550 5.1.1 No such user here"
    with session_scope(sqlite_engine) as session:
        _alerts(session)
        enqueue_alerts(session, config, [1])
    summary = send_due(sqlite_engine, config)
    assert (summary.sent, summary.failed) == (1, 1)
    assert [r.rcpt_tos for r in smtp.received] == [["desk@example.org"]]
    with session_scope(sqlite_engine) as session:
        report = pending_summary(session)
    assert (report.failed, report.sent, report.pending) == (1, 1, 0)
    failure = report.failures[0]
    assert failure.recipient == "gone@example.org"
    assert "recipient gone@example.org rejected: 550 5.1.1 No such user here" in (
        failure.last_error or "")
    assert "permanent" in (failure.last_error or "")


def test_a_recipient_refused_with_4xx_is_retried_not_failed(sqlite_engine: Engine, smtp,
                                                            make_config) -> None:
    config = make_config(smtp.port)
    smtp.handler.reject["desk@example.org"] = "450 4.2.1 Mailbox busy"
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=f.UTC)
    with session_scope(sqlite_engine) as session:
        _alerts(session)
        enqueue_alerts(session, config, [1], now=now)
    assert send_due(sqlite_engine, config, now).retrying == 1
    del smtp.handler.reject["desk@example.org"]
    assert send_due(sqlite_engine, config, now + dt.timedelta(minutes=2)).sent == 1
    assert len(smtp.received) == 1


def test_attempts_are_capped_and_a_failed_delivery_can_be_retried_later(
        sqlite_engine: Engine, make_config) -> None:
    port = free_port()
    config = make_config(port, email={"max_attempts": 3, "backoff_seconds": 10.0})
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=f.UTC)
    with session_scope(sqlite_engine) as session:
        _alerts(session)
        enqueue_alerts(session, config, [1], now=now)
    for _ in range(3):
        send_due(sqlite_engine, config, now)
        now += dt.timedelta(hours=1)
    assert _statuses(sqlite_engine) == [("alert", "failed", 3)]
    assert send_due(sqlite_engine, config, now).did_work is False

    server = SmtpServer(port).start()
    try:
        with session_scope(sqlite_engine) as session:
            assert retry_failed(session, now) == 1
        assert send_due(sqlite_engine, config, now).sent == 1
    finally:
        server.stop()
    assert len(server.received) == 1


def test_a_delivery_left_sending_by_a_crashed_sender_is_sent_again_with_the_same_message_id(
        engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port, email={"claim_timeout_seconds": 300.0})
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=f.UTC)
    with session_scope(engine) as session:
        _alerts(session)
        enqueue_alerts(session, config, [1], now=now)
    send_due(engine, config, now)
    first_id = str(smtp.received[0].message["Message-ID"])
    # Simulate a sender that claimed the delivery, handed it to the server and
    # crashed before marking it sent.
    with session_scope(engine) as session:
        session.execute(update(Delivery).values(status="sending", claimed_by="crashed:1",
                                                claimed_at=now, sent_at=None))
    assert send_due(engine, config, now + dt.timedelta(seconds=60)).sent == 0  # still fresh
    assert send_due(engine, config, now + dt.timedelta(seconds=301)).sent == 1
    assert [str(r.message["Message-ID"]) for r in smtp.received] == [first_id, first_id]


def test_a_message_that_cannot_be_rendered_does_not_block_the_others(
        sqlite_engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port, email={"max_attempts": 1})
    with session_scope(sqlite_engine) as session:
        _alerts(session)
        enqueue_alerts(session, config)
        broken = session.scalars(select(Delivery).order_by(Delivery.id)).first()
        assert broken is not None and broken.alert is not None
        broken.alert.payload = {"previous_value": object.__name__, "urls": 7}  # malformed
    summary = send_due(sqlite_engine, config)
    assert (summary.sent, summary.failed) == (1, 1)
    assert "internal error" in summary.errors[0]
    assert smtp.subjects() == ["New raid: Siem Reap, 28 Sep 2022"]


def test_a_server_too_slow_to_answer_is_retried_and_any_resend_keeps_the_message_id(
        sqlite_engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port, email={"timeout_seconds": 0.3})
    smtp.handler.delay = 0.8  # answers DATA after our time limit
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=f.UTC)
    with session_scope(sqlite_engine) as session:
        _alerts(session)
        enqueue_alerts(session, config, [1], now=now)
    first = send_due(sqlite_engine, config, now)
    assert first.retrying == 1 and "timed out" in first.errors[0]
    smtp.handler.delay = 0.0
    assert send_due(sqlite_engine, config, now + dt.timedelta(minutes=2)).sent == 1
    # The slow server may still have accepted the first copy (at-least-once):
    # every copy carries the same Message-ID, so clients show it once.
    assert 1 <= len(smtp.received) <= 2
    assert len({str(r.message["Message-ID"]) for r in smtp.received}) == 1
