"""The SMTP transport: STARTTLS, implicit TLS, login with the password from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from alerts.delivery.outbox import enqueue_alerts, send_due
from store.db import session_scope
from store.models import Delivery
from tests.delivery import factories as f
from tests.delivery.certs import make_cert, server_context
from tests.delivery.smtpd import SmtpServer

PASSWORD_ENV = "CW_TEST_SMTP_PASSWORD"


def _one_alert(engine: Engine, config) -> None:
    with session_scope(engine) as session:
        st = f.story(session)
        art = f.article(session, st.sources["wire"], "rescued-400", "Rescues reach 400",
                        f.dt.datetime(2022, 10, 12, tzinfo=f.ICT))
        f.figure_change(session, st, art, "rescued", 361, 400, "400 people freed")
        enqueue_alerts(session, config)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_mail_goes_over_verified_tls_with_a_login_whose_password_comes_from_the_environment(
        sqlite_engine: Engine, make_config, tmp_path: Path, monkeypatch, mode: str) -> None:
    cert, key = make_cert(tmp_path)
    ctx = server_context(cert, key)
    server = SmtpServer(login=("watcher", "pw-from-env"),
                        **({"starttls": ctx} if mode == "starttls" else {"implicit_tls": ctx}))
    server.start()
    try:
        monkeypatch.setenv(PASSWORD_ENV, "pw-from-env")
        config = make_config(server.port, email={
            mode: True, "ca_file": str(cert), "username": "watcher",
            "password_env": PASSWORD_ENV})
        _one_alert(sqlite_engine, config)
        assert send_due(sqlite_engine, config).sent == 1
    finally:
        server.stop()
    assert server.logins == [("watcher", True)]
    assert server.subjects() == ["Figure changed: rescued 361 → 400"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_login_is_recorded_and_retried_rather_than_dropping_the_message(
        sqlite_engine: Engine, make_config, monkeypatch) -> None:
    server = SmtpServer(login=("watcher", "right")).start()
    try:
        monkeypatch.setenv(PASSWORD_ENV, "wrong")
        config = make_config(server.port, email={"username": "watcher",
                                                 "password_env": PASSWORD_ENV})
        _one_alert(sqlite_engine, config)
        summary = send_due(sqlite_engine, config)
        assert (summary.sent, summary.retrying) == (0, 1)
        with session_scope(sqlite_engine) as session:
            d = session.scalars(select(Delivery)).one()
            assert d.status == "pending" and "login refused: 535" in (d.last_error or "")
        monkeypatch.setenv(PASSWORD_ENV, "right")
        later = d.next_attempt_at
        assert send_due(sqlite_engine, config, later).sent == 1
    finally:
        server.stop()
    assert len(server.received) == 1


def test_an_unverifiable_certificate_is_refused_and_nothing_is_sent(
        sqlite_engine: Engine, make_config, tmp_path: Path) -> None:
    cert, key = make_cert(tmp_path)
    server = SmtpServer(starttls=server_context(cert, key)).start()
    try:
        config = make_config(server.port, email={"starttls": True})  # system CAs only
        _one_alert(sqlite_engine, config)
        summary = send_due(sqlite_engine, config)
    finally:
        server.stop()
    assert summary.retrying == 1 and "CERTIFICATE_VERIFY_FAILED" in summary.errors[0]
    assert server.received == []
