"""kill -9 of the daemon at 20 random moments across a scripted timeline
(the dev corpus revealed phase by phase, with restarts after every kill):
afterwards the stored articles and the delivered alerts are exactly those of
an undisturbed run of the same timeline; every alert reached its recipient,
and a message resent after a kill carries the Message-ID of the first copy.

Both runs follow the same script: reveal a phase, let the pipeline finish a
full pass and settle, then reveal the next. The disturbed run kills the
daemon 2-3 times per phase at random moments (mid-crawl, mid-analysis,
mid-send) and restarts it each time.

The undisturbed run is checked as it goes too, as the daemon's end-to-end
story on SQLite: every phase's alerts mailed once each, a clean SIGTERM.
The disturbed run ends with the same check allowing one resend per kill."""

from __future__ import annotations

import json
import random
import signal
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from store.db import session_scope
from store.models import Alert, Article, Delivery
from tests.daemon.story import Story
from tests.delivery.smtpd import SmtpServer
from tests.support import Replay, run_replay

pytestmark = pytest.mark.subprocess

KILLS = 20
PHASES = 9  # the dev corpus's last phase
SEED = 20261128


def _normalise(text: str, replay: Replay) -> str:
    """Replace each outlet's loopback address by its name: runs use other ports."""
    for name, base in replay.outlets.items():
        text = text.replace(base, f"<{name}>")
    return text


def _identity(kind: str, payload: dict[str, Any]) -> tuple[Any, ...]:
    if kind == "figure_change":
        return (kind, payload.get("claim_key"), json.dumps(payload.get("previous_value")),
                json.dumps(payload.get("new_value")))
    return (kind, payload.get("location"), payload.get("date"))


def _outcome(story: Story) -> dict[str, Any]:
    r = story.replay
    with session_scope(story.engine) as s:
        articles = Counter(
            (_normalise(a.url, r), a.title, a.content_hash, a.revision)
            for a in s.scalars(select(Article)))
        # What an alert asserts (the figure and its change, the raid's place and
        # day), not which article happened to report it first: crawls run in
        # parallel, so the first reporting article (hence ids, quote, urls)
        # can differ between two runs even without a kill.
        payloads = [(a.kind, a.payload) for a in s.scalars(select(Alert))]
    alerts = Counter(_identity(kind, p) for kind, p in payloads)
    evidence = Counter((_identity(kind, p), _normalise(json.dumps(p.get("urls")), r))
                       for kind, p in payloads)
    with session_scope(story.engine) as s:
        sent = s.execute(select(Delivery.message_id, Delivery.status)
                         .where(Delivery.kind == "alert")).all()
    by_id: dict[str, str] = {}
    copies: Counter[str] = Counter()
    for m in story.alert_emails():
        by_id[str(m["Message-ID"])] = _normalise(str(m["Subject"]), r)
        copies[str(m["Message-ID"])] += 1
    return {"articles": articles, "alerts": alerts, "evidence": evidence,
            # One entry per distinct message: a resend keeps its Message-ID.
            "emails": len(by_id),
            "unsent": [m for m, status in sent if status != "sent"],
            "sent_ids": {m for m, _ in sent}, "received_ids": set(by_id),
            "resent": sum(n - 1 for n in copies.values())}


def _kill_plan(phases: int) -> dict[int, list[float]]:
    """KILLS delays, spread over the phases (at least two each), each 0.3-6 s:
    an undisturbed phase takes about 5 s from its reveal (or a restart) to a
    quiet pipeline, so a later kill would mostly hit an idle daemon."""
    rng = random.Random(SEED)
    per_phase = {p: 2 for p in range(1, phases + 1)}
    for _ in range(KILLS - 2 * phases):
        per_phase[rng.randint(1, phases)] += 1
    return {p: [rng.uniform(0.3, 6.0) for _ in range(n)] for p, n in per_phase.items()}


@dataclass
class Run:
    """One scripted run: its outcome, and what the undisturbed run checked on the way."""

    outcome: dict[str, Any]
    killed: int
    seconds: float
    alerts_per_phase: list[int] = field(default_factory=list)
    seed_only_emails: list[str] = field(default_factory=list)
    stop_seconds: float = 0.0
    log: str = ""


