"""article captures: where each revision's fetched bytes are archived (WARC)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_captures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('warc_file', sa.String(length=300), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('fetched_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_captures_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['article_revisions.id'], name=op.f('fk_article_captures_revision_id_article_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_captures')),
    sa.UniqueConstraint('record_id', name=op.f('uq_article_captures_record_id')),
    sa.UniqueConstraint('revision_id', name=op.f('uq_article_captures_revision_id'))
    )
    with op.batch_alter_table('article_captures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_captures_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('article_captures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_captures_article_id'))
    op.drop_table('article_captures')
