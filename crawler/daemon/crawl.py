"""Running one source's crawl in a child process, and recording its health.

The child is started in its own session (process group) so that a timeout or
a stopping daemon kills it and any extraction workers it spawned at once.
Its outcome becomes data (`ChildResult`: the child's `SourceSummary`
objects, read by field) and then health fields on the source row,
including the backed-off next run that `status` shows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import multiprocessing.connection
import multiprocessing.context
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Engine

from crawler.daemon.child import ChildReport, crawl, forked_entry
from crawler.passes.tally import SourceSummary
from store.db import session_scope
from store.models import Source
from store.types import utcnow

PRELOAD_MODULE = "crawler.daemon.preload"

# The counters of a SourceSummary that add up over the sources of one child.
CountField = Literal["fetched", "new", "updated", "unchanged", "failed", "skipped"]


@dataclass
class ChildResult:
    """What one crawl child did: its summaries, or why it failed."""

    ok: bool
    summaries: list[SourceSummary] = field(default_factory=list)
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

    def count(self, what: CountField) -> int:
        """One counter summed over the child's sources ("new": articles stored)."""
        return sum(getattr(summary, what) for summary in self.summaries)


class ChildRegistry:
    """The running crawl children, so a stopping daemon can kill them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[Any] = set()
        self.stopping = threading.Event()

    def add(self, proc: Any) -> None:
        with self._lock:
            self._procs.add(proc)
        if self.stopping.is_set():
            kill_group(proc)

    def discard(self, proc: Any) -> None:
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


def kill_group(proc: Any) -> None:
    """SIGKILL the child's whole process group (crawls are safe to redo)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        # Not yet its own group leader (killed right after the fork): the child alone.
        with contextlib.suppress(ProcessLookupError, PermissionError, TypeError):
            os.kill(proc.pid, signal.SIGKILL)


def sources_error(summaries: Sequence[SourceSummary]) -> str | None:
    """The errors the sources of one pass report, in one line (None: none failed)."""
    return "; ".join(s.error for s in summaries if s.error) or None


_forkserver_lock = threading.Lock()
_forkserver: multiprocessing.context.ForkServerContext | None = None


def forkserver() -> multiprocessing.context.ForkServerContext:
    """The multiprocessing context whose server has Scrapy & co. already imported.

    Children are forks of a process that imported the crawler but never ran
    a reactor or a crawl, so each starts clean and warm (about two seconds
    of CPU saved per crawl), and the daemon itself never imports Twisted.
    """
    global _forkserver
    with _forkserver_lock:
        if _forkserver is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload([PRELOAD_MODULE])
            _forkserver = ctx
        return _forkserver


def _this_process() -> tuple[int, float]:
    """(pid, start time) of this process, for children to check it still runs."""
    import psutil

    return os.getpid(), psutil.Process().create_time()


def warm_up(timeout: float = 120.0) -> float:
    """Start the forkserver and wait until its imports are done; returns the seconds.

    The first fork waits for the preload; doing it at start keeps that wait
    out of the first crawl's time limit.
    """
    from crawler.daemon.child import no_op

    started = time.monotonic()
    ctx = forkserver()
    proc = ctx.Process(target=no_op, name="compoundwatch-warm-up")
    proc.start()
    proc.join(timeout)
    if proc.exitcode is None:
        kill_group(proc)
        proc.join(5.0)
    return time.monotonic() - started


def run_child(
    source_names: tuple[str, ...],
    *,
    config_path: str | None,
    timeout: float,
    registry: ChildRegistry,
    target: Callable[..., ChildReport] = crawl,
    args: tuple[Any, ...] | None = None,
) -> ChildResult:
    """Crawl the named sources in a forked child; kill it after `timeout` seconds.

    `target(*args)` is what the child runs (by default one crawl pass);
    tests give it a crawl that hangs.
    """
    if registry.stopping.is_set():
        return ChildResult(ok=False, cancelled=True, error="the daemon is stopping")
    ctx = forkserver()
    receiver, sender = ctx.Pipe(duplex=False)
    call_args = args if args is not None else (config_path, tuple(source_names))
    proc = ctx.Process(target=forked_entry,
                       args=(sender, target, call_args, timeout + 30, _this_process()),
                       name="compoundwatch-crawl", daemon=False)
    started = time.monotonic()
    proc.start()
    sender.close()
    registry.add(proc)
    report: ChildReport | None = None
    timed_out = False
    try:
        deadline = started + timeout
        while report is None and proc.exitcode is None:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready = multiprocessing.connection.wait([receiver, proc.sentinel], timeout=left)
            if receiver in ready:
                with contextlib.suppress(EOFError, OSError):
                    report = receiver.recv()
                break
        if timed_out:
            kill_group(proc)
        proc.join(timeout=max(1.0, deadline - time.monotonic()) if not timed_out else 5.0)
        if proc.exitcode is None:  # reported, then stuck at exit: kill it
            kill_group(proc)
            proc.join(5.0)
    finally:
        registry.discard(proc)
        kill_group(proc)  # workers a crashed child left behind
        receiver.close()
    seconds = time.monotonic() - started
    summaries, error = report if report is not None else ([], None)
    returncode = proc.exitcode
    with contextlib.suppress(ValueError):
        proc.close()
    if registry.stopping.is_set() and report is None:
        return ChildResult(ok=False, cancelled=True, error="stopped with the daemon",
                           seconds=seconds, returncode=returncode)
    if timed_out:
        error = f"the crawl took longer than {timeout:g} s and was killed"
    elif report is None:
        error = f"the crawl process ended with status {returncode} without a report"
    if error is None:
        error = sources_error(summaries)
    return ChildResult(ok=error is None, summaries=list(summaries), error=error,
                       timed_out=timed_out, seconds=seconds,
                       returncode=0 if report is not None and report[1] is None else returncode)


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
    on the source (`crawler.passes.runner` does); only a child that crashed, hung or
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
