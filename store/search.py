"""Full-text search of articles: SQLite FTS5 or a PostgreSQL tsvector index.

The index is maintained by the database (triggers on SQLite, an expression
index on PostgreSQL; migration 0004), so no writer has to remember it. A
user's query is never passed to the search syntax as typed: it is reduced
to words and "quoted phrases", so punctuation or operators in it cannot
make the query fail or mean something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, column, exists, func, literal_column, select, table
from sqlalchemy.orm import Session

from store.models import Article

FTS_TABLE = "articles_fts"
FTS = table(FTS_TABLE, column("rowid"))  # the FTS5 table, for queries (not a model)
PG_INDEX = "ix_articles_search"
# The expression PostgreSQL indexes; queries must use exactly this text.
# 'simple' (no stemming): articles come in several languages.
PG_TSVECTOR = "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, ''))"

SQLITE_FTS_UP = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, content='articles', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF title, text ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    # Articles stored before the migration.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
SQLITE_FTS_DOWN = tuple(
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}" for suffix in ("ai", "ad", "au")
) + (f"DROP TABLE IF EXISTS {FTS_TABLE}",)

_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


@dataclass(frozen=True)
class SearchTerms:
    """A query reduced to words and phrases (each phrase a tuple of words)."""

    phrases: tuple[tuple[str, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.phrases)


def parse_query(query: str) -> SearchTerms:
    """Words and "quoted phrases" of a typed query; everything else is dropped."""
    phrases: list[tuple[str, ...]] = []
    for quoted, bare in _TERM.findall(query or ""):
        words = tuple(w.lower() for w in _WORD.findall(quoted or bare))
        if quoted:
            if words:
                phrases.append(words)
        else:
            phrases.extend((w,) for w in words)
    return SearchTerms(tuple(phrases[:MAX_TERMS]))


def fts5_match(terms: SearchTerms) -> str:
    """An FTS5 MATCH string: every phrase required, each quoted (no operators)."""
    return " ".join('"' + " ".join(p) + '"' for p in terms.phrases)


def matches(session: Session, terms: SearchTerms, walk: bool = False) -> ColumnElement[bool]:
    """A WHERE clause on Article for the terms, on either backend.

    `walk` (SQLite): a correlated EXISTS, so the query walks the ORDER BY
    index and probes the search index per article, stopping at LIMIT: far
    cheaper when a common word matches most articles (and far dearer for a
    rare one, hence the caller decides from `match_count`)."""
    if session.get_bind().dialect.name == "postgresql":
        # phraseto_tsquery parses each phrase as to_tsvector parsed the text.
        queries = [func.phraseto_tsquery("simple", " ".join(p)) for p in terms.phrases]
        combined = queries[0]
        for q in queries[1:]:
            combined = combined.op("&&")(q)
        return literal_column(PG_TSVECTOR).op("@@")(combined)
    match = literal_column(FTS_TABLE).op("MATCH")(fts5_match(terms))
    if walk:
        # One index probe per article walked (FTS5 seeks rowid = ? in the doclist).
        return exists(select(literal_column("1")).select_from(FTS).where(
            match, FTS.c.rowid == Article.id))
    return Article.id.in_(select(FTS.c.rowid).where(match))


def match_count(session: Session, terms: SearchTerms) -> int | None:
    """How many articles match, from the index alone (SQLite; None elsewhere)."""
    if session.get_bind().dialect.name == "postgresql":
        return None
    return int(session.scalar(select(func.count()).select_from(FTS).where(
        literal_column(FTS_TABLE).op("MATCH")(fts5_match(terms)))) or 0)


def newest_first(session: Session) -> tuple[Any, ...]:
    """ORDER BY newest published first, undated last, that the published index serves.

    SQLite already sorts NULLs last in descending order, and writing NULLS LAST
    would stop it using the index; PostgreSQL needs it said."""
    if session.get_bind().dialect.name == "postgresql":
        return (Article.published.desc().nulls_last(), Article.id.desc())
    return (Article.published.desc(), Article.id.desc())


def search_ids(session: Session, query: str, limit: int = 50) -> list[int]:
    """Ids of the articles matching `query`, newest published first."""
    terms = parse_query(query)
    if not terms:
        return []
    stmt: Any = (select(Article.id).where(matches(session, terms))
                 .order_by(*newest_first(session)).limit(limit))
    return list(session.scalars(stmt))


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic comparisons: the search index is not part of the models."""
    return not (name or "").startswith(FTS_TABLE) and name != PG_INDEX
