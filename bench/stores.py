"""The same first crawl on SQLite and on PostgreSQL: throughput of each.

One synthetic site (see bench/throughput.py) is served by nginx; each store
gets a fresh database and one pass of every source (bench/crawl_child.py:
the CLI's crawl, then its analysis, timed apart), measured the same way
(wall clock, CPU with children, peak memory of the tree). The rate is the
crawl's (fetch, extract, store); analysis is shown apart.

    python bench/stores.py                  # 5,000 articles
    python bench/stores.py --articles 1000  # a quicker look
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.measure import machine_load, print_table, reproduce_command, run_measured
from bench.site import BenchError
from bench.throughput import cli, crawl, database, prepare, write_config

STORES = ("sqlite", "postgresql")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000, help="articles to synthesise (5000)")
    ap.add_argument("--seed", type=int, default=1, help="synth random seed (1)")
    ap.add_argument("--workers", type=int, default=0, help="crawl.extraction_workers")
    args = ap.parse_args()
    command = reproduce_command(__file__)
    load_start = machine_load()
    work = Path(tempfile.mkdtemp(prefix="cw-stores-"))
    prep = None
    rows = []
    rates: dict[str, float] = {}
    try:
        prep = prepare(work, args.articles, args.seed)
        for store in STORES:
            store_dir = work / store
            store_dir.mkdir()
            with database(store) as url:
                config = write_config(store_dir, url, prep.before.layout, args.workers)
                init = run_measured(cli(config, "init"), cwd=str(REPO), sample=False)
                if init.returncode != 0:
                    raise BenchError(f"init on {store} failed: {init.stderr[-2000:]}")
                result = crawl(store, config, prep.site, prep.before)
            stored = result.stored["new"]
            h = result.halves
            rates[store] = stored / h["crawl_wall"]
            rows.append((store, stored, result.stored["failed"], h["crawl_wall"], rates[store],
                         h["crawl_cpu"] / max(stored, 1) * 1000, h["analysis_wall"],
                         result.run.wall, result.run.memory.peak_rss_mib))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if prep is not None:
            prep.site.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nThe same crawl per store ({len(prep.before.articles)} article pages)")
    print_table(("store", "articles", "failed", "crawl wall s", "articles/s", "CPU ms/article",
                 "analysis wall s", "whole wall s", "peak RSS MiB"), rows)
    print(f"\nmachine: {load_start} at start; {machine_load()} at end")
    print(f"reproduce: {command}")
    print(f"sqlite_articles_per_s={rates['sqlite']:.1f} "
          f"postgresql_articles_per_s={rates['postgresql']:.1f} "
          f"postgresql_to_sqlite={rates['postgresql'] / rates['sqlite']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
