"""Helpers for crawler tests: a config pointing at the replay, and the
`compoundwatch crawl --json` command run in a subprocess (the Twisted reactor
cannot restart inside one pytest process)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from store.config import load_config
from store.db import make_engine, session_scope, upgrade
from store.sources import sync_config_sources
from tests.support import Replay, replay_sources_toml

CLI = [sys.executable, "-c", "from crawler.cli import main; main()"]

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
    engine = make_engine(cfg.database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        sync_config_sources(session, cfg.sources)
    engine.dispose()
    return path


def run_crawl_cli(config: Path, sources: Sequence[str] = (), timeout: float = 120
                  ) -> dict[str, dict[str, Any]]:
    """Run `compoundwatch crawl --json`; the summaries by source name."""
    args = [*CLI, "--config", str(config), "crawl", "--json"]
    for name in sources:
        args += ["--source", name]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return {row["source"]: row for row in rows}


def db_url(config: Path) -> str:
    return load_config(str(config)).database_url