def _run(root: Path, kills: dict[int, list[float]] | None) -> Run:
    """Play the timeline. Undisturbed (kills None), every phase's alerts are
    checked as they are sent: one delivery and one Message-ID each, so that
    this run is also the daemon's plain end-to-end story on SQLite."""
    started = time.monotonic()
    root.mkdir()
    with run_replay(phase=0) as replay, ExitStack() as stack:
        smtp = SmtpServer().start()
        try:
            story = Story.create(root, replay, smtp, f"sqlite:///{root / 'cw.db'}")
            daemon = story.start()
            stack.callback(lambda: daemon.kill())  # the current one, whatever happens
            daemon.wait_for("event=daemon.started", timeout=60)
            story.wait_for_pass(daemon, 0, timeout=180)
            story.wait_until_quiet(timeout=180)
            run = Run({}, 0, 0.0, seed_only_emails=[str(m["Subject"])
                                                     for m in story.alert_emails()])
            assert replay.max_phase == PHASES
            for phase in range(1, PHASES + 1):
                mark = len(daemon.log())
                replay.set_phase(phase)
                for delay in (kills or {}).get(phase, []):
                    time.sleep(delay)
                    daemon.kill()
                    run.killed += 1
                    daemon = story.start()
                    daemon.wait_for("event=daemon.started", timeout=60)
                    mark = 0
                story.wait_for_pass(daemon, mark, timeout=180)
                story.wait_until_quiet(timeout=180)
                if kills is None:
                    run.alerts_per_phase.append(story.check_every_alert_sent_exactly_once())
            if kills is not None:
                run.alerts_per_phase.append(
                    story.check_every_alert_sent_exactly_once(kills=run.killed))
            stopping = time.monotonic()
            assert daemon.stop(signal.SIGTERM) == 0
            run.stop_seconds = time.monotonic() - stopping
            run.log = daemon.log()
            run.outcome = _outcome(story)
            run.seconds = time.monotonic() - started
            return run
        finally:
            smtp.stop()


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_kill_9_at_20_random_moments_ends_with_the_articles_and_alerts_of_an_undisturbed_run(
        tmp_path: Path) -> None:
    calm_run = _run(tmp_path / "calm", None)
    plan = _kill_plan(PHASES)
    hurt_run = _run(tmp_path / "killed", plan)
    calm, hurt, killed = calm_run.outcome, hurt_run.outcome, hurt_run.killed
    print(f"FIGURES kill-9: {killed} kills; undisturbed {calm_run.seconds:.0f}s, "
          f"disturbed {hurt_run.seconds:.0f}s; "
          f"articles {sum(hurt['articles'].values())} vs {sum(calm['articles'].values())}; "
          f"alerts {sum(hurt['alerts'].values())} vs {sum(calm['alerts'].values())}; "
          f"alert emails {hurt['emails']} vs {calm['emails']}; other first article cited "
          f"{len(hurt['evidence'] - calm['evidence'])}; "
          f"resent with the same Message-ID {hurt['resent']}")
    assert killed == KILLS
    assert sum(calm["alerts"].values()) >= 5
    for run in (calm, hurt):
        assert run["unsent"] == [] and run["sent_ids"] == run["received_ids"]
    assert calm["resent"] == 0
    # Exactly-once email is impossible (RFC 1047): a kill after the server
    # accepted a message and before it was marked sent resends it, with the
    # same Message-ID. At most one such window per kill.
    assert hurt["resent"] <= KILLS
    assert hurt["articles"] == calm["articles"]
    assert hurt["alerts"] == calm["alerts"]
    assert hurt["emails"] == calm["emails"]
    assert hurt_run.alerts_per_phase[-1] >= 5

    # The undisturbed run is also the daemon's plain story on SQLite
    # (tests/daemon/test_end_to_end.py plays it on PostgreSQL): nothing for
    # the seed alone, alerts mailed phase by phase, a clean SIGTERM.
    assert calm_run.seed_only_emails == []
    per_phase = calm_run.alerts_per_phase
    assert per_phase == sorted(per_phase)  # alerts only ever accumulate
    assert per_phase[-1] >= 5, "the dev corpus holds 16 expected alerts; few were raised"
    assert calm_run.stop_seconds < 10
    assert "event=analyse.done" in calm_run.log and "event=outbox.done" in calm_run.log
    assert "level=error" not in calm_run.log, calm_run.log[-3000:]
