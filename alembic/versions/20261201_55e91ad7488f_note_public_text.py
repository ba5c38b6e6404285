"""note public text: personal data masked once, when written

Revision ID: 55e91ad7488f
Revises: 5f16fcd57458
Create Date: 2026-12-01 20:50:00
"""

from alembic import op
import sqlalchemy as sa

from facilitation.privacy import mask_personal_data


revision = '55e91ad7488f'
down_revision = '8ae5365a8517'
branch_labels = None
depends_on = None

# Text a leader wrote for the public and the curation log, masked in place as the app now does.
LEADER_TEXT = {
    'process': ('name', 'municipalities', 'plan', 'description'), 'cafe': ('village', 'venue'), 'round': ('question',),
    'note': ('department',), 'theme': ('label', 'department'),
    'plan_category': ('name',), 'theme_response': ('text',), 'curation_event': ('detail',),
    'deletion_record': ('cafe_description', 'decision'),
}


def upgrade() -> None:
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_text', sa.Text(), nullable=True))
    connection = op.get_bind()
    _mask(connection, 'note', 'text', 'public_text')
    for table, columns in LEADER_TEXT.items():
        for column in columns:
            _mask(connection, table, column, column)


def downgrade() -> None:
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_column('public_text')


def _mask(connection, table: str, source: str, target: str) -> None:
    rows = connection.execute(sa.text(f'SELECT id, "{source}" FROM "{table}" WHERE "{source}" IS NOT NULL')).all()
    changed = [
        {'id': row_id, 'value': masked}
        for row_id, text in rows
        if (masked := mask_personal_data(text)) != text or source != target
    ]
    if changed:
        connection.execute(sa.text(f'UPDATE "{table}" SET "{target}" = :value WHERE id = :id'), changed)
