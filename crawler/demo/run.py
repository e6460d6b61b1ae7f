"""The demo run: bundled news sites and a mail sink on loopback, a fresh
config and database, then the story played forward phase by phase.

Each phase's crawl runs in a child process (`python -m crawler crawl
--json`), because Twisted's reactor cannot be restarted within one process;
analysis, alert delivery and the digest run here, in the parent, through
the same functions the daemon uses. Everything started is stopped in
`finally` blocks, so the demo leaves nothing running.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy import func, select

from alerts.delivery.plural import plural
from crawler.demo import pages
from crawler.demo.mailsink import MailSink
from crawler.demo.report import PhaseReport, collect, print_phase
from crawler.demo.server import DemoWeb
from store.config import Config, load_config
from store.db import make_engine, session_scope
from store.models import Alert, Article

CRAWL_TIMEOUT_SECONDS = 150.0
RECIPIENT = "desk@example.org"
KIND_LABELS = {"wire": "RSS 2.0 feed", "daily": "Atom feed", "monitor": "news sitemap (robots.txt)",
               "portal": "paginated section page", "zhdaily": "RSS 2.0 feed, Chinese"}


class DemoError(Exception):
    """The demo could not go on; the message says which step failed and why."""


@dataclass
class DemoResult:
    """Where the demo wrote its files, and what each phase brought."""

    out_dir: Path
    config_path: Path
    digest_path: Path
    mailbox: Path
    emails: int
    phases: list[PhaseReport] = field(default_factory=list)
    seconds: float = 0.0


def prepare_out_dir(out: Path | None) -> Path:
    """A new temporary folder, or `out` if it is new or empty."""
    if out is None:
        return Path(tempfile.mkdtemp(prefix="compoundwatch-demo-"))
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DemoError(f"{out} is not an empty folder: choose a new or empty one for --out.")
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_seed(web: DemoWeb, out_dir: Path) -> Path:
    """The bundled seed retelling as an HTML file that `init` reads."""
    path = out_dir / "seed" / f"{web.story.seed.slug}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pages.seed_page(web.story, web.bases.get("wire", "http://127.0.0.1")).body)
    return path


def _toml(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings and lists are valid TOML


def write_config(out_dir: Path, web: DemoWeb, sink: MailSink, seed: Path,
                 db_url: str | None) -> Path:
    """The demo's own config: loopback allowed, small delays, email to the sink."""
    url = db_url or "sqlite:///demo.db"
    lines = [
        "# Written by `compoundwatch demo`: the demo's sites and mail sink on loopback.",
        "[store]", f"url = {_toml(url)}",
        "[seed]", f"articles = {_toml([str(seed.relative_to(out_dir))])}",
        "[crawl]",
        "allow_private_addresses = true  # the demo's sites run on 127.0.0.1",
        "download_delay = 0.05", "autothrottle = false", "concurrency_per_host = 4",
        "timeout_seconds = 10.0", "retries = 1", "extraction_workers = 1",
        f"crawl_timeout_seconds = {CRAWL_TIMEOUT_SECONDS - 30}",
        "[email]",
        'host = "127.0.0.1"', f"port = {sink.port}",
        'sender = "compoundwatch-demo@localhost"', f"recipients = {_toml([RECIPIENT])}",
        'alert_mode = "immediate"', "timeout_seconds = 10.0", "max_attempts = 3",
        "backoff_seconds = 1.0",
        "[digest]", 'at = "07:00"', 'timezone = "Asia/Phnom_Penh"',
    ]
    for name, (kind, start_url) in web.source_urls().items():
        lines += ["", "[[sources]]", f"name = {_toml(name)}", f"url = {_toml(start_url)}",
                  f"kind = {_toml(kind)}", 'every = "30m"']
    path = out_dir / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(config_path: Path, *args: str, timeout: float) -> str:
    """Run `compoundwatch --config CFG ARGS` in a child process; its stdout.

    The child gets its own process group so that a timeout (or an error
    here) kills it together with any extraction workers it started.
    """
    cmd = [sys.executable, "-m", "crawler", "--config", str(config_path), *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=config_path.parent, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise DemoError(f"`compoundwatch {' '.join(args)}` did not finish within "
                        f"{timeout:.0f} s.") from None
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if proc.returncode != 0:
        raise DemoError(f"`compoundwatch {' '.join(args)}` failed (exit status "
                        f"{proc.returncode}): {error_line(stderr or stdout)}")
    return stdout


def error_line(output: str) -> str:
    """The line of a child's output that says what went wrong: its `Error:`
    message, else the exception line of a traceback, else the last line."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("Error:"):
            return line.removeprefix("Error:").strip()
    for line in reversed(lines):
        if re.match(r"^[\w.]+(Error|Exception|Exit)\b.*", line):
            return line
    return lines[-1] if lines else "no output"


def analyse_and_deliver(engine: Any, config: Config) -> None:
    """Analyse what the crawl stored, then queue and send the alerts raised."""
    from alerts import follow_up

    follow_up(engine, config)


def next_digest_day(config: Config, now: dt.datetime) -> dt.date:
    """The day whose digest window holds `now` (the demo's alerts are all new)."""
    from alerts.delivery.digest_data import latest_due_day

    return latest_due_day(config, now) + dt.timedelta(days=1)


def write_digest(engine: Any, config: Config, out_dir: Path) -> Path:
    """The digest of everything the demo raised, as an HTML file; also emailed."""
    from alerts.delivery.digest import digest_message, send_digest

    day = next_digest_day(config, dt.datetime.now(dt.timezone.utc))
    with session_scope(engine) as session:
        message = digest_message(session, config, day)
    path = out_dir / "digest.html"
    path.write_text(message.html, encoding="utf-8")
    send_digest(engine, config, day)
    return path


def _marks(engine: Any) -> tuple[int, int]:
    with session_scope(engine) as session:
        return (session.scalar(select(func.coalesce(func.max(Article.id), 0))) or 0,
                session.scalar(select(func.coalesce(func.max(Alert.id), 0))) or 0)


def play(web: DemoWeb, sink: MailSink, out_dir: Path, db_url: str | None,
         console: Console) -> DemoResult:
    """Set up, then crawl, analyse and deliver each phase; write the digest."""
    started = time.monotonic()
    seed = write_seed(web, out_dir)
    config_path = write_config(out_dir, web, sink, seed, db_url)
    config = load_config(str(config_path))
    console.print(f"[bold]compoundwatch demo[/]: a story told in "
                  f"{plural(len(web.story.articles), 'article')}, published over "
                  f"{web.story.last_phase()} phases by news sites on this machine:")
    for name, (kind, url) in web.source_urls().items():
        console.print(f"  {name:8} {KIND_LABELS.get(name, kind):26} {url}")
    console.print(f"[bold]Setting up[/] in {out_dir}: database, sources, seed claims…")
    run_cli(config_path, "init", timeout=120)
    engine = make_engine(config.database_url)
    result = DemoResult(out_dir, config_path, out_dir / "digest.html", sink.folder, 0)
    try:
        last_phase = web.story.last_phase()
        for phase in range(1, last_phase + 1):
            web.set_phase(phase)
            after_article, after_alert = _marks(engine)
            emails_before = sink.count()
            since = dt.datetime.now(dt.timezone.utc)
            t0 = time.monotonic()
            run_cli(config_path, "crawl", "--json", timeout=CRAWL_TIMEOUT_SECONDS)
            crawl_seconds = time.monotonic() - t0
            analyse_and_deliver(engine, config)
            with session_scope(engine) as session:
                report = collect(session, phase, after_article, after_alert, since)
            report.crawl_seconds = crawl_seconds
            report.emails_sent = sink.count() - emails_before
            result.phases.append(report)
            print_phase(console, report, last_phase)
        result.digest_path = write_digest(engine, config, out_dir)
    finally:
        engine.dispose()
    result.emails = sink.count()
    result.seconds = time.monotonic() - started
    return result


def print_summary(console: Console, result: DemoResult) -> None:
    """The closing lines: counts, and where the digest and the emails are."""
    figures = sum(len(p.figure_changes) for p in result.phases)
    raids = sum(len(p.new_raids) for p in result.phases)
    rows = [a for p in result.phases for a in p.articles]
    copies = sum(1 for a in rows if a.duplicate_of)
    off_story = sum(1 for a in rows if not a.duplicate_of and a.relevant is False)
    on_story = len(rows) - copies - off_story
    # Say what each count counts: the digest's "new articles" are the ones on the story.
    console.print(f"[bold]Done in {result.seconds:.0f} s:[/] {plural(len(rows), 'article')} "
                  f"collected ({on_story:,} on the story, {plural(copies, 'copy')} of another "
                  f"outlet's, {off_story:,} off the story); {plural(figures, 'figure change')} "
                  f"and {plural(raids, 'new raid')} alerted.")
    # Paths are never wrapped: a reader copies them whole.
    console.print(f"Digest: {result.digest_path}", soft_wrap=True)
    console.print(f"Mailbox: {result.mailbox} ({plural(result.emails, 'email')} captured)",
                  soft_wrap=True)
    console.print(f"Config and database: {result.config_path}", soft_wrap=True)
    console.print(f"Look around: compoundwatch --config {result.config_path} "
                  "alerts | articles | claims | status", soft_wrap=True)


def wait_for_interrupt(web: DemoWeb, sink: MailSink, console: Console) -> None:
    """--keep: leave the sites and the mail sink up until Ctrl-C."""
    for name, (kind, url) in web.source_urls().items():
        console.print(f"  {name:8} {kind:8} {url}")
    console.print(f"  SMTP sink on 127.0.0.1:{sink.port}. Press Ctrl-C to stop.")
    try:
        while True:
            time.sleep(1.0)
    except KeyboardInterrupt:
        pass


def run_demo(out: Path | None = None, db_url: str | None = None, keep: bool = False,
             console: Console | None = None) -> DemoResult:
    """The whole demo; everything it started is stopped before it returns."""
    console = console or Console(highlight=False)
    out_dir = prepare_out_dir(out)
    web = DemoWeb().start()
    try:
        with MailSink(out_dir / "mailbox") as sink:
            result = play(web, sink, out_dir, db_url, console)
            print_summary(console, result)
            if keep:
                wait_for_interrupt(web, sink, console)
    finally:
        web.stop()
    return result
