"""Hostile content served by the test itself (tests/servers/hostile_site.py),
crawled in one `compoundwatch crawl --json` pass (fetch, extract, analyse)
next to a healthy replay feed. Each source must end with bounded work and,
where the content is unusable, a clear error; the healthy source must store
its articles; the crawl's whole process tree must stay under the bound."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.crawler.conftest import make_config
from tests.daemon.helpers import cli
from tests.robustness.harness import TREE_MEMORY_LIMIT_MB, TreeRun, run_measured, sources_toml
from tests.servers.hostile_site import HostileSite, serve_hostile_site
from tests.support import run_replay

# The whole module is one crawl of about 35-90 s: run in CI and with --run-slow.
pytestmark = [pytest.mark.slow, pytest.mark.subprocess]

MAX_PAGES = 40
LISTING_DEPTH = 5


@dataclass
class HostileCrawl:
    site: HostileSite
    run: TreeRun
    summaries: dict[str, dict[str, Any]]
    articles: list[dict[str, Any]]
    status: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCrawl]:
    tmp = tmp_path_factory.mktemp("hostile")
    with serve_hostile_site() as site, run_replay(phase=1) as replay:
        b = site.base
        sources = sources_toml([
            ("healthy", replay.outlets["daily"] + "/atom.xml", "feed"),
            ("big-feed", b + "/big-feed.xml", "feed"),
            ("self-sitemap", b + "/sitemap-self.xml", "sitemap"),
            ("twice-sitemap", b + "/sitemap-twice.xml", "sitemap"),
            ("endless", b + "/endless/", "listing"),
            ("nested", b + "/nested.html", "page"),
            ("one-line", b + "/one-line.html", "page"),
            ("hostile-feed", b + "/hostile-feed.xml", "feed"),
        ])
        config = make_config(tmp, replay, sources, max_pages_per_source=MAX_PAGES,
                             listing_depth=LISTING_DEPTH, max_response_bytes=10_000_000,
                             timeout_seconds=30.0, extraction_timeout_seconds=20.0)
        run = run_measured([sys.executable, "-m", "crawler", "--config", str(config),
                            "crawl", "--json"], timeout=280)
        assert run.returncode == 0, run.stderr[-3000:]
        summaries = {r["source"]: r for r in map(json.loads, run.stdout.splitlines())}
        listed = cli(config, "articles", "--json")
        assert listed.returncode == 0, listed.stderr
        status = cli(config, "status", "--json")
        assert status.returncode == 0, status.stderr
        rows = [json.loads(line) for line in status.stdout.splitlines()]
        yield HostileCrawl(site, run, summaries,
                           [json.loads(line) for line in listed.stdout.splitlines()],
                           {r["name"]: r for r in rows if r.get("record") == "source"})
    print(f"FIGURES hostile crawl: {run.seconds:.1f}s peak={run.peak_tree_mb:.0f}MB "
          f"summaries={summaries}")


def test_the_healthy_source_stores_its_articles_beside_hostile_ones(hostile: HostileCrawl) -> None:
    row = hostile.summaries["healthy"]
    assert row["error"] is None and row["new"] > 0, row


def test_the_whole_crawl_stays_under_the_memory_bound_and_finishes(hostile: HostileCrawl) -> None:
    assert hostile.run.peak_tree_mb < TREE_MEMORY_LIMIT_MB
    assert hostile.run.seconds < 240
    assert "Traceback" not in hostile.run.stderr, hostile.run.stderr[-3000:]


def test_a_feed_of_20000_items_is_read_but_only_the_page_budget_is_fetched(
        hostile: HostileCrawl) -> None:
    row = hostile.summaries["big-feed"]
    assert 0 < row["new"] <= MAX_PAGES - 1, row
    assert hostile.site.count("/story/big-feed-item-") <= MAX_PAGES - 1


def test_a_sitemap_index_that_points_at_itself_is_not_followed_forever(
        hostile: HostileCrawl) -> None:
    assert hostile.site.count("/sitemap-self.xml") <= 4
    row = hostile.summaries["self-sitemap"]
    assert row["new"] == 0
    assert row["error"] and re.search(r"loop|itself|already", row["error"]), row


def test_a_sitemap_index_naming_one_child_twice_is_no_loop_and_fetches_it_once(
        hostile: HostileCrawl) -> None:
    row = hostile.summaries["twice-sitemap"]
    assert row["error"] is None and row["new"] == 1, row
    assert hostile.site.count("/sitemap-urls.xml") == 1


def test_a_listing_whose_pagination_never_ends_stops_at_the_listing_depth(
        hostile: HostileCrawl) -> None:
    assert hostile.site.count("/endless/") == LISTING_DEPTH
    row = hostile.summaries["endless"]
    assert row["new"] <= LISTING_DEPTH, row


def test_an_article_of_200000_nested_divs_ends_with_an_article_or_a_clear_error(
        hostile: HostileCrawl) -> None:
    row = hostile.summaries["nested"]
    assert row["new"] == 1 or (row["error"] and re.search(
        r"extract|too deep|time limit|no article|unparseable|timed out", row["error"])), row


def test_a_page_of_50_mb_on_one_line_is_refused_by_the_size_limit(hostile: HostileCrawl) -> None:
    row = hostile.summaries["one-line"]
    assert row["new"] == 0
    assert row["error"] and re.search(r"too large|max size|larger than|cancel", row["error"]), row
    assert hostile.status["one-line"]["last_error"] == row["error"]


def test_hostile_titles_bodies_dates_and_numbers_are_stored_and_listed_as_json(
        hostile: HostileCrawl) -> None:
    row = hostile.summaries["hostile-feed"]
    assert row["new"] == 3, row
    by_url = {a["url"].rsplit("/", 1)[-1]: a for a in hostile.articles}
    title = by_url["hostile-article-page-here"]["title"]
    assert "Raid in Sihanoukville" in title
    assert "\x00" not in title and "\r" not in title and "\n" not in title
    # Year 1 and 9999 are not publication dates: read as unknown, or (RFC 822
    # "0001", by Python's two-digit-year rule) as 2001 — never a crash.
    for slug in ("year-one-article-page-here", "year-9999-article-page-here"):
        published = by_url[slug]["published"]
        assert published is None or 1900 <= int(published[:4]) < 2200, by_url[slug]
