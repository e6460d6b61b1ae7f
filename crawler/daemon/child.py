"""The crawl child: one pass of fetch, extract and store in a fresh process.

Why a child process per crawl: Twisted's reactor cannot be restarted in one
process, and a process returns all its memory to the system when it exits,
so the daemon stays flat over months. The child only fetches, extracts and
stores (committing per article); the parent analyses.

The daemon forks children from a pre-loaded forkserver (`forked_entry`, see
`crawler.daemon.crawl`); the child sends back its `SourceSummary` objects
(`crawler.passes.tally`, pickled through the pipe), so the daemon reads the same
typed fields the CLI's `crawl` prints. `python -m crawler.daemon.child
[--config F] --source N ...` runs the same pass by hand and prints
`CW-SUMMARY {json}` lines. Either way the child ends by itself if its
parent disappears (the daemon was killed) or after a hard time limit.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from crawler.passes.tally import SourceSummary

SUMMARY_PREFIX = "CW-SUMMARY "
ERROR_PREFIX = "CW-ERROR "
EXIT_CRAWL_FAILED = 3
# What a child reports: the per-source summaries, and an error for the whole pass.
ChildReport = tuple[list[SourceSummary], "str | None"]


def _daemon_alive(pid: int, started: float) -> bool:
    import psutil

    try:
        return abs(psutil.Process(pid).create_time() - started) < 0.01
    except psutil.Error:
        return False


def _watch_parent(parent: int, daemon: tuple[int, float] | None) -> None:
    # A daemon killed with -9 cannot kill its child; the child notices and
    # leaves, so no orphan crawl keeps writing. A forked child's parent is
    # the forkserver, which outlives the daemon while children hold its
    # pipe, so the daemon itself (pid and start time) is watched too.
    while True:
        time.sleep(1.0)
        if os.getppid() != parent or (daemon is not None and not _daemon_alive(*daemon)):
            os._exit(EXIT_CRAWL_FAILED)


def guard(hard_timeout: float, daemon: tuple[int, float] | None = None) -> None:
    """Make this process end by itself if its parent or daemon goes, or time runs out."""
    threading.Thread(target=_watch_parent, args=(os.getppid(), daemon), daemon=True).start()
    if hard_timeout > 0:
        # A second line of defence behind the parent's own timeout.
        signal.signal(signal.SIGALRM, lambda *_: os._exit(EXIT_CRAWL_FAILED))
        signal.alarm(max(1, int(hard_timeout)))


def crawl(config_path: str | None, source_names: tuple[str, ...]) -> ChildReport:
    """One pass over the named sources: (a summary per source, error of the whole pass)."""
    try:
        from crawler.passes.runner import run_crawl
        from store.config import load_config

        config = load_config(config_path)
        summaries = run_crawl(config, source_names, progress=False)
    except Exception as exc:  # reported to the parent as data, not a traceback
        return [], f"{type(exc).__name__}: {exc}"
    return list(summaries), None


def crawl_entries(config_path: str | None, work: list[tuple[int, list[Any]]],
                  crawl_delays: dict[str, float] | None = None) -> ChildReport:
    """The article URLs polls found, by source: (a summary per source, error of the pass)."""
    try:
        from crawler.discovery.entries import run_entries
        from store.config import load_config

        summaries = run_entries(load_config(config_path), work, crawl_delays)
    except Exception as exc:  # reported to the parent as data, not a traceback
        return [], f"{type(exc).__name__}: {exc}"
    return list(summaries), None


def forked_entry(conn: Any, target: Callable[..., ChildReport], args: tuple[Any, ...],
                 hard_timeout: float, daemon: tuple[int, float] | None = None) -> None:
    """Run in a child forked from the pre-loaded forkserver: report through `conn`.

    The child leads its own process group, so the parent can kill it and
    anything it started with one signal. `daemon` is (pid, start time) of
    the daemon that asked for it.
    """
    os.setsid()
    guard(hard_timeout, daemon)
    try:
        report = target(*args)
    except BaseException as exc:
        report = ([], f"{type(exc).__name__}: {exc}")
    try:
        conn.send(report)
        conn.close()
    except OSError:  # the daemon is gone; its successor redoes the work
        os._exit(EXIT_CRAWL_FAILED)
    if report[1] is not None:
        sys.exit(EXIT_CRAWL_FAILED)


def no_op() -> None:
    """What the warm-up child runs: nothing (the fork itself was the point)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.daemon.child")
    parser.add_argument("--config", default=None)
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--hard-timeout", type=float, default=0.0,
                        help="Seconds after which the child ends itself (0: none)")
    args = parser.parse_args(argv)
    guard(args.hard_timeout)
    summaries, error = crawl(args.config, tuple(args.source))
    out = sys.stdout
    for summary in summaries:
        out.write(SUMMARY_PREFIX + json.dumps(summary.to_dict(), default=str) + "\n")
    if error is not None:
        out.write(ERROR_PREFIX + json.dumps({"error": error}) + "\n")
    out.flush()
    return 0 if error is None else EXIT_CRAWL_FAILED


if __name__ == "__main__":
    sys.exit(main())
