"""Fixtures for the web view: a filled store and a Starlette test client on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from crawler.web.access import Access
from crawler.web.app import build_app
from store.db import make_engine, session_scope, upgrade
from tests.web.story import WebStory, fill

BASE = "http://127.0.0.1"


@pytest.fixture(scope="session")
def story_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WebStory]:
    """The story stored once in a SQLite file; each test gets a copy (migrations are slow)."""
    path = tmp_path_factory.mktemp("web-story") / "story.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine) as session:
        story = fill(session)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return path, story


@pytest.fixture
def story_engine(story_template: tuple[Path, WebStory],
                 tmp_path: Path) -> Iterator[tuple[Engine, WebStory]]:
    """SQLite, upgraded, with the web story in it (test_backends runs both backends)."""
    template, story = story_template
    shutil.copyfile(template, tmp_path / "story.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'story.db'}")
    yield engine, story
    engine.dispose()


@pytest.fixture
def client(story_engine: tuple[Engine, WebStory]) -> Iterator[TestClient]:
    engine, _ = story_engine
    reader = make_engine(str(engine.url), reader=True)
    app = build_app(reader, Access(loopback=True), engine, page_size=2)
    try:
        with TestClient(app, base_url=BASE) as test_client:
            yield test_client
    finally:
        reader.dispose()


@pytest.fixture
def story(story_engine: tuple[Engine, WebStory]) -> WebStory:
    return story_engine[1]


def csrf_of(client: TestClient) -> str:
    """The CSRF token the pages set (and embed in their forms)."""
    response = client.get("/alerts")
    token = client.cookies.get("cw_csrf")
    assert token and f'value="{token}"' in response.text
    return token


# The delivery suite's loopback SMTP server and config builder, for the feedback tests.
from tests.delivery.conftest import make_config, smtp  # noqa: E402,F401
