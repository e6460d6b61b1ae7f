"""What the store knows, asked of the database when a spider asks.

A one-pass crawl loads `KnownState` once per source (`crawler.persist.load_known`).
A worker runs for weeks while other workers store articles, so it asks the
database each time instead: `LiveKnownState` has the same shape (`article_urls`
supports `in` and `add`, `fetch` supports `get`), so the per-kind spiders
work unchanged on top of it. The database, not Redis, decides what is stored.
"""

from __future__ import annotations

from sqlalchemy import Engine, exists, or_, select

from crawler.validators import KnownState, Validators, stored_validators
from store.db import session_scope
from store.models import Article, FetchState


class StoredUrls:
    """`url in stored` asks the articles table; `add` remembers locally."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.local: set[str] = set()

    def __contains__(self, url: object) -> bool:
        if not isinstance(url, str):
            return False
        if url in self.local:
            return True
        with session_scope(self.engine) as session:
            found = session.scalar(select(Article.id).where(Article.url == url).limit(1))
        if found is not None:
            self.local.add(url)
        return found is not None

    def add(self, url: str) -> None:
        self.local.add(url)


class StoredValidators:
    """`get(url)`: this source's validators for the URL, from fetch_state."""

    def __init__(self, engine: Engine, source_id: int, source_url: str | None) -> None:
        self.engine = engine
        self.source_id = source_id
        self.source_url = source_url

    def get(self, url: str, default: Validators | None = None) -> Validators | None:
        # As `load_known`: URLs this source owns, its own URL and stored article
        # pages whoever fetched them (a page's update marker is the page's).
        if url != self.source_url:
            owned = or_(FetchState.source_id == self.source_id,
                        exists().where(Article.url == FetchState.url))
        else:
            owned = FetchState.url == url
        with session_scope(self.engine) as session:
            fs = session.scalars(select(FetchState).where(FetchState.url == url, owned)).first()
            if fs is None:
                return default
            return stored_validators(fs)


class LiveKnownState(KnownState):
    """A KnownState whose lookups go to the database (see the module docstring)."""

    def __init__(self, engine: Engine, source_id: int, source_url: str | None = None) -> None:
        super().__init__()
        self.article_urls = StoredUrls(engine)  # type: ignore[assignment]
        self.fetch = StoredValidators(engine, source_id, source_url)  # type: ignore[assignment]
