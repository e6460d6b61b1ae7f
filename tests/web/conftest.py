"""Fixtures for the web view: a filled store and a Starlette test client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from crawler.web.access import Access
from crawler.web.app import build_app
from store.db import make_engine, session_scope, upgrade
from tests.web.story import WebStory, fill

BASE = "http://127.0.0.1"


@pytest.fixture
def story_engine(db_url: str) -> Iterator[tuple[Engine, WebStory]]:
    """Both backends, upgraded, with the web story in it."""
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        story = fill(session)
    yield engine, story
    engine.dispose()


@pytest.fixture
def client(story_engine: tuple[Engine, WebStory]) -> Iterator[TestClient]:
    engine, _ = story_engine
    app = build_app(engine, Access(loopback=True), engine, page_size=2)
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


@pytest.fixture
def story(story_engine: tuple[Engine, WebStory]) -> WebStory:
    return story_engine[1]


def csrf_of(client: TestClient) -> str:
    """The CSRF token the pages set (and embed in their forms)."""
    response = client.get("/alerts")
    token = client.cookies.get("cw_csrf")
    assert token and f'value="{token}"' in response.text
    return token
