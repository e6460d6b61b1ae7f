"""Helpers for crawler tests: a config pointing at the replay, and the
`compoundwatch crawl --json` command run in a subprocess (the Twisted reactor
cannot restart inside one pytest process)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.config import load_config
from store.db import make_engine, session_scope, upgrade
from store.sources import sync_config_sources
from tests.support import REPO, Replay, replay_sources_toml

# The CLI, reporting its peak memory (KiB) on stderr when it exits.
CLI = [sys.executable, "-c", (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "'MAXRSS_KB=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "from crawler.cli import main\n"
    "main()"
)]

_ALEMBIC_LOCK = threading.Lock()

FAST_CRAWL = {
    "allow_private_addresses": True,
    "download_delay": 0.0,
    "autothrottle": False,
    "concurrency_per_host": 4,
    "timeout_seconds": 3.0,
    "retries": 1,
    "crawl_timeout_seconds": 60.0,
    "max_response_bytes": 2_000_000,
}


def toml_value(value: Any) -> str:
    return json.dumps(value) if not isinstance(value, bool) else str(value).lower()


def make_config(tmp: Path, replay: Replay, sources: str | None = None, **crawl: Any) -> Path:
    """A config file on a fresh SQLite database, its sources added, ready to crawl."""
    settings = {**FAST_CRAWL, **crawl}
    lines = ["[store]", 'url = "sqlite:///crawl.db"', "", "[crawl]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in settings.items()]
    path = tmp / "config.toml"
    path.write_text("\n".join(lines) + "\n" + (sources or replay_sources_toml(replay)),
                    encoding="utf-8")
    cfg = load_config(str(path))
    with _ALEMBIC_LOCK:  # Alembic's context is process-global: one upgrade at a time
        engine = make_engine(cfg.database_url)
        upgrade(engine)
        with session_scope(engine) as session:
            sync_config_sources(session, cfg.sources)
        engine.dispose()
    return path


@dataclass
class CrawlRun:
    summaries: dict[str, dict[str, Any]]
    max_rss_mb: float
    seconds: float


def crawl_cli(config: Path, sources: Sequence[str] = (), timeout: float = 180,
              *, cli: bool = False) -> CrawlRun:
    """One crawl pass in a subprocess: summaries, peak memory, duration.

    With `cli`, through `compoundwatch crawl --json` (which also analyses and
    delivers); otherwise through `run_crawl` alone, so that crawler tests do
    not depend on the later stages.
    """
    started = time.monotonic()
    if cli:
        args = [*CLI, "--config", str(config), "crawl", "--json"]
        for name in sources:
            args += ["--source", name]
    else:
        args = [sys.executable, "-m", "tests.crawler.crawl_entry", str(config), *sources]
    proc = subprocess.run(args, check=False, capture_output=True, text=True, timeout=timeout,
                          cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    rss = re.findall(r"MAXRSS_KB=(\d+)", proc.stderr)
    return CrawlRun({row["source"]: row for row in rows},
                    int(rss[-1]) / 1024 if rss else float("nan"), time.monotonic() - started)


def run_crawl_cli(config: Path, sources: Sequence[str] = (), timeout: float = 180
                  ) -> dict[str, dict[str, Any]]:
    """Run `compoundwatch crawl --json`; the summaries by source name."""
    return crawl_cli(config, sources, timeout).summaries


def db_url(config: Path) -> str:
    return load_config(str(config)).database_url
