"""What `compoundwatch crawl` does, with its two halves timed apart.

    python bench/crawl_child.py CONFIG

Runs `crawler.passes.runner.run_crawl` (fetch, extract in the worker pool, store),
then `alerts.followup.follow_up` (analysis, alerts) — the same calls as the
CLI's `crawl` — and prints each source's summary as a JSON line, then one
`{"bench": ...}` line with wall and CPU seconds (this process and its
reaped children) of each half, and the extraction workers' share of the
crawl's CPU. The caller measures the whole process too.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def cpu() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def children_cpu() -> float:
    """CPU seconds of reaped children only: the extraction workers and their
    forkserver (run_crawl stops and reaps it before returning)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def main() -> int:
    started, cpu_start = time.monotonic(), cpu()
    from alerts.followup import follow_up
    from crawler.passes.runner import run_crawl
    from store.config import load_config
    from store.db import make_engine

    config = load_config(sys.argv[1])
    imported, cpu_imported = time.monotonic(), cpu()
    kids_before = children_cpu()
    summaries = run_crawl(config)
    crawled, cpu_crawled = time.monotonic(), cpu()
    workers_cpu = children_cpu() - kids_before
    engine = make_engine(config.database_url)
    try:
        result = follow_up(engine, config)
    finally:
        engine.dispose()
    done, cpu_done = time.monotonic(), cpu()
    for summary in summaries:
        print(json.dumps(summary.to_dict()))
    print(json.dumps({"bench": {
        "import_wall": imported - started, "import_cpu": cpu_imported - cpu_start,
        "crawl_wall": crawled - imported, "crawl_cpu": cpu_crawled - cpu_imported,
        "workers_cpu": workers_cpu,
        # Peak resident set of this process, and of the largest reaped child.
        "crawl_maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_maxrss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "analysis_wall": done - crawled, "analysis_cpu": cpu_done - cpu_crawled,
        "analysed": result.analysis.analysed, "relevant": result.analysis.relevant,
        "alerts": result.alerts_raised,
    }}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
