"""Alembic environment: runs against the engine handed in by store.db.upgrade."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from store.models import Base
from store.search import include_name

target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


engine = context.config.attributes.get("engine")
if engine is None:  # pragma: no cover - only via store.db
    raise RuntimeError("run migrations through store.db.upgrade(engine)")
with engine.connect() as conn:
    run(conn)
    conn.commit()
