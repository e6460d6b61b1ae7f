"""The store on both backends: migrations, models, source queries."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select

from store.config import SourceConfig
from store.db import session_scope, upgrade
from store.models import Alert, Article, Base, Source
from store.search import include_name
from store.sources import SourceError, add_source, get_source, sync_config_sources


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                 "include_name": include_name})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    upgrade(engine)
    assert "articles" in inspect(engine).get_table_names()


def test_datetimes_come_back_timezone_aware(engine: Engine) -> None:
    when = dt.datetime(2022, 10, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with session_scope(engine) as s:
        s.add(Article(url="http://x/1", text="t", published=when))
    with session_scope(engine) as s:
        art = s.scalars(select(Article)).one()
        assert art.published == when
        assert art.published.tzinfo is not None


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive"):
        with session_scope(engine) as s:
            s.add(Article(url="http://x/2", text="t", published=dt.datetime(2022, 1, 1)))


def test_alert_dedup_key_is_unique(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add(Alert(kind="new_raid", dedup_key="k", payload={}))
    with pytest.raises(Exception):
        with session_scope(engine) as s:
            s.add(Alert(kind="new_raid", dedup_key="k", payload={}))


def test_a_duplicate_source_name_or_url_is_refused(engine: Engine) -> None:
    with session_scope(engine) as s:
        add_source(s, "http://a.example/feed", name="a")
    with session_scope(engine) as s:
        with pytest.raises(SourceError, match="name"):
            add_source(s, "http://b.example/feed", name="a")
        with pytest.raises(SourceError, match="URL"):
            add_source(s, "http://a.example/feed", name="b")


def test_config_sync_adds_missing_and_keeps_cli_changes(engine: Engine) -> None:
    configured = [SourceConfig(name="wire", url="http://w.example/feed/", kind="feed", every="1h"),
                  SourceConfig(name="daily", url="http://d.example/atom.xml", kind="feed")]
    with session_scope(engine) as s:
        assert sync_config_sources(s, configured).added == ("wire", "daily")
    with session_scope(engine) as s:
        src = get_source(s, "wire")
        src.paused = True
        src.interval_seconds = 60
        from store.sources import remove_source
        remove_source(s, "daily")
    with session_scope(engine) as s:
        result = sync_config_sources(s, configured)
        assert result.added == ()
        wire = get_source(s, "wire")
        assert wire.paused and wire.interval_seconds == 60
        assert [x.name for x in s.scalars(select(Source))] == ["wire"]
