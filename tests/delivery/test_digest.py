"""The daily digest: once a day at the hour in its time zone, with its sections, caught up."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine, select

from alerts.delivery.digest import ensure_digest, send_digest_if_due
from alerts.delivery.digest_data import digest_window, latest_due_day
from alerts.delivery.outbox import insert_delivery, send_due
from store.db import make_engine, session_scope
from store.models import Delivery
from tests.delivery import digest_story as ds
from tests.delivery import factories as f


def test_the_digest_arrives_once_with_its_sections(engine: Engine, db_url: str, smtp,
                                                   make_config) -> None:
    config = make_config(smtp.port)
    with session_scope(engine) as session:
        ds.busy_day(session)
    assert send_digest_if_due(engine, config, ds.NOW) is True
    assert send_digest_if_due(engine, config, ds.NOW + dt.timedelta(hours=2)) is False
    restarted = make_engine(db_url)  # a restarted daemon still sends no second digest
    try:
        assert send_digest_if_due(restarted, config, ds.NOW + dt.timedelta(hours=3)) is False
        assert send_due(restarted, config, ds.NOW + dt.timedelta(hours=3)).sent == 0
    finally:
        restarted.dispose()

    assert smtp.subjects() == [
        "compoundwatch daily digest, 11 Oct 2022: 1 figure changed, 1 new raid, 3 new articles"]
    text = smtp.received[0].part("plain")
    sections = ["FIGURES THAT CHANGED", "NEW RAIDS", "NEW COVERAGE", "CORROBORATIONS",
                "TRACKED FIGURES OVER TIME", "SOURCE HEALTH"]
    assert [text.index(s) for s in sections] == sorted(text.index(s) for s in sections)
    assert "  - complaints: 368 → more than 500 (seed: 368)" in text
    assert "  - Siem Reap, 28 Sep 2022: two buildings (arrested 24, rescued not reported)" in text
    assert "  daily\n  - Police raid two buildings in Siem Reap (10 Oct 2022)\n" \
           "    Officers entered two buildings on Wednesday.\n" in text.replace("\r\n", "\n")
    assert "The ministry's count of complaints has risen sharply since August." in text
    assert "Rice harvest" not in text and "older story" not in text
    assert "  - rescued: 361 again — Rescue tally unchanged at 361 (daily, 10 Oct 2022)" in text
    assert "  - complaints: 30 Sep 2022: 368; 10 Oct 2022: 500" in text
    assert "  - wire: failing — 3 failed runs in a row; last error: HTTP 503" in text
    assert "  - portal: unchanged — no new article since 1 Oct 2022" in text
    html = smtp.received[0].part("html")
    # Charts as inline PNGs (Gmail and Outlook strip SVG): complaints and rescued;
    # the TIP tier is text. Each <img src="cid:..."> has its image/png part.
    assert "<svg" not in html
    cids = re.findall(r'src="cid:([^"]+)"', html)
    assert len(cids) == 2
    images = {str(p["Content-ID"]).strip("<>"): p.get_content()
              for p in smtp.received[0].message.walk() if p.get_content_type() == "image/png"}
    assert set(images) == set(cids)
    assert all(png.startswith(b"\x89PNG") for png in images.values())
    assert "<th>Previous</th><th>New</th>" in html


def test_a_day_with_nothing_new_says_so_in_one_line(sqlite_engine: Engine, smtp,
                                                    make_config) -> None:
    config = make_config(smtp.port)
    with session_scope(sqlite_engine) as session:
        f.story(session)
    assert send_digest_if_due(sqlite_engine, config, ds.NOW) is True
    assert smtp.subjects() == ["compoundwatch daily digest, 11 Oct 2022: nothing new"]
    text = smtp.received[0].part("plain").strip()
    assert text == ("Nothing new since 10 Oct 2022: no figure changed, no new raid, "
                    "no new coverage.")


def test_with_send_empty_off_an_empty_day_sends_nothing(sqlite_engine: Engine, smtp,
                                                        make_config) -> None:
    config = make_config(smtp.port, digest={"send_empty": False})
    with session_scope(sqlite_engine) as session:
        f.story(session)
    assert send_digest_if_due(sqlite_engine, config, ds.NOW) is False
    assert smtp.received == []


def test_the_digest_is_due_at_its_hour_in_its_time_zone(make_config) -> None:
    config = make_config(25)  # 07:00 Asia/Phnom_Penh (UTC+7) is 00:00 UTC
    assert latest_due_day(config, dt.datetime(2022, 10, 10, 23, 59, tzinfo=f.UTC)) == \
        dt.date(2022, 10, 10)
    assert latest_due_day(config, dt.datetime(2022, 10, 11, 0, 0, tzinfo=f.UTC)) == \
        dt.date(2022, 10, 11)
    paris = make_config(25, digest={"timezone": "Europe/Paris", "at": "07:30"})
    # 07:30 in Paris on 30 Oct 2022 (after the DST change) is 06:30 UTC.
    assert latest_due_day(paris, dt.datetime(2022, 10, 30, 6, 29, tzinfo=f.UTC)) == \
        dt.date(2022, 10, 29)
    assert latest_due_day(paris, dt.datetime(2022, 10, 30, 6, 30, tzinfo=f.UTC)) == \
        dt.date(2022, 10, 30)


def test_a_digest_missed_during_downtime_is_sent_once_covering_the_missed_days(
        engine: Engine, smtp, make_config) -> None:
    config = make_config(smtp.port)
    with session_scope(engine) as session:
        st = f.story(session)
        # The last digest went out on 8 Oct; the daemon was down on the 9th and 10th.
        insert_delivery(session, dedup_key="digest:2022-10-08:email:desk@example.org",
                        kind="digest", digest_date=dt.date(2022, 10, 8),
                        recipient="desk@example.org", status="sent")
        f.article(session, st.sources["wire"], "missed", "Coverage from the missed day",
                  dt.datetime(2022, 10, 9, 9, 0, tzinfo=f.ICT), ds.at(9, 3))
    assert send_digest_if_due(engine, config, ds.NOW) is True
    assert send_digest_if_due(engine, config, ds.NOW + dt.timedelta(minutes=1)) is False
    assert len(smtp.received) == 1
    assert "Coverage from the missed day" in smtp.received[0].part("plain")
    with session_scope(engine) as session:
        start, end = digest_window(session, config, ds.DAY)
        assert (start, end) == (ds.at(8, 0), ds.at(11, 0))
        days = sorted(d.digest_date for d in session.scalars(select(Delivery)))
        assert days == [dt.date(2022, 10, 8), dt.date(2022, 10, 11)]
        assert ensure_digest(session, config, ds.DAY) == 0
