"""alert feedback, and full-text search of articles

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

The search index is kept in step by the database itself, so every writer
(crawler, cluster workers, tests) updates it without knowing it exists:
SQLite gets an FTS5 table over `articles` with triggers; PostgreSQL gets a
GIN index on the same tsvector expression the queries use.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.types
from store.search import PG_INDEX, PG_TSVECTOR, SQLITE_FTS_DOWN, SQLITE_FTS_UP

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert_feedback',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'],
                            name=op.f('fk_alert_feedback_alert_id_alerts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_feedback')),
    sa.UniqueConstraint('alert_id', name=op.f('uq_alert_feedback_alert_id'))
    )
    op.create_index('ix_articles_published', 'articles', ['published'], unique=False)
    op.create_index('ix_articles_language', 'articles', ['language'], unique=False)
    op.create_index('ix_articles_relevant', 'articles', ['relevant', 'published'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_FTS_UP:
            op.execute(statement)
    else:
        op.execute(f"CREATE INDEX {PG_INDEX} ON articles USING gin ({PG_TSVECTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_FTS_DOWN:
            op.execute(statement)
    else:
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    for column in ('published', 'language', 'relevant'):
        op.drop_index(f'ix_articles_{column}', table_name='articles')
    op.drop_table('alert_feedback')
