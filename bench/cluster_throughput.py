"""Pages per second for one and for two crawl workers on the synthetic corpus.

    python bench/cluster_throughput.py [--articles 2000] [--workers 1,2]

For each worker count: a fresh PostgreSQL database and Redis key prefix,
newsreplay serving a synthetic corpus (`newsreplay.py synth`) with everything
revealed, the workers started and ready, then one pass of four outlets
queued (what the coordinator does on schedule): the feeds and the sitemap,
whose article pages are queued at once (the listing is left out: its pages
form a chain of round trips). The clock runs from the
queueing until every request is done (queue empty, nothing claimed, no
article stored for a while). Pages are the article pages newsreplay served
(its /stats); discovery documents are not counted.

Needs PostgreSQL and Redis on loopback (as the tests) and ../shared/tools.
Prints a table and a final `key=value` line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from redis import Redis  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.measure import reproduce_command  # noqa: E402
from crawler.cluster.coordinator import push_source  # noqa: E402
from crawler.spiders.base import SourceInfo  # noqa: E402
from store.config import load_config  # noqa: E402
from store.db import make_engine, session_scope  # noqa: E402
from store.models import Article, Source  # noqa: E402
from tests.cluster.harness import REDIS_URL, Proc, redis_prefix  # noqa: E402
from tests.support import NEWSREPLAY, Replay, postgres_database, run_replay  # noqa: E402

SETTLE_SECONDS = 3.0


def sources_toml(replay: Replay) -> str:
    o = replay.outlets
    rows = [("wire", o["wire"] + "/feed/", "feed"), ("daily", o["daily"] + "/atom.xml", "feed"),
            ("monitor", o["monitor"] + "/robots.txt", "sitemap"),
            ("zhdaily", o["zhdaily"] + "/rss.xml", "feed")]
    # No listing: its pages are followed one after another (a chain of
    # round trips that measures latency, whatever the number of workers).
    return "".join(f'\n[[sources]]\nname = "{n}"\nurl = "{u}"\nkind = "{k}"\nevery = "1d"\n'
                   for n, u, k in rows)


def write_config(root: Path, db_url: str, prefix: str, replay: Replay,
                 extraction_workers: int) -> Path:
    path = root / "config.toml"
    path.write_text(
        f'[store]\nurl = "{db_url}"\n[seed]\narticles = []\n'
        "[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n"
        f"extraction_workers = {extraction_workers}\n"
        "concurrency_per_host = 8\nmax_pages_per_source = 5000\nlisting_depth = 500\n"
        f'[cluster]\nredis_url = "{REDIS_URL}"\nkey_prefix = "{prefix}"\n'
        + sources_toml(replay))
    return path


def article_pages(replay: Replay) -> int:
    paths = {(r["outlet"], urlsplit(r["url"]).path) for r in replay.urls()}
    total = 0
    for outlet, data in replay.stats().get("outlets", {}).items():
        for path, statuses in data.get("paths", {}).items():
            if (outlet, path) in paths:
                total += sum(statuses.values())
    return total


def measure(corpus: Path, workers: int, root: Path, extraction_workers: int
            ) -> dict[str, float]:
    with run_replay(corpus, phase=1) as replay, postgres_database() as db_url, \
            redis_prefix() as prefix:
        config_path = write_config(root, db_url, prefix, replay, extraction_workers)
        init = subprocess.run([sys.executable, "-m", "crawler", "--config", str(config_path),
                               "init"], capture_output=True, text=True, cwd=REPO, timeout=300)
        if init.returncode != 0:
            raise SystemExit(f"init failed: {init.stderr[-2000:]}")
        config = load_config(str(config_path))
        engine = make_engine(config.database_url)
        redis = Redis.from_url(REDIS_URL)
        procs = [Proc(config_path, root / f"worker{workers}-{i}.log", "worker", "--id", f"b{i}")
                 for i in range(workers)]
        try:
            deadline = time.monotonic() + 120
            while sum("Spider opened" in p.log() for p in procs) < workers:
                if time.monotonic() > deadline or any(not p.alive() for p in procs):
                    raise SystemExit("a worker did not start:\n" + procs[0].log()[-2000:])
                time.sleep(0.2)
            with session_scope(engine) as s:
                sources = [SourceInfo(x.id, x.name, x.url, x.kind)
                           for x in s.scalars(select(Source))]
            replay.reset_stats()
            started = time.monotonic()
            for source in sources:
                push_source(engine, config, redis, source)
            last_count, last_change = -1, time.monotonic()
            while True:
                with session_scope(engine) as s:
                    count = s.scalar(select(func.count()).select_from(Article)) or 0
                busy = redis.zcard(f"{prefix}:requests") or any(
                    redis.hlen(k) for k in redis.scan_iter(match=f"{prefix}:claims:*"))
                now = time.monotonic()
                if count != last_count or busy:
                    last_count, last_change = count, now
                elif now - last_change > SETTLE_SECONDS:
                    break
                time.sleep(0.1)
            elapsed = last_change - started
            pages = article_pages(replay)
        finally:
            for p in procs:
                p.stop()
            redis.close()
            engine.dispose()
    return {"workers": workers, "pages": pages, "stored": last_count, "seconds": elapsed,
            "pages_per_second": pages / elapsed if elapsed > 0 else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--extraction-workers", type=int, default=1,
                        help="extraction processes per worker (crawl.extraction_workers)")
    args = parser.parse_args()
    counts = [int(x) for x in args.workers.split(",") if x]
    with tempfile.TemporaryDirectory(prefix="cw-bench-") as tmp:
        corpus = Path(tmp) / "synth"
        subprocess.run([sys.executable, str(NEWSREPLAY), "synth", "--articles",
                        str(args.articles), "--out", str(corpus), "--seed", "1", "--phases", "1"],
                       check=True, capture_output=True)
        rows = [measure(corpus, n, Path(tmp), args.extraction_workers) for n in counts]
    print(f"{'workers':>7} {'pages':>6} {'stored':>6} {'seconds':>8} {'pages/s':>8}")
    for r in rows:
        print(f"{r['workers']:>7} {r['pages']:>6} {r['stored']:>6} {r['seconds']:>8.1f} "
              f"{r['pages_per_second']:>8.1f}")
    print(f"reproduce: {reproduce_command(__file__)}")
    line = " ".join(f"workers_{r['workers']}_pages_per_second={r['pages_per_second']:.2f}"
                    for r in rows)
    if len(rows) >= 2 and rows[0]["pages_per_second"] > 0:
        line += f" speedup={rows[-1]['pages_per_second'] / rows[0]['pages_per_second']:.2f}"
    print(line)


if __name__ == "__main__":
    main()
