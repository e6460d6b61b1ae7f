"""End-to-end crawl throughput against bare extraction, then cheap re-crawls.

A synthetic corpus (`newsreplay.py synth`, 100 phases so that the last one
adds about 1 % of the articles) is rendered at its last-but-one phase and
served by nginx on loopback. `compoundwatch crawl` discovers the articles
through its sources (feeds, robots.txt and sitemaps, listing pagination,
archive sitemaps) into a fresh database; then `bench/bare_extract.py`
extracts the same article files one after another in one process. Both are
child processes, so their CPU (user + system, their own children included)
comes from getrusage(RUSAGE_CHILDREN); the crawl's memory is the peak over
its process tree (psutil). Then a second crawl with nothing new (expected:
no article fetched, every feed, sitemap and listing answered 304), and a
third after the last phase is served (expected: only the new and revised
article pages fetched). nginx's access log counts the requests.

    python bench/throughput.py                      # 5,000 articles, SQLite
    python bench/throughput.py --store postgresql   # the same on PostgreSQL
    python bench/throughput.py --articles 300       # a quick look

Then the evidence archive's cost (bench/capture_cost.py): first crawls on
fresh databases with and without capture, `--capture-rounds` pairs (0: skip).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.capture_cost import capture_figures, compare_capture, print_capture
from bench.measure import ChildRun, machine_load, print_table, reproduce_command, run_measured
from bench.site import (
    BenchError,
    NginxSite,
    Rendered,
    Requests,
    free_port_block,
    render_phase,
    run_tool,
    sources_toml,
)

PHASES = 100


@dataclass
class Crawl:
    """One measured crawl pass and what nginx saw of it."""

    name: str
    run: ChildRun
    requests: Requests
    stored: dict[str, int]
    timing: dict[str, float]

    @property
    def articles_fetched(self) -> int:
        return sum(n for s, n in self.requests.articles.items() if s == "200")

    @property
    def halves(self) -> dict[str, float]:
        """Wall and CPU of the crawl half (start-up included) and of analysis."""
        b = self.timing
        return {"crawl_wall": b["import_wall"] + b["crawl_wall"],
                "crawl_cpu": b["import_cpu"] + b["crawl_cpu"],
                "analysis_wall": b["analysis_wall"], "analysis_cpu": b["analysis_cpu"]}


@contextlib.contextmanager
def database(store: str) -> Iterator[str]:
    """A fresh database URL for `store` (sqlite or postgresql), dropped afterwards."""
    if store == "postgresql":
        from tests.support import postgres_database

        with postgres_database() as url:
            yield url
    else:
        yield "sqlite:///bench.db"


def write_config(work: Path, store_url: str, layout: dict[str, str], workers: int,
                 capture: bool = True) -> Path:
    config = work / "config.toml"
    config.write_text(
        f'[store]\nurl = "{store_url}"\n\n'
        "[crawl]\nallow_private_addresses = true\nobey_robots_txt = true\n"
        "download_delay = 0.0\nautothrottle = false\nconcurrency_per_host = 16\n"
        "max_pages_per_source = 20000\nlisting_depth = 150\ncrawl_timeout_seconds = 3600.0\n"
        f"timeout_seconds = 30.0\nretries = 1\nextraction_workers = {workers}\n\n"
        "[email]\nenabled = false\n"
        f"[evidence]\nenabled = {'true' if capture else 'false'}\n" + sources_toml(layout),
        encoding="utf-8")
    return config


def cli(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crawler", "--config", str(config), *args]


def crawl(name: str, config: Path, site: NginxSite, rendered: Rendered) -> Crawl:
    site.mark()
    run = run_measured([sys.executable, str(REPO / "bench" / "crawl_child.py"), str(config)],
                       cwd=str(REPO))
    if run.returncode != 0:
        raise BenchError(f"the {name} crawl failed ({run.returncode}): {run.stderr[-3000:]}")
    timing = next(r["bench"] for r in run.rows if "bench" in r)
    rows = [r for r in run.rows if "source" in r]
    stored = {k: sum(int(r.get(k) or 0) for r in rows)
              for k in ("fetched", "new", "updated", "unchanged", "failed")}
    errors = [f"{r['source']}: {r['error']}" for r in rows if r.get("error")]
    for line in errors[:5]:
        print(f"  [{name}] {line[:300]}", file=sys.stderr)
    return Crawl(name, run, site.requests_since_mark(rendered), stored, timing)


def bare(rendered: Rendered) -> tuple[ChildRun, dict]:
    run = run_measured([sys.executable, str(REPO / "bench" / "bare_extract.py"),
                        str(rendered.root)], cwd=str(REPO))
    if run.returncode != 0:
        raise BenchError(f"bare extraction failed: {run.stderr[-2000:]}")
    return run, run.rows[-1]


@dataclass
class Prepared:
    work: Path
    corpus: Path
    before: Rendered
    after: Rendered
    site: NginxSite


def prepare(work: Path, articles: int, seed: int) -> Prepared:
    """Synthesise, render the last two phases, start nginx on the first of them."""
    corpus = work / "corpus"
    run_tool("synth", "--articles", str(articles), "--out", str(corpus), "--seed", str(seed),
             "--phases", str(PHASES))
    port = free_port_block(5)
    before = render_phase(corpus, PHASES - 1, work / f"phase{PHASES - 1}", port)
    after = render_phase(corpus, PHASES, work / f"phase{PHASES}", port)
    site = NginxSite(work, port, work / "live")
    site.start(before)
    return Prepared(work, corpus, before, after, site)


def changed_pages(before: Rendered, after: Rendered) -> tuple[set[str], set[str]]:
    """(new article URLs, revised article URLs) between two phases."""
    old = before.file_of()
    new = set(after.articles) - set(before.articles)
    revised = {u for u, f in after.file_of().items()
               if u in before.articles and old[u]["etag"] != f["etag"]}
    return new, revised


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000, help="articles to synthesise (5000)")
    ap.add_argument("--seed", type=int, default=1, help="synth random seed (1)")
    ap.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--workers", type=int, default=0,
                    help="crawl.extraction_workers (0: one per core)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--capture-rounds", type=int, default=1,
                    help="pairs of crawls with and without the evidence archive (1; 0: skip)")
    ap.add_argument("--capture-only", action="store_true",
                    help="only the with/without-capture comparison")
    args = ap.parse_args()
    command = reproduce_command(__file__)
    work = Path(tempfile.mkdtemp(prefix="cw-throughput-"))
    load_start = machine_load()
    try:
        prep = prepare(work, args.articles, args.seed)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
        return 1
    try:
        if not args.capture_only:
            main_run = throughput_run(args, prep)
        captures = compare_capture(
            work, args.capture_rounds, lambda: database(args.store),
            lambda folder, url, on: write_config(folder, url, prep.before.layout, args.workers,
                                                 on),
            init_database, lambda name, cfg: crawl(name, cfg, prep.site, prep.before))
        if not args.capture_only:
            report(args, command, load_start, prep, *main_run, capture_figures(captures))
        print_capture(captures)
        if args.capture_only:
            print(f"\nmachine: {load_start} at start; {machine_load()} at end")
            print(f"reproduce: {command}")
            print(" ".join(f"{k}={v}" for k, v in capture_figures(captures).items()))
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        prep.site.stop()
        if args.keep:
            print(f"work folder: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def init_database(config: Path) -> None:
    init = run_measured(cli(config, "init"), cwd=str(REPO), sample=False)
    if init.returncode != 0:
        raise BenchError(f"init failed: {init.stderr[-2000:]}")


def throughput_run(args: argparse.Namespace, prep: Prepared) -> tuple[Any, ...]:
    """The first crawl, bare extraction and the two re-crawls (see the docstring)."""
    with database(args.store) as url:
        config = write_config(prep.work, url, prep.before.layout, args.workers)
        init_database(config)
        first = crawl("first", config, prep.site, prep.before)
        bare_run, bare_out = bare(prep.before)
        again = crawl("again", config, prep.site, prep.before)
        prep.site.show(prep.after)
        new_urls, revised = changed_pages(prep.before, prep.after)
        step = crawl("new phase", config, prep.site, prep.after)
    prep.site.show(prep.before)
    return first, bare_run, bare_out, again, step, new_urls, revised


def report(args: argparse.Namespace, command: str, load_start: str, prep: Prepared,
           first: Crawl, bare_run: ChildRun, bare_out: dict, again: Crawl, step: Crawl,
           new_urls: set[str], revised: set[str], capture: dict[str, str]) -> None:
    pages = first.articles_fetched
    stored = max(first.stored["new"], 1)
    bare_pages = int(bare_out["pages"])
    h = first.halves
    bare_rate = bare_pages / bare_run.wall
    bare_cpu = bare_run.cpu / max(bare_pages, 1)
    crawl_rate = stored / h["crawl_wall"]
    crawl_cpu = h["crawl_cpu"] / stored
    total_rate = stored / first.run.wall
    total_cpu = first.run.cpu / stored
    mem = first.run.memory
    print(f"\nThroughput: {len(prep.before.articles)} article pages served by nginx "
          f"({args.store}, extraction_workers={args.workers or os.cpu_count()})")
    print_table(
        ("run", "articles", "wall s", "articles/s", "CPU s", "CPU ms/article"),
        [("crawl: fetch+extract+store", stored, h["crawl_wall"], crawl_rate, h["crawl_cpu"],
          crawl_cpu * 1000),
         ("  of which the crawling process", stored, "", "",
          h["crawl_cpu"] - first.timing["workers_cpu"],
          (h["crawl_cpu"] - first.timing["workers_cpu"]) / stored * 1000),
         ("  of which the extraction workers", stored, "", "", first.timing["workers_cpu"],
          first.timing["workers_cpu"] / stored * 1000),
         ("analysis after the crawl", first.timing["analysed"], h["analysis_wall"],
          first.timing["analysed"] / max(h["analysis_wall"], 1e-9), h["analysis_cpu"],
          h["analysis_cpu"] / max(first.timing["analysed"], 1) * 1000),
         ("whole `crawl` process", stored, first.run.wall, total_rate, first.run.cpu,
          total_cpu * 1000),
         ("bare extraction, 1 process", bare_pages, bare_run.wall, bare_rate, bare_run.cpu,
          bare_cpu * 1000)])
    print(f"crawl: {pages} article pages fetched (nginx 200s), {first.stored['new']} articles "
          f"stored, {first.stored['failed']} failures; feed/sitemap/listing requests "
          f"{_statuses(first.requests.discovery)}, robots.txt {_statuses(first.requests.robots)}"
          f"; peak memory of the process tree: RSS sum {mem.peak_rss_mib:.0f} MiB, PSS sum "
          f"{mem.peak_pss_mib:.0f} MiB ({mem.peak_processes} processes; peak RSS of the crawling "
          f"process {first.timing['crawl_maxrss_mib']:.0f} MiB, of the largest worker "
          f"{first.timing['worker_maxrss_mib']:.0f} MiB)")
    print("\nRe-crawls")
    print_table(
        ("pass", "wall s", "% of first", "article 200s", "article 304s",
         "feed/sitemap/listing", "new", "revised"),
        [("nothing new", again.run.wall, 100 * again.run.wall / first.run.wall,
          again.articles_fetched, again.requests.articles.get("304", 0),
          _statuses(again.requests.discovery), again.stored["new"], again.stored["updated"]),
         ("+1 phase", step.run.wall, 100 * step.run.wall / first.run.wall,
          step.articles_fetched, step.requests.articles.get("304", 0),
          _statuses(step.requests.discovery), step.stored["new"], step.stored["updated"])])
    fetched_paths = set(step.requests.article_paths)
    expected = {_path(u) for u in new_urls | revised}
    extra = fetched_paths - expected
    missed = expected - fetched_paths
    repeats = sum(n - 1 for n in step.requests.article_paths.values() if n > 1)
    print(f"+1 phase: {len(new_urls)} new and {len(revised)} revised article pages served; "
          f"fetched {len(fetched_paths)} distinct ({repeats} fetched twice), "
          f"{len(extra)} not new or revised, {len(missed)} missed")
    print(f"\nmachine: {load_start} at start; {machine_load()} at end")
    print(f"reproduce: {command}")
    non304 = sum(n for s, n in again.requests.discovery.items() if s != "304")
    print(" ".join(f"{k}={v}" for k, v in {
        "articles": first.stored["new"],
        "crawl_articles_per_s": f"{crawl_rate:.1f}",
        "bare_articles_per_s": f"{bare_rate:.1f}",
        "crawl_cpu_ms_per_article": f"{crawl_cpu * 1000:.2f}",
        "bare_cpu_ms_per_article": f"{bare_cpu * 1000:.2f}",
        "crawl_process_cpu_ms_per_article":
            f"{(h['crawl_cpu'] - first.timing['workers_cpu']) / stored * 1000:.2f}",
        "workers_cpu_ms_per_article": f"{first.timing['workers_cpu'] / stored * 1000:.2f}",
        "cpu_per_article_ratio": f"{crawl_cpu / bare_cpu:.2f}",
        "wall_rate_ratio": f"{crawl_rate / bare_rate:.2f}",
        "cpu_per_article_ratio_with_analysis": f"{total_cpu / bare_cpu:.2f}",
        "wall_rate_ratio_with_analysis": f"{total_rate / bare_rate:.2f}",
        "peak_rss_mib": f"{mem.peak_rss_mib:.0f}",
        "peak_pss_mib": f"{mem.peak_pss_mib:.0f}",
        "recrawl_article_fetches": again.articles_fetched,
        "recrawl_discovery_non304": non304,
        "recrawl_wall_pct": f"{100 * again.run.wall / first.run.wall:.1f}",
        "phase_new": len(new_urls), "phase_revised": len(revised),
        "phase_fetched": len(fetched_paths), "phase_extra": len(extra),
        "phase_missed": len(missed), "store": args.store, **capture,
    }.items()))


def _statuses(counter: object) -> str:
    items = sorted(dict(counter).items())  # type: ignore[call-overload]
    return " ".join(f"{s}x{n}" for s, n in items) or "-"


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


if __name__ == "__main__":
    sys.exit(main())
