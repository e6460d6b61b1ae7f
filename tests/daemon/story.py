"""The whole pipeline under the daemon: newsreplay serving the dev corpus,
a real SMTP server on loopback, a seeded database, phases advanced by the test."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from store.db import make_engine, session_scope
from store.models import Alert, Article, Delivery
from tests.daemon.helpers import DaemonProcess, cli, write_config
from tests.delivery.smtpd import SmtpServer
from tests.support import SEED_JSON, Replay, replay_sources_toml

RECIPIENTS = ("desk@example.org",)
SOURCES = ("wire", "daily", "monitor", "portal", "zhdaily")


def write_seed(path: Path) -> Path:
    """The seed retold in other words (corpus/seed.json), dated, in the corpus format."""
    path.write_text(SEED_JSON.read_text())
    return path


@dataclass
class Story:
    """A configured, initialised deployment of compoundwatch for one test."""

    root: Path
    replay: Replay
    smtp: SmtpServer
    config: Path
    engine: Engine
    runs: int = 0

    @classmethod
    def create(cls, root: Path, replay: Replay, smtp: SmtpServer, db_url: str,
               every: str = "2s") -> Story:
        seed = write_seed(root / "seed.json")
        sources = replay_sources_toml(replay).replace('every = "30m"', f'every = "{every}"')
        body = (
            f'[seed]\narticles = ["{seed}"]\n'
            f'[email]\nhost = "127.0.0.1"\nport = {smtp.port}\n'
            f'sender = "watch@example.org"\nrecipients = {json.dumps(list(RECIPIENTS))}\n'
            # A delivery claimed by a killed daemon is due again after 5 s.
            "timeout_seconds = 5.0\nbackoff_seconds = 1.0\nclaim_timeout_seconds = 5.0\n"
            + sources
        )
        config = write_config(root / "config.toml", db_url, body,
                              crawl="download_delay = 0.0\nautothrottle = false\n"
                                    "crawl_timeout_seconds = 60.0\n",
                              daemon="crawl_workers = 3\n")
        done = cli(config, "init")
        assert done.returncode == 0, done.stderr
        return cls(root, replay, smtp, config, make_engine(db_url))

    def start(self) -> DaemonProcess:
        self.runs += 1
        return DaemonProcess(self.config, self.root / f"run{self.runs}.log")

    # ------------------------------------------------------------------ waiting

    def wait_for_pass(self, daemon: DaemonProcess, mark: int, timeout: float = 120) -> None:
        """Wait until every source finished a crawl that started after `mark` (log offset)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            tail = daemon.log()[mark:]
            done = True
            for source in SOURCES:
                start = tail.find(f"event=crawl.start source={source} ")
                # crawl.done and crawl.failed lines both end a pass with its seconds;
                # a light poll (daemon.discovery = "poll") ends with poll.done once
                # the entries it found are stored.
                crawled = start >= 0 and tail.find(f"source={source} phase=crawl seconds=",
                                                   start) >= 0
                if not crawled and f"event=poll.done source={source} " not in tail:
                    done = False
            if done:
                return
            if daemon.proc.poll() is not None:
                raise AssertionError(f"the daemon exited:\n{daemon.log()[-3000:]}")
            time.sleep(0.3)
        raise AssertionError(f"no full pass within {timeout} s:\n{daemon.log()[-4000:]}")

    def wait_until_quiet(self, timeout: float = 120) -> None:
        """Wait until nothing is left to analyse and the outbox is empty."""
        wait_until_quiet(self.engine, timeout)

    # ------------------------------------------------------------------ results

    def alert_emails(self) -> list[Any]:
        return [r.message for r in self.smtp.received
                if r.message["X-Compoundwatch-Kind"] == "alert"]

    def alert_count(self) -> int:
        with session_scope(self.engine) as s:
            return s.scalar(select(func.count()).select_from(Alert)) or 0

    def check_every_alert_sent_exactly_once(self, kills: int = 0) -> int:
        """Every alert reached every recipient: one delivery and one Message-ID each.

        With no kill, no email arrives twice. A kill -9 between the server's
        acceptance and the commit that marks the delivery sent is resent after
        the restart (at-least-once: no SMTP client can do better), under the
        same Message-ID so that mail clients fold the copies: at most one
        repeat per kill, and never a Message-ID that is not the delivery's."""
        with session_scope(self.engine) as s:
            sent = s.execute(select(Delivery.message_id, Delivery.status)
                             .where(Delivery.kind == "alert")).all()
        alerts = self.alert_count()
        assert len(sent) == alerts * len(RECIPIENTS)
        assert {status for _, status in sent} <= {"sent"}, sent
        ids = Counter(str(m["Message-ID"]) for m in self.alert_emails())
        repeated = {k: n for k, n in ids.items() if n > 1}
        assert sum(n - 1 for n in repeated.values()) <= kills, \
            f"alert emails sent more than once: {repeated}"
        assert set(ids) == {mid for mid, _ in sent}
        return alerts


def wait_until_quiet(engine: Engine, timeout: float = 120) -> None:
    """Nothing left to analyse, and the outbox empty (a daemon's or a cluster's)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(engine) as s:
            pending = s.scalar(select(func.count()).select_from(Article)
                               .where(Article.needs_analysis.is_(True)))
            unsent = s.scalar(select(func.count()).select_from(Delivery)
                              .where(Delivery.status.in_(("pending", "sending"))))
        if not pending and not unsent:
            return
        time.sleep(0.3)
    raise AssertionError("the pipeline did not settle (analysis or outbox left work)")
