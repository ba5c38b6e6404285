"""theme summary: one or two sentences from a theme's notes

Revision ID: fa957df4f34a
Revises: 5f16fcd57458
Create Date: 2026-12-01 21:00:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'fa957df4f34a'
down_revision = 'e7b7b7c3c473'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('theme') as batch_op:
        batch_op.add_column(sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('theme') as batch_op:
        batch_op.drop_column('summary')
