"""Scraped text cannot inject headers or markup into a message."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from alerts.delivery.outbox import enqueue_alerts, send_due
from alerts.delivery.sanitize import header_text, one_line
from store.db import session_scope
from tests.delivery import factories as f

SCRIPT = "<script>alert('x')</script>"
HOSTILE = SCRIPT + "\r\nBcc: victim@example.net\r\nX-Evil: 1\u202egnp.exe " + "A" * 5000


def test_a_hostile_title_arrives_escaped_with_headers_intact(sqlite_engine: Engine, smtp,
                                                             make_config) -> None:
    config = make_config(smtp.port)
    with session_scope(sqlite_engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "hostile", HOSTILE,
                        dt.datetime(2022, 10, 1, tzinfo=f.ICT))
        f.new_raid(session, [art], location=HOSTILE, place=HOSTILE, site=HOSTILE, quote=HOSTILE,
                   key="hostile-raid")
        enqueue_alerts(session, config)
    assert send_due(sqlite_engine, config).sent == 1

    got = smtp.received[0]
    assert got.rcpt_tos == ["desk@example.org"]
    msg = got.message
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert set(msg.keys()) == {"Subject", "From", "To", "Date", "Message-ID",
                               "X-Compoundwatch-Kind", "Auto-Submitted", "Content-Type",
                               "MIME-Version"}
    subject = str(msg["Subject"])
    assert subject.startswith("New raid: <script>alert('x')</script> Bcc: victim@example.net")
    assert "\r" not in subject and "\n" not in subject and "\u202e" not in subject
    assert len(subject) <= 160 and subject.endswith("…")
    html = got.part("html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "A" * 5000 not in html  # length-limited
    text = got.part("plain")
    assert "\u202e" not in text and "Bcc: victim@example.net X-Evil: 1" in text


def test_sanitising_removes_control_and_bidi_characters_and_limits_length() -> None:
    assert one_line("a\r\nb\tc\x00d\u202ee\u2066f") == "a b c def"  # bidi controls vanish
    assert header_text("x" * 500) == "x" * 159 + "…"
    assert one_line(None) == ""


def test_the_digest_escapes_scraped_titles_and_links_only_http_urls() -> None:
    import datetime as dt

    from alerts.delivery.digest_render import render_digest
    from alerts.delivery.message_data import CoverageItem, DigestData

    day = dt.date(2022, 10, 11)
    start = dt.datetime(2022, 10, 10, tzinfo=dt.timezone.utc)
    data = DigestData(day=day, window_start=start, window_end=start + dt.timedelta(days=1),
                      coverage={"wire<img src=x onerror=alert(1)>": (
                          CoverageItem(title=HOSTILE, url="javascript:alert(1)",
                                       summary=SCRIPT),
                          CoverageItem(title="Fine", url="https://example.org/a?b=1&c=2",
                                       summary="ok"))})
    html = render_digest(data).html
    assert "<script>" not in html and "<img" not in html
    assert 'href="javascript:' not in html
    assert '<a href="https://example.org/a?b=1&amp;c=2">Fine</a>' in html
