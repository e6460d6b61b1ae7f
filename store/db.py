"""Engine and session factory, SQLite pragmas, and migrations to head.

Sessions are owned by the caller: `session_scope()` commits on success and
rolls back on error; nothing here keeps a global session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


class StoreError(Exception):
    """The database cannot be opened or used; the message says what to do."""


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the CLI read while the daemon writes; NORMAL survives an
    # application crash; the busy timeout makes a second writer wait, not fail.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # Take the write lock at BEGIN so that two writers queue on the busy
    # timeout instead of failing with "database is locked" on upgrade.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_deferred(conn: Any) -> None:
    # A reader's BEGIN takes no lock until it reads, and then only a WAL
    # snapshot: it never makes the daemon's writes wait.
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str, *, reader: bool = False, **kwargs: Any) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, configured for concurrent use.

    `reader=True` (SQLite): transactions begin deferred instead of taking the
    write lock, for processes that only read, such as the web view."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            parent = Path(database).parent
            if not parent.exists():
                raise StoreError(f"the folder {parent} for the SQLite database does not exist")
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
            **kwargs,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_deferred if reader else _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    raise StoreError(f"unsupported database URL {url!r}: use sqlite:/// or postgresql+psycopg://")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back otherwise."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision` (idempotent)."""
    command.upgrade(alembic_config(engine), revision)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other backends and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    return Path(database) if database and database != ":memory:" else None


def sqlite_has_schema(path: Path) -> bool:
    """Whether the SQLite file exists and was initialised, opened read-only so
    that looking creates nothing (no file, no -wal)."""
    import sqlite3

    if not path.is_file():
        return False
    # A file that exists but cannot be read now (a full disk cannot even open a
    # WAL database) is not "no database yet": the real error is the engine's to say.
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
    except sqlite3.Error:
        return True
    finally:
        conn.close()
    return row is not None


def has_schema(engine: Engine) -> bool:
    """Whether `init` has created the schema in this database."""
    from sqlalchemy import inspect

    return inspect(engine).has_table("alembic_version")
