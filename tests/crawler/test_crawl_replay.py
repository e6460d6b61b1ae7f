"""The crawler against the replayed dev corpus, phase by phase, through the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from crawler.fingerprint import normalise
from store.db import make_engine, session_scope
from store.models import Article, FetchState, Source
from tests.crawler.conftest import db_url, make_config, run_crawl_cli
from tests.crawler.replaycorpus import body_at, boilerplate_lines, fetch, load_corpus, norm
from tests.support import run_replay

pytestmark = pytest.mark.subprocess


def _paths(stats: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    out = {}
    for outlet, data in stats.get("outlets", {}).items():
        for path, statuses in data.get("paths", {}).items():
            for status, n in statuses.items():
                out[(outlet, path, status)] = n
    return out


def _diff(after: dict[str, Any], before: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    a, b = _paths(after), _paths(before)
    return {k: n - b.get(k, 0) for k, n in a.items() if n - b.get(k, 0) > 0}


@dataclass
class CrawlHistory:
    config: Path
    outlets: dict[str, str]
    max_phase: int
    records: list[dict[str, Any]]
    requests: dict[int, dict[tuple[str, str, str], int]] = field(default_factory=dict)
    summaries: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)
    all_requests: dict[tuple[str, str, str], int] = field(default_factory=dict)
    second: dict[tuple[str, str, str], int] = field(default_factory=dict)
    second_summary: dict[str, dict[str, Any]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlHistory]:
    """Crawl every phase of the dev corpus once, then the last phase a second time."""
    with run_replay(phase=0) as replay:
        config = make_config(tmp_path_factory.mktemp("crawl"), replay)
        h = CrawlHistory(config, replay.outlets, replay.max_phase, [])
        for phase in range(replay.max_phase + 1):
            replay.set_phase(phase)
            before = replay.stats()
            h.summaries[phase] = run_crawl_cli(config)
            h.requests[phase] = _diff(replay.stats(), before)
        h.all_requests = _paths(replay.stats())
        h.records = replay.urls()
        before = replay.stats()
        h.second_summary = run_crawl_cli(config)
        h.second = _diff(replay.stats(), before)
        yield h


def _articles(h: CrawlHistory) -> dict[str, Article]:
    engine = make_engine(db_url(h.config))
    with session_scope(engine) as session:
        rows = {a.url: a for a in session.scalars(select(Article))}
        for a in rows.values():
            _ = a.revisions
    engine.dispose()
    return rows


def _outlet_of(h: CrawlHistory, url: str) -> str:
    base = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    return next(name for name, b in h.outlets.items() if b.rstrip("/") == base)


def test_every_visible_article_is_stored_exactly_once(history: CrawlHistory) -> None:
    stored = _articles(history)
    visible = {r["url"] for r in history.records}
    assert visible <= set(stored), f"missing: {sorted(visible - set(stored))}"
    # Nothing else was stored as an article (no section pages, no private pages).
    assert set(stored) <= visible, f"unexpected: {sorted(set(stored) - visible)}"


def test_syndicated_copies_point_at_their_original(history: CrawlHistory) -> None:
    stored = _articles(history)
    by_id = {a.id: a for a in stored.values()}
    for rec in history.records:
        article = stored[rec["url"]]
        if rec["syndicated"]:
            assert article.duplicate_of_id is not None, rec["url"]
            assert by_id[article.duplicate_of_id].url == rec["original_url"]
        else:
            assert article.duplicate_of_id is None, rec["url"]


def test_titles_dates_and_languages_come_from_the_pages(history: CrawlHistory) -> None:
    corpus = {a["id"]: a for a in load_corpus()["articles"]}
    stored = _articles(history)
    for rec in history.records:
        article = stored[rec["url"]]
        source = corpus.get(rec["id"])
        if source is None:  # the seed, served on the wire
            continue
        assert article.title and norm(article.title) == norm(source["title"]), rec["url"]
        assert article.published == dt.datetime.fromisoformat(rec["published"]), rec["url"]
        assert article.published.tzinfo is not None
        assert article.language == source["language"], rec["url"]
        assert article.content_hash and article.fingerprint


def test_stored_text_has_the_body_and_none_of_the_boilerplate(history: CrawlHistory) -> None:
    corpus = {a["id"]: a for a in load_corpus()["articles"]}
    stored = _articles(history)
    total = found = leaks = 0
    leaked: list[str] = []
    for rec in history.records:
        source = corpus.get(rec["id"])
        if source is None:
            continue
        paragraphs = body_at(source, history.max_phase)
        text = normalise(stored[rec["url"]].text)
        own = [*paragraphs, norm(source["title"]), norm(source.get("summary", "")),
               norm(source.get("image_caption") or ""), norm(source.get("author") or "")]
        for p in paragraphs:
            total += 1
            found += normalise(p) in text
        for line in boilerplate_lines(fetch(rec["url"]), own):
            if normalise(line) in text:
                leaks += 1
                leaked.append(f"{rec['url']}: {line}")
    assert found / total >= 0.98, f"paragraph recall {found}/{total}"
    assert leaks == 0, leaked[:10]


def test_a_second_crawl_at_the_same_phase_fetches_no_article_and_gets_304s(
    history: CrawlHistory,
) -> None:
    article_paths = {urlsplit(r["url"]).path for r in history.records}
    fetched_articles = [k for k in history.second if k[1] in article_paths]
    assert fetched_articles == []
    discovery = [k for k in history.second if not k[1].endswith("/robots.txt")]
    assert discovery, "the feeds and sitemaps were not asked at all"
    assert all(status == "304" for _, _, status in discovery), history.second
    for row in history.second_summary.values():
        assert row["new"] == row["updated"] == row["failed"] == 0


def test_advancing_a_phase_fetches_only_new_and_revised_articles(history: CrawlHistory) -> None:
    corpus = {a["id"]: a for a in load_corpus()["articles"]}
    by_path = {(_outlet_of(history, r["url"]), urlsplit(r["url"]).path): r
               for r in history.records}
    for phase, requests in history.requests.items():
        fetched = {(o, p) for (o, p, _s) in requests if (o, p) in by_path}
        new = {k for k, r in by_path.items() if r["phase"] == phase}
        revised = {k for k, r in by_path.items() if any(
            rev["phase"] == phase for rev in corpus.get(r["id"], {}).get("revisions", []))}
        assert new <= fetched, f"phase {phase}: not fetched {new - fetched}"
        assert fetched <= new | revised, f"phase {phase}: refetched {fetched - new - revised}"


def test_a_revised_article_is_a_new_revision_flagged_for_analysis(
    history: CrawlHistory,
) -> None:
    corpus = load_corpus()["articles"]
    stored = _articles(history)
    revised_ids = {a["id"] for a in corpus if any("paragraphs" in r for r in a.get("revisions", []))}
    assert revised_ids
    for rec in history.records:
        if rec["id"] in revised_ids and not rec["syndicated"]:
            article = stored[rec["url"]]
            assert article.revision == 2, rec["url"]
            assert [r.revision for r in article.revisions] == [1, 2]
            assert article.revisions[0].text != article.revisions[1].text
            assert article.needs_analysis


def test_the_portal_private_area_is_never_requested(history: CrawlHistory) -> None:
    assert history.all_requests
    assert not [k for k in history.all_requests if k[1].startswith("/private")]


def test_each_source_health_and_fetch_state_are_recorded(history: CrawlHistory) -> None:
    engine = make_engine(db_url(history.config))
    with session_scope(engine) as session:
        sources = session.scalars(select(Source)).all()
        states = session.scalars(select(FetchState)).all()
    engine.dispose()
    assert len(sources) == 5
    for s in sources:
        # The last passes succeeded: an earlier error (an empty section page
        # before anything was published) may remain, dated before the success.
        assert s.last_success_at is not None and s.last_run_at == s.last_success_at
        assert s.consecutive_failures == 0
        assert s.last_error is None or s.last_error_at < s.last_success_at
        assert s.last_new_article_at is not None
    assert any(fs.etag for fs in states)
    assert any(fs.entry_updated for fs in states)
