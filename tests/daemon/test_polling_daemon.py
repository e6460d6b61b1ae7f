"""The daemon's light polling end to end: a poll that finds new entries runs
one crawl child that stores them; a poll with nothing new costs one 304 and
no child; the feed's validators are kept only once its entries are stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from crawler.daemon.jobs import DaemonContext
from crawler.daemon.polling import Polling
from store.config import load_config
from store.db import make_engine, session_scope, upgrade
from store.models import Article, FetchState, Source
from store.sources import add_source
from store.types import utcnow
from tests.daemon.helpers import write_config
from tests.servers.pollsite import PollSite, poll_site


@pytest.fixture
def site() -> Iterator[PollSite]:
    with poll_site() as s:
        yield s


@pytest.fixture
def polling(tmp_path: Path, sqlite_url: str) -> Iterator[Polling]:
    config_path = write_config(tmp_path / "config.toml", sqlite_url,
                               crawl="download_delay = 0.0\nautothrottle = false\n",
                               daemon='fetch_spacing = "1s"\n')
    engine = make_engine(sqlite_url)
    upgrade(engine)
    ctx = DaemonContext(config=load_config(str(config_path)), engine=engine,
                        config_path=str(config_path))
    p = Polling(ctx)
    p.start()
    yield p
    ctx.registry.kill_all()
    engine.dispose()


def _watch(engine: Engine, url: str, ever_crawled: bool = True) -> int:
    with session_scope(engine) as session:
        source = add_source(session, url, name="site", kind="feed", interval_seconds=600)
        if ever_crawled:  # a first full pass happened (else run_source crawls fully)
            source.last_success_at = utcnow()
        return source.id


def test_new_entries_are_stored_by_one_child_and_an_unchanged_feed_costs_a_304(
        site: PollSite, polling: Polling) -> None:
    engine = polling.ctx.engine
    first = site.publish("council-meets-on-the-budget-2001", "Council meets")
    source_id = _watch(engine, f"{site.base}/feed.xml")
    assert polling.run_source(source_id) is True
    with session_scope(engine) as session:
        assert list(session.scalars(select(Article.url))) == [first]
        feed = session.scalars(select(FetchState).where(
            FetchState.url == f"{site.base}/feed.xml")).one()
        assert feed.etag  # kept now that its entry is stored
        source = session.get(Source, source_id)
        assert source.last_poll_at and source.last_entry_at and source.last_new_article_at
        assert source.poll_interval_seconds and source.consecutive_failures == 0
    assert polling.batcher.children == 1
    site.hits.clear()
    assert polling.run_source(source_id) is False
    assert [(p, s) for p, _, s in site.hits] == [("/feed.xml", 304)]
    assert polling.batcher.children == 1  # nothing new: no child
    second = site.publish("market-reopens-after-the-flood-2002", "Market reopens")
    assert polling.run_source(source_id) is True
    with session_scope(engine) as session:
        assert set(session.scalars(select(Article.url))) == {first, second}
    assert polling.batcher.children == 2
    assert not [p for p, _, _ in site.hits if p.endswith("-2001")]  # stored: not fetched again


def test_entries_whose_pages_fail_leave_the_feed_unrecorded_for_the_next_poll(
        site: PollSite, polling: Polling) -> None:
    engine = polling.ctx.engine
    site.listed_only.append("/news/a-story-that-vanishes-3001")  # its page is a 404
    source_id = _watch(engine, f"{site.base}/feed.xml")
    polling.run_source(source_id)
    with session_scope(engine) as session:
        assert session.scalars(select(FetchState).where(
            FetchState.url == f"{site.base}/feed.xml")).first() is None
        source = session.get(Source, source_id)
        assert source.consecutive_failures == 1 and source.last_error
