"""A coordinator and workers as real processes over newsreplay, PostgreSQL and
Redis on loopback; and what a run leaves behind, for comparing deployments."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from redis import Redis
from sqlalchemy import Engine, select

from store.db import session_scope
from store.models import Alert, Article
from tests.daemon.story import Story
from tests.support import REPO, Replay

REDIS_URL = "redis://127.0.0.1:6379/0"


@contextmanager
def redis_prefix() -> Iterator[str]:
    """A key prefix no other test uses; every key under it is deleted afterwards."""
    prefix = f"cwtest-{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        server = Redis.from_url(REDIS_URL)
        keys = list(server.scan_iter(match=prefix + ":*", count=500))
        if keys:
            server.delete(*keys)
        server.close()


class Proc:
    """`compoundwatch ARGS` in a child process, its stderr in a log file."""

    def __init__(self, config: Path, log: Path, *args: str) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "--config", str(config), *args],
            stdout=subprocess.DEVNULL, stderr=self._log, cwd=REPO, start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
        finally:
            self._log.close()

    def kill(self) -> None:
        """SIGKILL the process and its extraction workers, as a crashed unit."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        if not self._log.closed:
            self._log.close()


def add_cluster(story: Story, prefix: str, claim_timeout: float = 4.0) -> None:
    """Point the story's config at Redis (the table goes last: TOML allows it).

    A source failing in an early phase (portal lists nothing at phase 0) is
    backed off by the coordinator as by the daemon; cap that at a few seconds
    so each phase is crawled in full, as the one-pass reference does.
    """
    text = story.config.read_text()
    assert "[daemon]\n" in text
    story.config.write_text(text.replace("[daemon]\n", '[daemon]\nmax_backoff = "4s"\n', 1))
    with story.config.open("a") as f:
        f.write(f'\n[cluster]\nredis_url = "{REDIS_URL}"\nkey_prefix = "{prefix}"\n'
                f'claim_timeout_seconds = {claim_timeout}\nanalyse_every = "3s"\n')


def stored_urls(engine: Engine) -> set[str]:
    with session_scope(engine) as s:
        return set(s.scalars(select(Article.url)))


def wait_for_urls(engine: Engine, urls: set[str], procs: list[Proc],
                  timeout: float = 120) -> None:
    """Wait until every URL is stored (fails early if a process died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        missing = urls - stored_urls(engine)
        if not missing:
            return
        for p in procs:
            if not p.alive():
                raise AssertionError(f"{p.log_path.name} exited:\n{p.log()[-3000:]}")
        time.sleep(0.3)
    raise AssertionError(f"not stored within {timeout} s: {sorted(missing)[:5]}")


@dataclass
class Outcome:
    """What a deployment made of the corpus, without ids or clock times."""

    articles: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    alerts: Counter[tuple[str, str]] = field(default_factory=Counter)
    article_fetches: Counter[str] = field(default_factory=Counter)


def outcome(engine: Engine, replay: Replay, base: dict[str, str]) -> Outcome:
    """Articles by URL path (ports differ between replays) and alerts by key."""
    def rel(url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url)
        outlet = next((k for k, v in base.items() if v.rstrip("/") == f"{parts.scheme}://"
                       f"{parts.netloc}"), parts.netloc)
        return f"{outlet}{parts.path}"

    out = Outcome()
    with session_scope(engine) as s:
        arts = {a.id: a for a in s.scalars(select(Article))}
        for a in arts.values():
            dup = arts.get(a.duplicate_of_id) if a.duplicate_of_id else None
            out.articles[rel(a.url) or ""] = (a.title, a.revision, a.content_hash, a.relevant,
                                             rel(dup.url) if dup else None)
        for alert in s.scalars(select(Alert)):
            # The payload, not the dedup key, and without what names article ids
            # (workers store in another order) or restates the seed's wording.
            payload = {k: v for k, v in (alert.payload or {}).items()
                       if k not in ("id", "created_at", "article_id", "claim")}
            if isinstance(payload.get("raid_key"), str):
                payload["raid_key"] = re.sub(r"-a\d+$", "", payload["raid_key"])
            key = json.dumps(payload, sort_keys=True, default=str)
            for outlet, b in base.items():
                key = key.replace(b.rstrip("/"), outlet)
            out.alerts[(alert.kind, key)] += 1
    stats = replay.stats()
    article_paths = {urlsplit(r["url"]).path: r["outlet"] for r in replay.urls()}
    for outlet, data in stats.get("outlets", {}).items():
        for path, statuses in data.get("paths", {}).items():
            if article_paths.get(path) == outlet:
                out.article_fetches[f"{outlet}{path}"] += sum(statuses.values())
    return out
