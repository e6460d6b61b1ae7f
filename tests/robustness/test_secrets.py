"""Secrets stay secret: the SMTP password (read from the environment) and an
Apprise URL's token never appear in logs, `status`, error messages stored
for deliveries, CLI output or the digest — while the failures that would
tempt code to print them (a refused login, an unreachable hook) happen."""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from alerts.delivery.outbox import enqueue_alerts
from store.config import load_config
from store.db import make_engine, session_scope
from store.models import Delivery
from tests.daemon.helpers import DaemonProcess, cli, cli_process, write_config
from tests.delivery import factories as f
from tests.delivery.smtpd import SmtpServer, free_port

pytestmark = pytest.mark.subprocess

PASSWORD = "pw-Zq8!secret-7731"
TOKEN = "tok9f3e1c7d2b8a4secret"
PASSWORD_ENV = "CW_ROBUSTNESS_SMTP_PASSWORD"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    # The server expects another password: every login is refused, with an error.
    server = SmtpServer(login=("watch", "the-right-one")).start()
    yield server
    server.stop()


@pytest.mark.slow
def test_the_smtp_password_and_apprise_token_never_leak_anywhere(
        tmp_path: Path, sqlite_url: str, smtp: SmtpServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    hook = f"json://bot:{TOKEN}@127.0.0.1:{free_port()}/hook"  # nothing listens there
    config = write_config(tmp_path / "config.toml", sqlite_url, (
        f'[email]\nhost = "127.0.0.1"\nport = {smtp.port}\nusername = "watch"\n'
        f'password_env = "{PASSWORD_ENV}"\nsender = "watch@example.org"\n'
        'recipients = ["desk@example.org"]\ntimeout_seconds = 5.0\nbackoff_seconds = 1.0\n'
        f'[alerts]\napprise_urls = ["{hook}"]\n'))
    assert cli(config, "init").returncode == 0
    cfg = load_config(str(config))
    engine = make_engine(cfg.database_url)
    with session_scope(engine) as session:
        st = f.story(session)
        for source in st.sources.values():
            source.paused = True  # made-up hosts: the daemon must not look them up
        art = f.article(session, st.sources["wire"], "complaints-500", "Complaints pass 500",
                        dt.datetime(2022, 10, 10, 9, 0, tzinfo=f.ICT))
        f.figure_change(session, st, art, "complaints", 368, 500, "more than 500 complaints",
                        ">")
        assert enqueue_alerts(session, cfg) == 2  # one email, one apprise

    texts: dict[str, str] = {}
    daemon = DaemonProcess(config, tmp_path / "daemon.log")
    try:
        daemon.wait_for("event=daemon.started", timeout=60)
        daemon.wait_for("event=outbox.done", timeout=60, count=2)  # tried, failed, retried
    finally:
        daemon.stop(signal.SIGTERM)
    texts["daemon log"] = daemon.log()
    for args in (("status", "--json"), ("status",), ("alerts", "--json"),
                 ("digest", "--print"), ("digest", "--send"),
                 ("digest", "--out", str(tmp_path / "digest.html")), ("crawl", "--json")):
        done = cli_process(config, *args, timeout=120)
        texts[" ".join(args)] = done.stdout + done.stderr
    texts["digest file"] = (tmp_path / "digest.html").read_text()
    with session_scope(engine) as session:
        rows = session.scalars(select(Delivery)).all()
        texts["deliveries"] = " ".join(
            f"{d.dedup_key} {d.recipient} {d.last_error} {d.status}" for d in rows)
    engine.dispose()

    # The failures really happened (so the secret-bearing paths ran):
    assert smtp.logins and not any(ok for _, ok in smtp.logins)
    assert "535" in texts["deliveries"] or "login" in texts["deliveries"].lower()
    assert "apprise" in texts["deliveries"]
    leaks = {name for name, text in texts.items() if PASSWORD in text or TOKEN in text}
    print(f"FIGURES secrets: {len(texts)} outputs checked ({sum(map(len, texts.values()))} "
          f"chars), {len(smtp.logins)} refused logins, leaks={sorted(leaks)}")
    assert not leaks
