"""A mark on an alert: stored, shown in alerts --json and the digest, never emailed again."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from alerts.alert_rows import alert_rows
from alerts.delivery.digest import digest_message
from alerts.delivery.outbox import enqueue_alerts, send_due
from alerts.feedback import FeedbackError, record_feedback
from store.config import config_from_dict
from store.db import session_scope
from store.models import Alert, AlertFeedback, Delivery
from tests.delivery import factories as f
from tests.web.conftest import csrf_of
from tests.web.story import WebStory


def test_a_mark_from_the_page_is_stored_and_shown(client: TestClient, story: WebStory,
                                                  story_engine: tuple[Engine, WebStory]) -> None:
    token = csrf_of(client)
    page = client.post(f"/alerts/{story.raid.id}/feedback",
                       data={"verdict": "not_story", "reason": "a drug raid, not a compound",
                             "csrf": token, "back": "/alerts?kind=new_raid"}).text
    assert "marked" in page and "not the story: a drug raid, not a compound" in page
    engine, _ = story_engine
    with session_scope(engine) as session:
        (row,) = [r for r in alert_rows(session) if r["id"] == story.raid.id]
        assert row["dismissed"]["verdict"] == "not_story"
        assert row["dismissed"]["reason"] == "a drug raid, not a compound"
        assert all(r["dismissed"] is None for r in alert_rows(session) if r["id"] != story.raid.id)
        assert session.get(Alert, story.raid.id) is not None  # nothing is deleted


@pytest.mark.parametrize(("verdict", "reason", "message"), [
    ("maybe", "r", "Choose"), ("wrong", "   ", "few words"), ("wrong", "x" * 501, "under 500"),
])
def test_a_bad_mark_is_refused_with_a_reason(sqlite_engine: Engine, verdict: str, reason: str,
                                             message: str) -> None:
    with session_scope(sqlite_engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "a", "A", dt.datetime(2022, 10, 2,
                                                                          tzinfo=dt.timezone.utc))
        alert = f.figure_change(session, st, art, "complaints", 368, 500, "500 complaints")
        with pytest.raises(FeedbackError, match=message):
            record_feedback(session, alert.id, verdict, reason)
        with pytest.raises(FeedbackError, match="no alert"):
            record_feedback(session, 99999, "wrong", "r")


def test_a_dismissed_alert_is_not_emailed_and_the_digest_says_so(sqlite_engine: Engine, smtp,
                                                                 make_config) -> None:
    config = make_config(smtp.port)
    when = dt.datetime(2022, 10, 2, 3, 0, tzinfo=dt.timezone.utc)
    with session_scope(sqlite_engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "a", "Complaints rise", when)
        kept = f.figure_change(session, st, art, "complaints", 368, 500, "500 complaints")
        gone = f.figure_change(session, st, art, "rescued", 361, 900, "900 freed")
        queued_then_dismissed = f.new_raid(session, [art], created_at=when)
        record_feedback(session, gone.id, "wrong", "the 900 counts another year")
        enqueue_alerts(session, config, now=when)
        assert not session.scalars(select(Delivery).where(Delivery.alert_id == gone.id)).all()
        record_feedback(session, queued_then_dismissed.id, "not_story", "not a compound")
        statuses = {d.alert_id: d.status for d in session.scalars(select(Delivery))}
        assert statuses == {kept.id: "pending", queued_then_dismissed.id: "dismissed"}
    summary = send_due(sqlite_engine, config, now=when)
    assert summary.sent == 1 and len(smtp.received) == 1
    assert "500" in smtp.received[0].message["Subject"]
    with session_scope(sqlite_engine) as session:
        message = digest_message(session, config, dt.date(2022, 10, 3))
        assert session.scalar(select(AlertFeedback.reason).where(
            AlertFeedback.alert_id == gone.id)) == "the 900 counts another year"
    assert "dismissed by the desk (wrong): the 900 counts another year" in message.text
    assert "Dismissed by the desk (wrong): the 900 counts another year" in message.html


def test_the_outbox_skips_a_delivery_whose_alert_was_dismissed_after_queueing(
        sqlite_engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port)
    when = dt.datetime(2022, 10, 2, 3, 0, tzinfo=dt.timezone.utc)
    with session_scope(sqlite_engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "a", "A", when)
        alert = f.figure_change(session, st, art, "complaints", 368, 500, "500 complaints")
        enqueue_alerts(session, config, now=when)
        # Marked by another process while the row is already claimed ("sending").
        session.add(AlertFeedback(alert_id=alert.id, verdict="wrong", reason="r",
                                  created_at=when))
    summary = send_due(sqlite_engine, config, now=when)
    assert (summary.sent, summary.dismissed, len(smtp.received)) == (0, 1, 0)


def test_alerts_json_carries_the_mark(tmp_path, sqlite_url: str) -> None:
    from crawler.cli import main
    from store.db import make_engine, upgrade

    (tmp_path / "config.toml").write_text(f'[store]\nurl = "{sqlite_url}"\n')
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with session_scope(engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "a", "A",
                        dt.datetime(2022, 10, 2, tzinfo=dt.timezone.utc))
        alert = f.figure_change(session, st, art, "complaints", 368, 500, "500 complaints")
        record_feedback(session, alert.id, "wrong", "misread")
    engine.dispose()
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "config.toml"), "alerts",
                                       "--json"])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert row["dismissed"] == {"verdict": "wrong", "label": "wrong", "reason": "misread",
                                "at": row["dismissed"]["at"]}
    assert config_from_dict({}).web.host == "127.0.0.1"
