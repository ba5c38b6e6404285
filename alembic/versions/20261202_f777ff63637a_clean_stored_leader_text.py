"""clean stored leader text: invisible characters out of what a leader wrote for the public

Leader text is now cleaned as it is stored (facilitation/leader_text.py): no direction mark,
bidi override, zero-width space or soft hyphen may reorder a public page's text or hide a number.
Text stored before is cleaned once, the same way.

Revision ID: f777ff63637a
Revises: a11f970331ee
Create Date: 2026-12-02 07:45:00
"""

from alembic import op
import sqlalchemy as sa

from facilitation.leader_text import clean_leader_text


revision = 'f777ff63637a'
down_revision = 'a11f970331ee'
branch_labels = None
depends_on = None

LEADER_TEXT = {
    'process': ('name', 'municipalities', 'plan', 'description'), 'cafe': ('village', 'venue'), 'round': ('question',),
    'theme': ('label', 'department', 'summary'), 'plan_category': ('name',), 'theme_response': ('text',),
    'deletion_record': ('decision',),
}


def upgrade() -> None:
    connection = op.get_bind()
    for table, columns in LEADER_TEXT.items():
        for column in columns:
            rows = connection.execute(sa.text(f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')).all()
            changed = [{'id': row_id, 'value': cleaned} for row_id, text in rows
                       if (cleaned := clean_leader_text(text)) != text]
            if changed:
                connection.execute(sa.text(f'UPDATE "{table}" SET "{column}" = :value WHERE id = :id'), changed)


def downgrade() -> None:
    pass  # the characters taken out were invisible; nothing to put back
