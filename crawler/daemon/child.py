"""The crawl child: `python -m crawler.daemon.child [--config F] --source N ...`.

Why a child process per crawl: Twisted's reactor cannot be restarted in one
process, and a fresh process returns all its memory to the system when it
exits, so the daemon stays flat over months. The child only fetches,
extracts and stores (committing per article); the parent analyses.

It prints one line per source, `CW-SUMMARY {json}`, on stdout, and a final
`CW-ERROR {json}` line if the pass failed as a whole. It exits by itself if
its parent disappears (the daemon was killed) or after a hard time limit.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from typing import Any

SUMMARY_PREFIX = "CW-SUMMARY "
ERROR_PREFIX = "CW-ERROR "
EXIT_CRAWL_FAILED = 3


def _watch_parent(parent: int) -> None:
    # A daemon killed with -9 cannot kill its child; the child notices the
    # re-parenting and leaves, so no orphan crawl keeps writing.
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(EXIT_CRAWL_FAILED)


def _to_dict(summary: Any) -> dict[str, Any]:
    if hasattr(summary, "to_dict"):
        return dict(summary.to_dict())
    if isinstance(summary, dict):
        return summary
    return {"summary": str(summary)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.daemon.child")
    parser.add_argument("--config", default=None)
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--hard-timeout", type=float, default=0.0,
                        help="Seconds after which the child ends itself (0: none)")
    args = parser.parse_args(argv)

    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    if args.hard_timeout > 0:
        # A second line of defence behind the parent's own timeout.
        signal.signal(signal.SIGALRM, lambda *_: os._exit(EXIT_CRAWL_FAILED))
        signal.alarm(max(1, int(args.hard_timeout)))

    out = sys.stdout
    try:
        from crawler.runner import run_crawl
        from store.config import load_config

        config = load_config(args.config)
        summaries = run_crawl(config, tuple(args.source), progress=False)
    except Exception as exc:  # reported to the parent as data, not a traceback
        out.write(ERROR_PREFIX + json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        out.flush()
        return EXIT_CRAWL_FAILED
    for summary in summaries:
        out.write(SUMMARY_PREFIX + json.dumps(_to_dict(summary), default=str) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
