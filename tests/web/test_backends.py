"""Search and the pages on both backends: SQLite FTS5 and PostgreSQL tsvector."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from crawler.web.access import Access
from crawler.web.app import build_app
from store.db import make_engine, session_scope, upgrade
from store.models import Article
from store.search import search_ids
from tests.web.conftest import BASE
from tests.web.story import WebStory, fill


@pytest.fixture
def filled(db_url: str) -> Iterator[tuple[Engine, WebStory]]:
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        story = fill(session)
    yield engine, story
    engine.dispose()


def test_the_index_follows_inserts_updates_and_deletes(filled: tuple[Engine, WebStory]) -> None:
    engine, story = filled
    with session_scope(engine) as session:
        assert search_ids(session, "hotline") == [story.copy_id, story.article_id]
        article = session.get(Article, story.article_id)
        article.text = "The ministry opened a helpline."
        session.flush()
        assert search_ids(session, "hotline") == [story.copy_id]
        assert search_ids(session, "helpline") == [story.article_id]
        assert search_ids(session, '"opened a helpline"') == [story.article_id]
        assert search_ids(session, '"a opened helpline"') == []
        session.delete(session.get(Article, story.copy_id))
        session.flush()
        assert search_ids(session, "hotline") == []
        assert search_ids(session, "FREED") == search_ids(session, "freed") != []


def test_articles_stored_before_the_migration_are_searchable(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    with session_scope(engine) as session:
        # Core, naming only columns of the first schema: later migrations add more.
        session.execute(Article.__table__.insert().values(
            url="http://old.test/1", title="An older story", text="casino raid"))
    upgrade(engine)
    with session_scope(engine) as session:
        (found,) = search_ids(session, "casino")
        assert session.scalar(select(Article.url).where(Article.id == found)) == "http://old.test/1"
    engine.dispose()


def test_the_pages_serve_on_both_backends(filled: tuple[Engine, WebStory]) -> None:
    engine, story = filled
    with TestClient(build_app(engine, Access(loopback=True), engine), base_url=BASE) as c:
        for path in ("/", "/alerts?claim=complaints&outlet=wire", "/alerts?province=Kandal",
                     "/figures/rescued", "/raids?since=2022-10-01", "/articles?q=freed&relevant=yes",
                     f"/articles/{story.article_id}", "/sources", "/export/figures.csv",
                     "/export/articles.json?q=compound"):
            assert c.get(path).status_code == 200, path
        assert "Hundreds freed" in c.get("/articles?q=freed").text


def test_a_page_of_alert_views_equals_the_one_by_one_views(
        filled: tuple[Engine, WebStory]) -> None:
    """cards.alert_views batches what alerts.delivery.context.alert_view reads per alert."""
    from alerts.delivery.context import alert_view
    from crawler.web.cards import alert_views
    from store.models import Alert

    engine, _ = filled
    with session_scope(engine) as session:
        alerts = list(session.scalars(select(Alert).order_by(Alert.id.desc())))
        batched = alert_views(session, alerts)
        single = [alert_view(session, a) for a in alerts]
    assert batched == single
    assert any(v.previous_source and v.previous_source.outlet == "wire" for v in batched)


def test_a_search_matching_most_articles_walks_the_index_to_the_same_result(
        filled: tuple[Engine, WebStory], monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.web import data_articles
    from crawler.web.filters import article_filter

    engine, _ = filled
    with session_scope(engine) as session:
        f = article_filter({"q": "the", "relevant": "yes"})
        normal = data_articles.article_list(session, data_articles.plan(session, f), 50)
        monkeypatch.setattr(data_articles, "WALK_INDEX_ABOVE", 0)
        walked = data_articles.plan(session, f)
        assert walked.walk is (engine.dialect.name == "sqlite")
        assert data_articles.article_list(session, walked, 50) == normal != []
        assert data_articles.count_articles(session, walked) == (len(normal), False)
