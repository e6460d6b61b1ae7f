"""Each replay fault on one source: the crawl finishes, the other source's
articles are stored, memory stays bounded, and the faulty source carries a
clear error (in the summary and on the source row)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from store.db import make_engine, session_scope
from store.models import Article, Source
from tests.crawler.conftest import CrawlRun, crawl_cli, db_url, make_config
from tests.support import run_replay

pytestmark = pytest.mark.subprocess

MEMORY_LIMIT_MB = 400

FEEDS = {"wire": "/feed/", "daily": "/atom.xml", "zhdaily": "/rss.xml"}
ARTICLES = {"wire": "/20*", "daily": "/news/*", "zhdaily": "/a/*"}

# Rounds of one crawl each: a fault on each feed outlet (its feed, or its article
# pages), while monitor and portal stay healthy. (outlet, fault, path, error).
ROUNDS: list[list[tuple[str, str, str, str]]] = [
    [("wire", "status:500", FEEDS["wire"], r"HTTP 500"),
     ("daily", "status:429", FEEDS["daily"], r"HTTP 429"),
     ("zhdaily", "reset", FEEDS["zhdaily"], r"connection lost|reset")],
    [("wire", "slow:8", FEEDS["wire"], r"timed out"),
     ("daily", "drip", FEEDS["daily"], r"timed out"),
     ("zhdaily", "redirect-loop", FEEDS["zhdaily"], r"too many redirects")],
    [("wire", "redirect:file:///etc/passwd", FEEDS["wire"],
      r"refused redirect to 'file:///etc/passwd'"),
     ("daily", "redirect:http://169.254.169.254/", FEEDS["daily"],
      r"refused .*169\.254\.169\.254"),
     ("zhdaily", "xml-bomb", FEEDS["zhdaily"], r"declares entities")],
    [("wire", "huge:6000000", FEEDS["wire"], r"max size|too large|timed out"),
     ("daily", "gzip-bomb", FEEDS["daily"], r"max size|too large|larger than|timed out"),
     ("zhdaily", "xxe", FEEDS["zhdaily"], r"declares entities")],
    [("wire", "wrong-charset", FEEDS["wire"], r"declared|charset"),
     ("daily", "malformed", FEEDS["daily"], r"malformed feed"),
     ("zhdaily", "binary", FEEDS["zhdaily"], r"not a readable feed")],
    [("wire", "empty", FEEDS["wire"], r"not a readable feed"),
     ("daily", "malformed", ARTICLES["daily"], r"truncated or malformed"),
     ("zhdaily", "status:500", ARTICLES["zhdaily"], r"HTTP 500")],
    [("wire", "binary", ARTICLES["wire"], r"binary|charset|not a text page|declared"),
     ("daily", "xxe", ARTICLES["daily"], r"declares XML entities"),
     ("zhdaily", "empty", ARTICLES["zhdaily"], r"empty page")],
]
CASES = [case for rnd in ROUNDS for case in rnd]
HEALTHY = ("monitor", "portal")


@dataclass
class RoundOutcome:
    run: CrawlRun
    sources: dict[str, Source]
    articles: dict[str, int]


def _crawl_round(tmp: Path, faults: list[tuple[str, str, str, str]], **crawl: Any
                 ) -> RoundOutcome:
    with run_replay(phase=1) as replay:
        for outlet, fault, path, _ in faults:
            replay.add_fault(outlet, path, fault)
        # 4 s: well under the slow fault's 8 s, and above what a healthy
        # loopback page takes on a loaded machine (2 s timed some out).
        config = make_config(tmp, replay, timeout_seconds=4.0, retries=0,
                             max_response_bytes=1_000_000, **crawl)
        run = crawl_cli(config)
    engine = make_engine(db_url(config))
    with session_scope(engine) as session:
        sources = {s.name: s for s in session.scalars(select(Source))}
        articles = {
            name: len(session.scalars(select(Article).where(Article.source_id == s.id)).all())
            for name, s in sources.items()
        }
    engine.dispose()
    return RoundOutcome(run, sources, articles)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Any]:
    """Every round crawled once, two at a time, each against its own replay."""
    def one(faults: list[tuple[str, str, str, str]]) -> RoundOutcome:
        return _crawl_round(tmp_path_factory.mktemp("fault"), faults)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, ROUNDS))
    return {(o, f, p): res for rnd, res in zip(ROUNDS, results, strict=True)
            for o, f, p, _ in rnd}


# Seven crawls with time-outs in them: about a minute on an idle machine.
@pytest.mark.slow
@pytest.mark.parametrize(("outlet", "fault", "path", "expected"), CASES,
                         ids=[f"{f}@{o}{p}" for o, f, p, _ in CASES])
def test_a_fault_on_one_source_is_recorded_and_spares_the_others(
    outcomes: dict[tuple[str, str, str], RoundOutcome],
    outlet: str, fault: str, path: str, expected: str,
) -> None:
    out = outcomes[(outlet, fault, path)]
    summary = out.run.summaries
    for healthy in HEALTHY:
        assert summary[healthy]["error"] is None, summary[healthy]
        assert summary[healthy]["new"] == out.articles[healthy] > 0
    error = summary[outlet]["error"]
    assert error and re.search(expected, error, re.IGNORECASE), error
    source = out.sources[outlet]
    assert source.last_error == error
    assert source.consecutive_failures == 1 and source.last_error_at is not None
    assert out.run.max_rss_mb < MEMORY_LIMIT_MB


def test_private_addresses_are_refused_unless_the_config_allows_them(tmp_path: Path) -> None:
    out = _crawl_round(tmp_path, [], allow_private_addresses=False)
    for name, row in out.run.summaries.items():
        assert row["error"] and "127.0.0.1 is a loopback address" in row["error"], name
    assert sum(out.articles.values()) == 0
