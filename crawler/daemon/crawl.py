"""Running one source's crawl in a child process, and recording its health.

The child is started in its own session (process group) so that a timeout or
a stopping daemon kills it and any extraction workers it spawned at once.
Its outcome becomes data (`ChildResult`) and then health fields on the
source row, including the backed-off next run that `status` shows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from crawler.daemon.child import ERROR_PREFIX, SUMMARY_PREFIX
from store.db import session_scope
from store.models import Source
from store.types import utcnow

CHILD_MODULE = "crawler.daemon.child"


@dataclass
class ChildResult:
    """What one crawl child did: its summaries, or why it failed."""

    ok: bool
    summaries: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    timed_out: bool = False
    # Killed because the daemon is stopping: neither a success nor a failure.
    cancelled: bool = False
    seconds: float = 0.0
    returncode: int | None = None

    @property
    def reported(self) -> bool:
        """The child finished its pass and wrote each source's health itself."""
        return self.returncode == 0 and bool(self.summaries) and not self.timed_out

    def count(self, *keys: str) -> int:
        """The sum of the first integer field found among `keys` in each summary."""
        total = 0
        for summary in self.summaries:
            for key in keys:
                value = summary.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    total += value
                    break
        return total


class ChildRegistry:
    """The running crawl children, so a stopping daemon can kill them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[str]] = set()
        self.stopping = threading.Event()

    def add(self, proc: subprocess.Popen[str]) -> None:
        with self._lock:
            self._procs.add(proc)
        if self.stopping.is_set():
            kill_group(proc)

    def discard(self, proc: subprocess.Popen[str]) -> None:
        with self._lock:
            self._procs.discard(proc)

    def kill_all(self) -> int:
        """Mark the registry as stopping and kill every child; returns how many."""
        self.stopping.set()
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            kill_group(proc)
        return len(procs)


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the child's whole process group (crawls are safe to redo)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def summary_error(summary: dict[str, Any]) -> str | None:
    """The error a source summary reports, if any (the crawler's summary shape)."""
    for key in ("error", "fatal_error"):
        if summary.get(key):
            return str(summary[key])
    if summary.get("ok") is False:
        return str(summary.get("reason") or "the crawl reported a failure")
    if str(summary.get("status", "")).lower() in ("error", "failed", "failure"):
        return str(summary.get("reason") or summary.get("status"))
    return None


def run_child(
    source_names: tuple[str, ...],
    *,
    config_path: str | None,
    timeout: float,
    registry: ChildRegistry,
    python: str = sys.executable,
    extra_args: tuple[str, ...] = (),
) -> ChildResult:
    """Crawl the named sources in a child; kill it after `timeout` seconds."""
    cmd = [python, "-m", CHILD_MODULE, "--hard-timeout", str(int(timeout) + 30)]
    if config_path:
        cmd += ["--config", config_path]
    for name in source_names:
        cmd += ["--source", name]
    cmd += list(extra_args)
    started = time.monotonic()
    if registry.stopping.is_set():
        return ChildResult(ok=False, cancelled=True, error="the daemon is stopping")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            text=True, start_new_session=True)
    registry.add(proc)
    timed_out = False
    try:
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            out, _ = proc.communicate()
    finally:
        registry.discard(proc)
        kill_group(proc)  # extraction workers left behind by a crashed child
    seconds = time.monotonic() - started
    summaries, error = _parse_output(out or "")
    if registry.stopping.is_set() and proc.returncode != 0:
        return ChildResult(ok=False, cancelled=True, error="stopped with the daemon",
                           seconds=seconds, returncode=proc.returncode, summaries=summaries)
    if timed_out:
        error = f"the crawl took longer than {timeout:g} s and was killed"
    elif proc.returncode != 0 and error is None:
        error = f"the crawl process ended with status {proc.returncode}"
    if error is None:
        errors = [e for e in (summary_error(s) for s in summaries) if e]
        error = "; ".join(errors) or None
    return ChildResult(ok=error is None, summaries=summaries, error=error, timed_out=timed_out,
                       seconds=seconds, returncode=proc.returncode)


def _parse_output(out: str) -> tuple[list[dict[str, Any]], str | None]:
    summaries: list[dict[str, Any]] = []
    error: str | None = None
    for line in out.splitlines():
        try:
            if line.startswith(SUMMARY_PREFIX):
                summaries.append(json.loads(line[len(SUMMARY_PREFIX):]))
            elif line.startswith(ERROR_PREFIX):
                error = str(json.loads(line[len(ERROR_PREFIX):]).get("error"))
        except (ValueError, AttributeError):
            continue
    return summaries, error


# --------------------------------------------------------------------------- backoff


def backoff_delay(interval: float, failures: int, max_backoff: float) -> float:
    """Seconds until the next run after `failures` consecutive failures.

    The normal interval while healthy; then it doubles with each failure,
    never beyond `max_backoff` (nor below the interval itself).
    """
    if failures <= 0:
        return float(interval)
    doubled = interval * (2.0 ** min(failures, 30))
    return float(max(interval, min(doubled, max_backoff)))


def bounded_jitter(jitter_seconds: float, interval: float) -> float:
    """The jitter actually used: at most a tenth of the interval.

    Jitter spreads sixty sources over their window; on a two-second test
    source thirty seconds of it would swamp the interval itself.
    """
    return max(0.0, min(jitter_seconds, interval / 10.0))


def record_outcome(
    engine: Engine,
    source_id: int,
    result: ChildResult,
    *,
    max_backoff: float,
    jitter: Callable[[float], float],
    now: dt.datetime | None = None,
) -> dt.datetime | None:
    """Write the crawl's health to the source; returns its next run (None: gone).

    A child that finished its pass has already recorded success or failure
    on the source (`crawler.runner` does); only a child that crashed, hung or
    could not start is recorded here, so a failure is never counted twice.
    The caller's `jitter(interval)` gives the random extra delay.
    """
    now = now or utcnow()
    with session_scope(engine) as session:
        source = session.get(Source, source_id)
        if source is None:
            return None
        if not result.reported:
            source.last_run_at = now
        if result.reported:
            pass
        elif result.ok:
            source.last_success_at = now
            source.consecutive_failures = 0
        else:
            source.last_error = (result.error or "unknown error")[:2000]
            source.last_error_at = now
            source.consecutive_failures = (source.consecutive_failures or 0) + 1
        delay = backoff_delay(source.interval_seconds, source.consecutive_failures, max_backoff)
        next_run = now + dt.timedelta(seconds=delay + jitter(source.interval_seconds))
        source.next_run_at = next_run
        return next_run
