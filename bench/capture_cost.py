"""What the evidence archive costs a crawl: CPU per stored article with
capture (WARC records written, synced and pointed at) and without
(`[evidence] enabled = false`), each on a fresh database crawling the same
served phase, in alternating rounds so that drift of the machine's load
falls on both. Run by `bench/throughput.py` (`--capture-rounds`).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import print_table

# The budget: capture may make a crawl at most this much more costly.
TARGET_PCT = 5.0


@dataclass(frozen=True)
class CaptureRun:
    capture: bool
    articles: int
    crawl_cpu_ms: float  # per stored article: crawling process and extraction workers
    process_cpu_ms: float  # per stored article: the crawling process alone
    archive_bytes: int


def _archive_bytes(work: Path) -> int:
    return sum(p.stat().st_size for p in work.rglob("*.warc.gz"))


def compare_capture(work: Path, rounds: int, database: Callable[[], AbstractContextManager[str]],
                    write_config: Callable[[Path, str, bool], Path],
                    init: Callable[[Path], None],
                    crawl: Callable[[str, Path], Any]) -> list[CaptureRun]:
    """`rounds` pairs of first crawls (without capture, then with), each on a fresh database."""
    runs = []
    for i in range(rounds):
        for capture in (False, True):
            folder = work / f"capture-{'on' if capture else 'off'}-{i}"
            folder.mkdir()
            with database() as url:
                config = write_config(folder, url, capture)
                init(config)
                result = crawl(f"capture {'on' if capture else 'off'}", config)
            stored = max(result.stored["new"], 1)
            h = result.halves
            runs.append(CaptureRun(
                capture, result.stored["new"], h["crawl_cpu"] / stored * 1000,
                (h["crawl_cpu"] - result.timing["workers_cpu"]) / stored * 1000,
                _archive_bytes(folder)))
    return runs


def _median(runs: list[CaptureRun], capture: bool, field: str) -> float:
    return statistics.median(getattr(r, field) for r in runs if r.capture is capture)


def print_capture(runs: list[CaptureRun]) -> None:
    """The comparison as a table and one line against the budget."""
    if not runs:
        return
    print("\nEvidence capture (first crawl on a fresh database, median of "
          f"{len(runs) // 2} round(s))")
    print_table(("capture", "articles", "CPU ms/article", "crawling process ms/article",
                 "WARC MiB"),
                [("on" if r.capture else "off", r.articles, r.crawl_cpu_ms, r.process_cpu_ms,
                  r.archive_bytes / 2**20) for r in runs])
    pct = float(capture_figures(runs)["capture_cpu_pct"])
    verdict = "within" if pct <= TARGET_PCT else "OVER"
    print(f"capture costs {pct:+.1f} % CPU per article ({verdict} the {TARGET_PCT:g} % budget)")


def capture_figures(runs: list[CaptureRun]) -> dict[str, str]:
    """The comparison's key=value figures (none when it was skipped)."""
    if not runs:
        return {}
    off, on = _median(runs, False, "crawl_cpu_ms"), _median(runs, True, "crawl_cpu_ms")
    return {"capture_cpu_ms_per_article_off": f"{off:.2f}",
            "capture_cpu_ms_per_article_on": f"{on:.2f}",
            "capture_cpu_pct": f"{100 * (on - off) / off:.1f}"}
