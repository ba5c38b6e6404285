"""organisation time zone, process language, reopening a closed café

Revision ID: c7a41e9d2b63
Revises: 5f16fcd57458
Create Date: 2026-12-01 20:50:00
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'c7a41e9d2b63'
down_revision = '55e91ad7488f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation') as batch:
        batch.add_column(sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False,
                                   server_default='Europe/Stockholm'))
    with op.batch_alter_table('process') as batch:
        batch.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False,
                                   server_default='sv'))
    with op.batch_alter_table('cafe') as batch:
        batch.add_column(sa.Column('reopened_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cafe') as batch:
        batch.drop_column('reopened_until')
    with op.batch_alter_table('process') as batch:
        batch.drop_column('language')
    with op.batch_alter_table('organisation') as batch:
        batch.drop_column('timezone')
