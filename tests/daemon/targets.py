"""What test crawl children run instead of a crawl (imported by the forkserver's children)."""

from __future__ import annotations

import subprocess
import sys
import time

from crawler.passes.tally import SourceSummary

Report = tuple[list[SourceSummary], str | None]


def hang_with_worker(pidfile: str) -> Report:
    """A crawl that hangs after starting a worker of its own, as Scrapy's pools do."""
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    with open(pidfile, "w") as f:
        f.write(str(worker.pid))
    time.sleep(600)
    return [], None


def report(summaries: list[SourceSummary], error: str | None) -> Report:
    """A pass that ends at once with the given report."""
    return summaries, error


def crash() -> Report:
    """A child that dies without a word (a segfault, the OOM killer)."""
    import os

    os._exit(9)
