"""village location and population: cafés on the public map, in GeoJSON, and reach

Revision ID: e7b7b7c3c473
Revises: 8ae5365a8517
Create Date: 2026-12-01 21:15:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'e7b7b7c3c473'
down_revision = '7fc71c30aa97'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cafe', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('population', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cafe', schema=None) as batch_op:
        batch_op.drop_column('population')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
