"""Source kinds through the CLI: `auto` detection, single pages re-checked,
the summary table, `--source`, the pass time limit and the user agent."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from crawler.passes.settings import scrapy_settings
from store.config import CrawlConfig
from store.db import make_engine, session_scope
from store.models import Source
from tests.crawler.conftest import CLI, crawl_cli, db_url, make_config
from tests.support import Replay, run_replay

pytestmark = pytest.mark.subprocess


def _sources(entries: list[tuple[str, str, str]]) -> str:
    return "".join(f'\n[[sources]]\nname = "{n}"\nurl = "{u}"\nkind = "{k}"\n'
                   for n, u, k in entries)


def _auto_sources(replay: Replay, article: str) -> str:
    o = replay.outlets
    return _sources([
        ("wire", o["wire"] + "/feed/", "auto"),
        ("daily", o["daily"] + "/atom.xml", "auto"),
        ("monitor", o["monitor"] + "/robots.txt", "auto"),
        ("portal", o["portal"] + "/category/cambodia/", "auto"),
        ("zhdaily", o["zhdaily"] + "/rss.xml", "auto"),
        ("one-page", article, "page"),
    ])


@pytest.fixture(scope="module")
def auto_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with run_replay(phase=1) as replay:
        article = next(r["url"] for r in replay.urls() if r["outlet"] == "daily")
        config = make_config(tmp_path_factory.mktemp("auto"), replay,
                             _auto_sources(replay, article))
        first = crawl_cli(config, cli=True).summaries
        before = replay.stats()
        second = crawl_cli(config, ["one-page"]).summaries
        after = replay.stats()
    engine = make_engine(db_url(config))
    with session_scope(engine) as session:
        kinds = {s.name: s.detected_kind for s in session.scalars(select(Source))}
    engine.dispose()
    path = urlsplit(article).path
    page = {status: n - before["outlets"]["daily"]["paths"].get(path, {}).get(status, 0)
            for status, n in after["outlets"]["daily"]["paths"][path].items()}
    return {"first": first, "second": second, "kinds": kinds, "config": config,
            "page_requests": {k: n for k, n in page.items() if n}}


def test_auto_sources_are_detected_as_what_they_serve(auto_run: dict[str, Any]) -> None:
    assert auto_run["kinds"] == {"wire": "feed", "daily": "feed", "monitor": "sitemap",
                                 "portal": "listing", "zhdaily": "feed", "one-page": "page"}
    for row in auto_run["first"].values():
        assert row["error"] is None, row
    assert all(auto_run["first"][n]["new"] > 0 for n in ("wire", "daily", "monitor", "zhdaily"))


def test_a_page_source_is_rechecked_with_a_conditional_get(auto_run: dict[str, Any]) -> None:
    assert set(auto_run["second"]) == {"one-page"}
    row = auto_run["second"]["one-page"]
    assert (row["new"], row["updated"], row["unchanged"], row["failed"]) == (0, 0, 1, 0)
    assert auto_run["page_requests"] == {"304": 1}


def test_an_unknown_source_name_is_a_usage_error(auto_run: dict[str, Any]) -> None:
    proc = subprocess.run([*CLI, "--config", str(auto_run["config"]), "crawl", "--source",
                           "nope"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "no source named 'nope'" in proc.stderr


def test_the_summary_table_lists_each_source(tmp_path: Path) -> None:
    with run_replay(phase=1) as replay:
        o = replay.outlets
        config = make_config(tmp_path, replay, _sources([("wire", o["wire"] + "/feed/", "feed")]))
        proc = subprocess.run([*CLI, "--config", str(config), "crawl"], check=False,
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for column in ("source", "fetched", "new", "updated", "unchanged", "failed", "wire"):
        assert column in proc.stdout


@pytest.mark.slow
def test_the_whole_pass_stops_at_its_time_limit(tmp_path: Path) -> None:
    with run_replay(phase=1) as replay:
        replay.add_fault("wire", "/feed/", "slow:40")
        o = replay.outlets
        config = make_config(tmp_path, replay, _sources([
            ("wire", o["wire"] + "/feed/", "feed"), ("daily", o["daily"] + "/atom.xml", "feed")]),
            timeout_seconds=60.0, crawl_timeout_seconds=4.0)
        run = crawl_cli(config)
    assert "time limit" in (run.summaries["wire"]["error"] or "")
    assert run.summaries["daily"]["new"] > 0
    assert run.seconds < 35


def test_the_user_agent_names_the_project_and_the_contact_url() -> None:
    ua = scrapy_settings(CrawlConfig(contact_url="https://news.example/about"))["USER_AGENT"]
    assert ua.startswith("compoundwatch/") and "https://news.example/about" in ua
