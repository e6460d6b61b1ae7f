"""Helpers for the robustness suite: a crawl in a subprocess whose whole
process tree (the crawler and its extraction workers) is sampled for memory,
and the stored outcome read back from the database."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
from sqlalchemy import func, select

from store.db import make_engine, session_scope
from store.models import Article, Source
from tests.crawler.conftest import db_url
from tests.support import REPO

# The bound every hostile crawl must stay under: the whole process tree
# (crawler + extraction workers), sampled every 50 ms.
TREE_MEMORY_LIMIT_MB = 600


@dataclass
class TreeRun:
    """A finished subprocess: its output, the peak RSS of its tree, its duration."""

    returncode: int
    stdout: str
    stderr: str
    peak_tree_mb: float
    seconds: float


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in members:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(args: Sequence[str], timeout: float = 240) -> TreeRun:
    """Run a command, sampling the summed RSS of its process tree until it exits."""
    started = time.monotonic()
    popen = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=REPO)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        ps = psutil.Process(popen.pid)
        while not done.is_set():
            peak = max(peak, _tree_rss(ps))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = popen.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        popen.kill()
        out, err = popen.communicate()
        raise AssertionError(f"{args[:4]} did not finish within {timeout} s:\n{err[-3000:]}")
    finally:
        done.set()
        sampler.join()
    return TreeRun(popen.returncode, out, err, peak / 2**20, time.monotonic() - started)


@dataclass
class CrawlOutcome:
    run: TreeRun
    summaries: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    articles: dict[str, int]


def crawl_measured(config: Path, timeout: float = 240) -> CrawlOutcome:
    """One crawl pass (crawler.passes.runner.run_crawl alone) in a measured subprocess."""
    run = run_measured([sys.executable, "-m", "tests.crawler.crawl_entry", str(config)],
                       timeout)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    engine = make_engine(db_url(config))
    try:
        with session_scope(engine) as session:
            sources = {s.name: {"last_error": s.last_error,
                                "consecutive_failures": s.consecutive_failures,
                                "id": s.id}
                       for s in session.scalars(select(Source))}
            articles = {
                name: session.scalar(select(func.count()).select_from(Article)
                                     .where(Article.source_id == row["id"])) or 0
                for name, row in sources.items()
            }
    finally:
        engine.dispose()
    return CrawlOutcome(run, {r["source"]: r for r in rows}, sources, articles)


def sources_toml(entries: Sequence[tuple[str, str, str]]) -> str:
    """[[sources]] tables for (name, url, kind) triples."""
    return "".join(
        f'\n[[sources]]\nname = "{n}"\nurl = "{u}"\nkind = "{k}"\nevery = "30m"\n'
        for n, u, k in entries
    )
