"""How fast the web view's pages are with a big store: 100,000 articles, 5,000 alerts.

Fills a fresh store (SQLite by default, or PostgreSQL) with synthetic
articles (generated words, not corpus text), ten claims with their
observations, raids with their reports and alerts of both kinds, then runs
`compoundwatch serve` in a child process and fetches each page over HTTP:
one warm-up, then `--repeat` timed fetches. Prints median and worst time
per page against the 200 ms target, and each page's CPU time in-process
(through Starlette's test client), which a busy machine changes far less
than wall time.

    python bench/web_pages.py                       # 100,000 articles, 5,000 alerts
    python bench/web_pages.py --store postgresql
    python bench/web_pages.py --articles 10000 --alerts 500   # a quicker look
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import Engine, insert, select  # noqa: E402

from bench.measure import machine_load, print_table, reproduce_command  # noqa: E402
from store.db import make_engine, session_scope, upgrade  # noqa: E402
from store.models import (  # noqa: E402
    Alert,
    Article,
    Claim,
    FigureObservation,
    Raid,
    RaidReport,
    SeedDocument,
    Source,
)

TARGET_MS = 200.0
UTC = dt.timezone.utc
PROVINCES = ("Phnom Penh", "Preah Sihanouk", "Kampot", "Koh Kong", "Banteay Meanchey",
             "Oddar Meanchey", "Svay Rieng", "Kandal", "Pursat", "Battambang")
# Generated words: a synthetic vocabulary, so search has common and rare terms.
SYLLABLES = ("ka", "lo", "mi", "ra", "su", "te", "vo", "pa", "ne", "di", "ro", "ba", "chu", "sen")


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return sorted(words) + ["compound", "raid", "rescued", "complaints", "casino", "police"]


def paragraph(rng: random.Random, words: list[str], n: int) -> str:
    # Zipf-like: low indexes much more often, so some words are common, most rare.
    picks = [words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)] for _ in range(n)]
    return " ".join(picks).capitalize() + "."


def fill(engine: Engine, articles: int, alerts: int, seed: int) -> dict[str, Any]:
    """The synthetic store; returns ids and keys the pages will be asked for."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    start = dt.datetime(2022, 10, 1, tzinfo=UTC)
    with session_scope(engine) as session:
        sources = [Source(name=f"outlet-{i:02d}", url=f"http://outlet{i}.example/feed/",
                          kind="feed", created_at=start, last_success_at=start)
                   for i in range(20)]
        session.add_all(sources)
        seed_doc = SeedDocument(location="http://seed.example/", title="seed", text="seed",
                                content_hash="0" * 64, published=start, created_at=start)
        session.add(seed_doc)
        session.flush()
        claims = [Claim(seed_id=seed_doc.id, key=f"claim_{i}", value=100 * (i + 1),
                        measure=f"measure {i}", quote=f"quote {i}",
                        current_value=100 * (i + 1), created_at=start) for i in range(10)]
        session.add_all(claims)
        session.flush()
        source_ids = [s.id for s in sources]
        claim_ids = [c.id for c in claims]
    batch: list[dict[str, Any]] = []
    for i in range(articles):
        when = start + dt.timedelta(minutes=7 * i)
        body = "\n".join(paragraph(rng, words, rng.randint(25, 45)) for _ in range(6))
        batch.append({"url": f"http://outlet{i % 20}.example/{i}/", "source_id": source_ids[i % 20],
                      "title": paragraph(rng, words, 8)[:-1], "text": body, "published": when,
                      "language": "en", "relevant": i % 3 == 0, "relevance": 0.5,
                      "revision": 1, "needs_analysis": False, "fetched_at": when})
        if len(batch) == 5000 or i == articles - 1:
            with session_scope(engine) as session:
                session.execute(insert(Article), batch)
            batch = []
    with session_scope(engine) as session:
        article_ids = list(session.scalars(select(Article.id).order_by(Article.id)))
        rows_obs, rows_alert, raid_keys = [], [], []
        for n in range(alerts):
            article_id = article_ids[(n * 19) % len(article_ids)]
            when = start + dt.timedelta(hours=n)
            if n % 2 == 0:
                claim_id = claim_ids[n % 10]
                rows_obs += [{"claim_id": claim_id, "article_id": article_id, "value": 100 + n,
                              "qualifier": "=", "current": True, "quote": f"{100 + n} counted",
                              "outcome": "change", "created_at": when},
                             {"claim_id": claim_id, "article_id": article_ids[n], "value": 100 + n,
                              "qualifier": "=", "current": True, "quote": f"{100 + n} again",
                              "outcome": "corroboration", "created_at": when}]
                rows_alert.append({"kind": "figure_change", "dedup_key": f"f{n}",
                                   "article_id": article_id, "created_at": when,
                                   "enqueued_at": when, "payload": {
                                       "claim_key": f"claim_{n % 10}", "claim": "measure",
                                       "seed_value": 100, "previous_value": 99 + n,
                                       "new_value": 100 + n, "qualifier": "=",
                                       "quote": f"{100 + n} counted",
                                       "urls": [f"http://outlet{(n * 19) % 20}.example/x/"]}})
            else:
                key = f"raid-{n}"
                province = PROVINCES[n % len(PROVINCES)]
                raid_keys.append((key, province, when, article_id))
                rows_alert.append({"kind": "new_raid", "dedup_key": f"r{n}",
                                   "article_id": article_id, "created_at": when,
                                   "enqueued_at": when, "payload": {
                                       "raid_key": key, "location": province, "place": province,
                                       "date": when.date().isoformat(), "site": "a compound",
                                       "arrested": n % 90, "rescued": None,
                                       "quote": "police searched a compound", "urls": []}})
        session.execute(insert(FigureObservation), rows_obs)
        session.execute(insert(Alert), rows_alert)
        session.execute(insert(Raid), [{"key": k, "location": p, "place": p, "date": w.date(),
                                        "date_precision": "day", "site": "a compound",
                                        "arrested": 10, "nationalities": [], "from_seed": False,
                                        "first_article_id": a, "created_at": w}
                                       for k, p, w, a in raid_keys])
        raid_ids = dict(session.execute(select(Raid.key, Raid.id)).all())
        session.execute(insert(RaidReport), [{"raid_id": raid_ids[k], "article_id": a,
                                              "quote": "q", "created_at": w}
                                             for k, _, w, a in raid_keys])
    common = words[0]  # the Pareto draw picks low indexes most often
    rare = words[len(words) // 2]
    return {"article_id": article_ids[len(article_ids) // 2], "common": common, "rare": rare,
            "province": PROVINCES[1]}


def pages(info: dict[str, Any]) -> list[str]:
    return ["/", "/alerts", "/alerts?page=40", "/alerts?kind=new_raid&province=" +
            info["province"].replace(" ", "+"), "/alerts?claim=claim_3&since=2022-11-01",
            "/figures", "/figures/claim_3", "/raids", "/raids?province=Kampot",
            "/articles", f"/articles?q={info['rare']}", f"/articles?q={info['common']}",
            f"/articles?q=compound+{info['rare']}&relevant=yes", "/articles?page=500",
            f"/articles/{info['article_id']}", "/sources", "/export/alerts.json?kind=new_raid",
            "/export/figures.csv?claim=claim_3"]


def fetch_ms(url: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - t0) * 1000


def cpu_per_page(url: str, paths: list[str], repeat: int) -> dict[str, float]:
    """Median CPU ms per page, in this process through Starlette's test client:
    unlike wall time over HTTP, hardly changed by other work on the machine."""
    from starlette.testclient import TestClient

    from crawler.web.access import Access
    from crawler.web.app import build_app

    reader, writer = make_engine(url, reader=True), make_engine(url)
    out = {}
    try:
        with TestClient(build_app(reader, Access(loopback=True), writer),
                        base_url="http://127.0.0.1") as client:
            for path in paths:
                client.get(path)
                samples = []
                for _ in range(repeat):
                    t0 = time.process_time()
                    assert client.get(path).status_code == 200, path
                    samples.append((time.process_time() - t0) * 1000)
                out[path] = statistics.median(samples)
    finally:
        reader.dispose()
        writer.dispose()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--alerts", type=int, default=5_000)
    ap.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    from tests.support import postgres_database
    from tests.web.corpus_store import serving

    load_start = machine_load()
    work = Path(tempfile.mkdtemp(prefix="cw-web-bench-"))
    try:
        if args.store == "postgresql":
            context: Any = postgres_database()
        else:
            from contextlib import nullcontext
            context = nullcontext(f"sqlite:///{work / 'bench.db'}")
        with context as url:
            engine = make_engine(url)
            upgrade(engine)
            t0 = time.perf_counter()
            info = fill(engine, args.articles, args.alerts, args.seed)
            fill_s = time.perf_counter() - t0
            engine.dispose()
            config = work / "config.toml"
            config.write_text(f'[store]\nurl = "{url}"\n', encoding="utf-8")
            rows, worst_all, worst_cpu = [], 0.0, 0.0
            from tests.delivery.smtpd import free_port
            cpu = cpu_per_page(url, pages(info), args.repeat)
            with serving(config, free_port()) as base:
                for path in pages(info):
                    fetch_ms(base.rstrip("/") + path)  # warm-up (caches, first queries)
                    times = [fetch_ms(base.rstrip("/") + path) for _ in range(args.repeat)]
                    median, worst = statistics.median(times), max(times)
                    target = "" if path.startswith("/export") else (
                        "ok" if worst < TARGET_MS else "SLOW")
                    if not path.startswith("/export"):
                        worst_all = max(worst_all, worst)
                        worst_cpu = max(worst_cpu, cpu[path])
                    rows.append((path[:60], f"{median:.1f}", f"{worst:.1f}", f"{cpu[path]:.1f}",
                                 target))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"web pages, {args.store}: {args.articles:,} articles, {args.alerts:,} alerts "
          f"(filled in {fill_s:.0f} s); {args.repeat} fetches per page after a warm-up; "
          f"load {load_start} at start, {machine_load()} at end")
    print_table(["page", "median ms", "worst ms", "CPU ms", f"< {TARGET_MS:.0f} ms"], rows)
    print(reproduce_command(__file__))
    print(f"store={args.store} articles={args.articles} alerts={args.alerts} "
          f"worst_page_ms={worst_all:.1f} worst_page_cpu_ms={worst_cpu:.1f}")
    return 0 if worst_all < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
