"""Every channel that shows an alert shows, per cited article, its archived
copy: the fetch time (UTC), the body's SHA-256 and the copy's id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alerts.alert_rows import alert_rows
from alerts.delivery.channels.atom import alerts_atom
from alerts.delivery.digest_data import gather_digest
from alerts.delivery.digest_render import render_digest
from alerts.delivery.outbox import enqueue_alerts, send_due
from store.archive import CapturePointer, WarcArchive
from store.captures import record_pointer
from store.db import session_scope
from store.models import ArticleRevision
from tests.delivery import factories as f
from tests.evidence.helpers import FETCHED, capture

QUOTE = "the ministry said it had now received more than 500 complaints from victims"
LINE = "Archived copy: fetched 2026-12-01 07:03 UTC, sha256 "


def _archived_alert(session: Session, directory: Path) -> tuple[int, CapturePointer]:
    st = f.story(session)
    art = f.article(session, st.sources["wire"], "complaints-pass-500", "Complaints pass 500",
                    dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT), fetched_at=FETCHED,
                    text=f"At the briefing {QUOTE} since the August deadline.")
    revision = ArticleRevision(article_id=art.id, revision=1, title=art.title, text=art.text,
                               content_hash="x", fetched_at=FETCHED)
    session.add(revision)
    session.flush()
    archive = WarcArchive(directory, 10_000_000)
    pointer = archive.write(capture(0), {"article_id": art.id})
    archive.close()
    record_pointer(session, art.id, revision.id, pointer)
    alert = f.figure_change(session, st, art, "complaints", 368, 500, QUOTE, qualifier=">",
                            created_at=FETCHED + dt.timedelta(hours=1))
    return alert.id, pointer


def test_the_alert_email_says_when_the_copy_was_fetched_and_its_sha256(
        engine: Engine, smtp, make_config, tmp_path: Path) -> None:
    config = make_config(smtp.port)
    with session_scope(engine) as session:
        _, pointer = _archived_alert(session, tmp_path / "archive")
        enqueue_alerts(session, config)
    assert send_due(engine, config).sent == 1
    got = smtp.received[0]
    assert LINE + pointer.sha256 in got.part("html")
    assert LINE + pointer.sha256 in got.part("plain")
    assert pointer.record_id in got.part("html")


def test_alerts_json_atom_and_digest_carry_the_archived_copy(
        engine: Engine, make_config, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        alert_id, pointer = _archived_alert(session, tmp_path / "archive")
        (row,) = alert_rows(session)
        atom = alerts_atom(session).decode()
        digest = render_digest(gather_digest(session, make_config(25), dt.date(2026, 12, 2)))
    assert row["id"] == alert_id
    assert row["evidence"] == [{
        "url": row["urls"][0], "fetched_at": "2026-12-01T07:03:12.345678Z",
        "sha256": pointer.sha256, "archive_id": pointer.record_id, "revision": 1}]
    assert LINE + pointer.sha256 in atom
    assert LINE + pointer.sha256 in digest.html
    assert LINE + pointer.sha256 in digest.text


def test_an_article_stored_before_the_archive_existed_has_no_copy_line(
        engine: Engine, make_config) -> None:
    with session_scope(engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "older", "Older",
                        dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT))
        f.figure_change(session, st, art, "complaints", 368, 500, QUOTE)
        (row,) = alert_rows(session)
        atom = alerts_atom(session).decode()
    assert row["evidence"] == [{"url": art.url, "fetched_at": None, "sha256": None,
                                "archive_id": None}]
    assert "Archived copy" not in atom
