"""articles keep their standfirst, captions and where their date came from

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standfirst', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('captions', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('published_from', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('published_from')
        batch_op.drop_column('captions')
        batch_op.drop_column('standfirst')
