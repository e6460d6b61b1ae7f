"""Every newsreplay fault against the sitemap, listing and page kinds (the
feed kind is covered fault by fault in tests/crawler/test_crawl_faults.py).

Eight faults per crawl, each on its own replay server: there the monitor
sitemap, the portal listing and one wire article watched as a page all get
that fault, while the daily Atom feed of the first server stays healthy.
The crawl must finish, the healthy source must store its articles, each
faulty source must carry a clear error (or, for faults that cannot change
what the crawler reads, store the right articles), and the crawl's whole
process tree must stay under the memory bound.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.crawler.conftest import make_config
from tests.robustness.harness import (
    TREE_MEMORY_LIMIT_MB,
    CrawlOutcome,
    crawl_measured,
    sources_toml,
)
from tests.support import run_replay

pytestmark = pytest.mark.subprocess

KINDS = ("sitemap", "listing", "page")
FAULTS = ("status:500", "status:429", "slow:8", "drip", "reset", "redirect-loop",
          "redirect:file:///etc/passwd", "redirect:http://169.254.169.254/", "huge:6000000",
          "gzip-bomb", "xml-bomb", "xxe", "malformed", "wrong-charset", "binary", "empty")

# What each fault must produce on each kind: a regex the recorded error must
# match, or None when the fault leaves what the crawler reads intact (a
# charset swap of an ASCII sitemap) — then the articles must be stored.
EXPECTED: dict[str, str | None] = {
    "status:500": r"HTTP 500",
    "status:429": r"HTTP 429",
    "slow:8": r"timed out",
    "drip": r"timed out",
    "reset": r"connection lost|reset",
    "redirect-loop": r"too many redirects",
    "redirect:file:///etc/passwd": r"refused redirect to 'file:///etc/passwd'",
    "redirect:http://169.254.169.254/": r"refused .*169\.254\.169\.254",
    "huge:6000000": r"max size|too large|larger than|timed out",
    "gzip-bomb": r"max size|too large|larger than|timed out",
    "xml-bomb": r"entities|no article links",
    "xxe": r"entities|no article links",
    "malformed": r"malformed|truncated|not a readable|no article|connection refused",
    "wrong-charset": r"charset|declared|decod",
    "binary": r"binary|not a readable|not a text|charset|not a sitemap|no article links",
    "empty": r"empty|not a readable|not a sitemap",
}


UNNOTICED = {("wrong-charset", "sitemap"), ("wrong-charset", "listing"),
             ("malformed", "listing")}

# Faults per crawl: each fault gets its own replay server, so that one crawl
# process covers several faults (a crawl costs seconds of start-up).
PER_CRAWL = 8
ROUNDS = [FAULTS[i:i + PER_CRAWL] for i in range(0, len(FAULTS), PER_CRAWL)]


def _one_round(tmp: Path, faults: tuple[str, ...]) -> dict[str, RoundView]:
    with ExitStack() as stack:
        entries: list[tuple[str, str, str]] = []
        first = None
        for i, fault in enumerate(faults):
            replay = stack.enter_context(run_replay(phase=2))
            first = first or replay
            o = replay.outlets
            page_url = next(u["url"] for u in replay.urls() if u["outlet"] == "wire")
            replay.add_fault("monitor", "/sitemap.xml", fault)
            replay.add_fault("portal", "/category/cambodia/*", fault)
            replay.add_fault("wire", urlsplit(page_url).path, fault)
            entries += [(f"sitemap-{i}", o["monitor"] + "/robots.txt", "sitemap"),
                        (f"listing-{i}", o["portal"] + "/category/cambodia/", "listing"),
                        (f"page-{i}", page_url, "page")]
        assert first is not None
        entries.append(("daily", first.outlets["daily"] + "/atom.xml", "feed"))
        config = make_config(tmp, first, sources_toml(entries),
                             timeout_seconds=5.0, retries=0, max_response_bytes=1_000_000)
        out = crawl_measured(config)
    return {fault: RoundView(out, i) for i, fault in enumerate(faults)}


@dataclass
class RoundView:
    """One fault's share of a crawl: its three sources are `KIND-index`."""

    crawl: CrawlOutcome
    index: int

    def summary(self, kind: str) -> dict[str, Any]:
        return self.crawl.summaries[f"{kind}-{self.index}"]

    def source(self, kind: str) -> dict[str, Any]:
        return self.crawl.sources[f"{kind}-{self.index}"]

    def articles(self, kind: str) -> int:
        return self.crawl.articles[f"{kind}-{self.index}"]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RoundView]:
    """Every fault crawled once, PER_CRAWL faults a crawl, one crawl at a time."""
    views: dict[str, RoundView] = {}
    for faults in ROUNDS:
        views.update(_one_round(tmp_path_factory.mktemp("kind"), faults))
    return views


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fault", FAULTS)
def test_a_replay_fault_on_a_source_of_each_kind_is_recorded_and_spares_the_healthy_feed(
    outcomes: dict[str, RoundView], fault: str, kind: str
) -> None:
    view = outcomes[fault]
    out = view.crawl
    healthy = out.summaries["daily"]
    assert healthy["error"] is None and healthy["new"] == out.articles["daily"] > 0, (
        healthy, out.run.stderr[-2000:])
    row = view.summary(kind)
    expected = EXPECTED[fault]
    if row["error"] is None:
        # Only a fault that leaves the links readable may pass unnoticed (a
        # charset swap of ASCII, a truncated listing parsed leniently), and
        # then the source must have stored articles.
        assert (fault, kind) in UNNOTICED and view.articles(kind) > 0, row
    else:
        assert expected and re.search(expected, row["error"], re.IGNORECASE), row["error"]
        assert view.source(kind)["last_error"] == row["error"]
        assert view.source(kind)["consecutive_failures"] == 1
    assert out.run.peak_tree_mb < TREE_MEMORY_LIMIT_MB


def test_every_fault_round_finishes_in_bounded_time_and_memory(
        outcomes: dict[str, RoundView]) -> None:
    """Prints the figures docs/robustness.md quotes (seconds, peak memory of
    the crawl's process tree, errors) and bounds each crawl's duration."""
    for fault, view in outcomes.items():
        run = view.crawl.run
        errs = {k: (view.summary(k)["error"] or "-").split(": ", 1)[-1][:80] for k in KINDS}
        print(f"FIGURES {fault}: {run.seconds:.1f}s peak={run.peak_tree_mb:.0f}MB "
              f"daily_new={view.crawl.summaries['daily']['new']} {errs}")
        assert run.seconds < 120
    assert max(v.crawl.run.peak_tree_mb for v in outcomes.values()) < TREE_MEMORY_LIMIT_MB
