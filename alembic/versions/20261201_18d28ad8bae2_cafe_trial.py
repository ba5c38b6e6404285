"""A café can be a trial run: kept out of public statistics and exports unless asked for.

Revision ID: 18d28ad8bae2
Revises: 5f16fcd57458
Create Date: 2026-12-01 20:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '18d28ad8bae2'
down_revision = 'c7a41e9d2b63'
branch_labels = None
depends_on = None


# A plain ADD COLUMN: SQLite adds it in place, so no batch copy of the café table (which other
# tables' foreign keys point to) is needed.
def upgrade() -> None:
    op.add_column('cafe', sa.Column('trial', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('cafe', 'trial')
