"""The dev corpus analysed into a store, with its outlets as sources, and
`compoundwatch serve` running over it: what the browser tests look at."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from store.config import Config
from store.db import make_engine, session_scope, upgrade
from store.models import Article, Source
from tests.analysis.corpus_loader import run_corpus
from tests.support import DEV_CORPUS, REPO, SHARED

sys.path.insert(0, str(SHARED / "tools"))
from replaylib.outlets import OUTLET_INFO, outlet_host_ip  # noqa: E402


def build_corpus_store(folder: Path) -> Path:
    """A config whose SQLite store holds the analysed dev corpus; its path."""
    db = folder / "corpus.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    run_corpus(engine, DEV_CORPUS, Config(), folder)
    now = dt.datetime.now(dt.timezone.utc)
    with session_scope(engine) as session:
        by_ip = {}
        for key in OUTLET_INFO:
            ip = outlet_host_ip(key)
            source = Source(name=key, url=f"http://{ip}:8800/", kind="auto",
                            last_run_at=now, last_success_at=now,
                            next_run_at=now + dt.timedelta(minutes=25))
            session.add(source)
            by_ip[ip] = source
        session.flush()
        for article in session.scalars(select(Article)):
            source = by_ip.get(urlsplit(article.url).hostname or "")
            article.source_id = source.id if source else None
    engine.dispose()
    config = folder / "config.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{db}"\n', encoding="utf-8")
    return config


@contextmanager
def serving(config: Path, port: int, timeout: float = 60.0,
            command: tuple[str, ...] = ("serve",)) -> Iterator[str]:
    """`compoundwatch serve` (or `command`) in a child process; yields the URL it
    prints once it listens, and stops it with SIGINT (Ctrl-C) afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "--config", str(config), *command, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        assert proc.stdout is not None
        line = proc.stdout.readline()
        while "web view at" not in line:
            assert proc.poll() is None and time.monotonic() < deadline, f"serve failed: {line}"
            line = proc.stdout.readline()
        match = re.search(r"(http://\S+/)", line)
        assert match, line
        yield match.group(1)
        assert proc.poll() is None, "serve stopped on its own"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                stopped = proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise AssertionError("serve did not stop on Ctrl-C") from None
            assert stopped == 0, f"serve exited with status {stopped} on Ctrl-C"
