"""Test helpers shared by the suites: the replay server, the shared folder,
and database URLs for both backends. Real servers only, on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def find_shared() -> Path:
    """The workplace's shared folder (corpus, seed, newsreplay, score.py):
    $COMPOUNDWATCH_SHARED, else ../shared beside this checkout, else beside
    the local checkout this one was cloned from (a clean clone made
    elsewhere for CI still finds it), else beside the repository a git
    worktree belongs to."""
    if os.environ.get("COMPOUNDWATCH_SHARED"):
        return Path(os.environ["COMPOUNDWATCH_SHARED"]).resolve()
    beside = REPO.parent / "shared"
    if beside.is_dir():
        return beside.resolve()
    origin = subprocess.run(["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
                            capture_output=True, text=True, check=False).stdout.strip()
    if origin and "://" not in origin and Path(origin).is_dir():
        cloned_from = (Path(origin).resolve().parent / "shared")
        if cloned_from.is_dir():
            return cloned_from.resolve()
    common = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--git-common-dir"],
                            capture_output=True, text=True, check=False).stdout.strip()
    if common:
        main_checkout = (REPO / common).resolve().parent
        if (main_checkout.parent / "shared").is_dir():
            return (main_checkout.parent / "shared").resolve()
    return beside


SHARED = find_shared()
DEV_CORPUS = SHARED / "corpus" / "dev"
CLAIMS_JSON = SHARED / "corpus" / "claims.json"
SEED_JSON = SHARED / "corpus" / "seed.json"
SEED_TXT = SHARED / "seed" / "seed-article.txt"
NEWSREPLAY = SHARED / "tools" / "newsreplay.py"
SCORE = SHARED / "tools" / "score.py"
PG_ADMIN_URL = os.environ.get(
    "COMPOUNDWATCH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass
class Replay:
    """A running newsreplay server: outlet base URLs and its control API."""

    process: subprocess.Popen[str]
    control: str
    outlets: dict[str, str]
    max_phase: int

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.control + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def set_phase(self, phase: int) -> None:
        self._call("POST", f"/phase/{phase}")

    def stats(self) -> Any:
        return self._call("GET", "/stats")

    def reset_stats(self) -> None:
        self._call("POST", "/stats/reset")

    def urls(self, phase: int | None = None) -> Any:
        return self._call("GET", "/urls" + (f"?phase={phase}" if phase is not None else ""))

    def add_fault(self, outlet: str, path: str, fault: str, times: int | None = None) -> None:
        body: dict[str, Any] = {"outlet": outlet, "path": path, "fault": fault}
        if times is not None:
            body["times"] = times
        self._call("POST", "/faults", body)

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")


@contextmanager
def run_replay(corpus: Path = DEV_CORPUS, phase: int = 0) -> Iterator[Replay]:
    """Serve a corpus with newsreplay on free loopback ports until the block ends."""
    proc = subprocess.Popen(
        [sys.executable, str(NEWSREPLAY), "serve", str(corpus), "--addr-mode", "ports",
         "--port", "0", "--control-port", "0", "--phase", str(phase)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("newsreplay did not start")
        ready = json.loads(line)
        yield Replay(proc, ready["control"], ready["outlets"], ready["max_phase"])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def replay_sources_toml(replay: Replay) -> str:
    """[[sources]] entries for the five replay outlets, one per discovery kind."""
    o = replay.outlets
    entries = [
        ("wire", o["wire"] + "/feed/", "feed"),
        ("daily", o["daily"] + "/atom.xml", "feed"),
        ("monitor", o["monitor"] + "/robots.txt", "sitemap"),
        ("portal", o["portal"] + "/category/cambodia/", "listing"),
        ("zhdaily", o["zhdaily"] + "/rss.xml", "feed"),
    ]
    return toml_sources(entries)


def toml_sources(entries: Iterable[tuple[str, str, str]]) -> str:
    """`[[sources]]` tables for (name, url, kind) entries, each crawled every 30 min."""
    return "".join(
        f'\n[[sources]]\nname = "{n}"\nurl = "{u}"\nkind = "{k}"\nevery = "30m"\n'
        for n, u, k in entries
    )


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the local server; dropped afterwards."""
    import psycopg

    name = f"cw_test_{uuid.uuid4().hex[:12]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
