"""An alert becomes exactly one email, with what changed in the subject and the evidence in the body."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from alerts.delivery.outbox import enqueue_alerts, send_due
from store.db import session_scope
from store.models import Delivery
from tests.delivery import factories as f

PUBLISHED = dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT)
QUOTE = "the ministry said it had now received more than 500 complaints from victims"


def _complaints_alert(session) -> int:
    st = f.story(session)
    art = f.article(session, st.sources["wire"], "complaints-pass-500",
                    "Complaints of forced scam work pass 500, ministry says", PUBLISHED,
                    text=f"Reporters gathered on Monday. At the briefing {QUOTE} since the "
                         "August deadline. A hotline opens next week.")
    return f.figure_change(session, st, art, "complaints", 368, 500, QUOTE, qualifier=">").id


def test_a_figure_change_alert_arrives_as_one_email_with_claim_values_sources_and_seed(
        engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port)
    with session_scope(engine) as session:
        _complaints_alert(session)
        assert enqueue_alerts(session, config) == 1
    summary = send_due(engine, config)
    assert (summary.sent, summary.failed) == (1, 0)

    assert len(smtp.received) == 1
    got = smtp.received[0]
    msg = got.message
    assert msg["Subject"] == "Figure changed: complaints 368 → more than 500"  # qualifier kept
    assert got.rcpt_tos == ["desk@example.org"]
    assert msg["Message-ID"].startswith("<cw.") and msg["Message-ID"].endswith("@example.org>")
    text = got.part("plain")
    assert f.COMPLAINTS_MEASURE in text
    assert "Previous value: 368 — Cambodia At Risk" in text  # the seed was the previous source
    assert "New value:      more than 500 — published 10 Oct 2022" in text
    assert QUOTE in text
    # The sentences around the quote's, not the quote again.
    assert (f"In context:\r\n  Reporters gathered on Monday. At the briefing {QUOTE} since the "
            "August deadline. A hotline opens next week.\r\n") in text
    assert "Complaints of forced scam work pass 500, ministry says (wire, 10 Oct 2022)" in text
    assert "http://wire.test/2022/complaints-pass-500/" in text
    assert "Officials said 368 complaints" in text  # the seed's own statement
    html = got.part("html")
    assert '<a href="http://wire.test/2022/complaints-pass-500/">' in html
    assert "<strong>more than 500</strong>" in html
    assert f"At the briefing <strong>{QUOTE}</strong> since the August deadline." in html


def test_sending_and_enqueuing_again_sends_nothing_more(engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port)
    with session_scope(engine) as session:
        _complaints_alert(session)
        enqueue_alerts(session, config)
    send_due(engine, config)
    with session_scope(engine) as session:
        assert enqueue_alerts(session, config) == 0
    assert send_due(engine, config).sent == 0
    assert len(smtp.received) == 1
    with session_scope(engine) as session:
        d = session.scalars(select(Delivery)).one()
        assert (d.status, d.attempts) == ("sent", 1)
        assert d.message_id == str(smtp.received[0].message["Message-ID"])


def test_a_new_raid_alert_names_the_province_and_day_in_its_subject(
        sqlite_engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port)
    with session_scope(sqlite_engine) as session:
        st = f.story(session)
        a1 = f.article(session, st.sources["wire"], "siem-reap-raid", "Police raid two buildings "
                       "in Siem Reap", dt.datetime(2022, 9, 29, 8, 0, tzinfo=f.ICT))
        a2 = f.article(session, st.sources["daily"], "siem-reap-24-held", "24 held in Siem Reap "
                       "scam raid", dt.datetime(2022, 9, 29, 15, 0, tzinfo=f.ICT))
        f.new_raid(session, [a1, a2])
        enqueue_alerts(session, config)
    send_due(sqlite_engine, config)
    assert smtp.subjects() == ["New raid: Siem Reap, 28 Sep 2022"]
    text = smtp.received[0].part("plain")
    for line in ("Where:    Siem Reap city, Siem Reap", "When:     28 Sep 2022",
                 "Site:     two buildings", "Arrested: 24", "Rescued:  not reported",
                 "police searched two buildings", "http://wire.test/2022/siem-reap-raid/",
                 "http://daily.test/2022/siem-reap-24-held/"):
        assert line in text


def test_every_recipient_gets_their_own_message(sqlite_engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port, email={"recipients": ["a@example.org", "b@example.org"]})
    with session_scope(sqlite_engine) as session:
        _complaints_alert(session)
        assert enqueue_alerts(session, config) == 2
    send_due(sqlite_engine, config)
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["a@example.org", "b@example.org"]
    ids = {str(r.message["Message-ID"]) for r in smtp.received}
    assert len(ids) == 2


def test_in_digest_mode_an_alert_sends_no_email_of_its_own(sqlite_engine: Engine, smtp,
                                                            make_config) -> None:
    config = make_config(smtp.port, email={"alert_mode": "digest"})
    with session_scope(sqlite_engine) as session:
        _complaints_alert(session)
        assert enqueue_alerts(session, config) == 0
    assert send_due(sqlite_engine, config).sent == 0
    assert smtp.received == []
