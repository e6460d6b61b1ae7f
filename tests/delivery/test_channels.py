"""Alerts also go out as an Atom feed and to Apprise URLs (a loopback webhook here)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import stat
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from alerts.delivery.channels.atom import refresh_atom_file
from alerts.delivery.outbox import enqueue_alerts, send_due, transports
from store.db import session_scope
from store.models import Delivery
from tests.delivery import factories as f
from tests.servers.loopback import QuietHandler, running

ATOM = "{http://www.w3.org/2005/Atom}"
TOKEN = "s3cr3tTOKENxyz"


def _alert(session, title: str = "Complaints pass 500") -> None:
    st = f.story(session)
    art = f.article(session, st.sources["wire"], "complaints-500", title,
                    dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT))
    f.figure_change(session, st, art, "complaints", 368, 500, "more than 500 complaints", ">")


def test_alerts_are_published_as_an_atom_feed_file(sqlite_engine: Engine, make_config,
                                                   tmp_path) -> None:
    config = make_config(25, alerts={"atom_path": "feeds/alerts.atom"})
    with session_scope(sqlite_engine) as session:
        _alert(session, title="<b>Complaints</b> & more")
        enqueue_alerts(session, config)
    assert refresh_atom_file(sqlite_engine, config) == tmp_path / "feeds" / "alerts.atom"
    feed = ET.parse(tmp_path / "feeds" / "alerts.atom").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Figure changed: complaints 368 → more than 500"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href") == "http://wire.test/2022/complaints-500/"
    assert entry.find(f"{ATOM}link").get("rel") == "alternate"  # what feed readers open
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}updated"))
    # Readable by a feed reader or web server running as another user.
    assert stat.S_IMODE((tmp_path / "feeds" / "alerts.atom").stat().st_mode) == 0o644
    assert "<b>Complaints</b> & more (wire, 10 Oct 2022)" in entry.findtext(f"{ATOM}content")
    assert entry.findtext(f"{ATOM}id").startswith("urn:compoundwatch:alert:")


class _Hook(QuietHandler):
    posts: list[dict] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", 0))
        type(self).posts.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()


@pytest.fixture
def webhook() -> Iterator[type[_Hook]]:
    handler = type("Hook", (_Hook,), {"posts": [], "status": 200})
    with running(handler) as server:
        handler.port = server.server_address[1]  # type: ignore[attr-defined]
        yield handler


def test_an_apprise_url_receives_the_alert_and_its_token_is_never_stored_or_logged(
        sqlite_engine: Engine, smtp, make_config, webhook, caplog) -> None:
    url = f"json://bot:{TOKEN}@127.0.0.1:{webhook.port}/hook"
    config = make_config(smtp.port, alerts={"apprise_urls": [url]})
    caplog.set_level(logging.DEBUG)
    with session_scope(sqlite_engine) as session:
        _alert(session)
        assert enqueue_alerts(session, config) == 2  # email and apprise
    webhook.status = 500
    first = send_due(sqlite_engine, config)
    assert (first.sent, first.retrying) == (1, 1)  # the email went; the hook will be retried
    webhook.status = 200
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2)
    assert send_due(sqlite_engine, config, later).sent == 1
    assert len(smtp.received) == 1
    posted = webhook.posts[-1]
    assert posted["title"] == "Figure changed: complaints 368 → more than 500"
    assert "more than 500 complaints" in posted["message"]
    with session_scope(sqlite_engine) as session:
        rows = session.scalars(select(Delivery).order_by(Delivery.id)).all()
        assert [(d.channel, d.status) for d in rows] == [("email", "sent"), ("apprise", "sent")]
        stored = " ".join(f"{d.dedup_key} {d.recipient} {d.last_error}" for d in rows)
    assert TOKEN not in stored
    assert TOKEN not in caplog.text


def test_the_feed_is_mended_after_a_kill_between_commit_and_rewrite(
        sqlite_engine: Engine, make_config, tmp_path) -> None:
    config = make_config(25, alerts={"atom_path": "feeds/alerts.atom"})
    with session_scope(sqlite_engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "complaints-500", "Complaints pass 500",
                        dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT))
        f.figure_change(session, st, art, "complaints", 368, 500, "more than 500 complaints")
        enqueue_alerts(session, config)
    assert refresh_atom_file(sqlite_engine, config) is not None
    assert refresh_atom_file(sqlite_engine, config) is None  # up to date: left alone
    with session_scope(sqlite_engine) as session:  # committed, then the process died
        art = f.article(session, st.sources["wire"], "complaints-900", "Complaints reach 900",
                        dt.datetime(2022, 10, 12, 9, 0, tzinfo=f.ICT))
        f.figure_change(session, st, art, "complaints", 500, 900, "900 complaints")
    assert refresh_atom_file(sqlite_engine, config) is not None
    titles = [e.findtext(f"{ATOM}title") for e in
              ET.parse(tmp_path / "feeds" / "alerts.atom").getroot().findall(f"{ATOM}entry")]
    assert titles[0] == "Figure changed: complaints 500 → 900"


def test_each_channel_backs_off_by_its_own_policy(make_config) -> None:
    config = make_config(25, email={"backoff_seconds": 10, "max_backoff_seconds": 35},
                         alerts={"apprise_urls": ["json://127.0.0.1:9/x"],
                                 "apprise_backoff_seconds": 300, "apprise_max_attempts": 2})
    channels = transports(config)
    assert set(channels) == {"email", "apprise"}
    email, apprise = channels["email"].retry, channels["apprise"].retry
    assert [email.delay(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 35, 35]
    assert apprise.delay(2).total_seconds() == 600 and apprise.max_attempts == 2
    assert set(transports(make_config(25, email={"enabled": False}))) == {"apprise"}
