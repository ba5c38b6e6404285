"""remask: personal data that the masking rules of 2026-12-02 find in stored text

Masking now also sees phone numbers written with dots, brackets or a slash, numbers with a
country code, spaced personnummer, the Finnish henkilötunnus, and numbers or addresses
disguised by invisible characters or full-width digits. Text stored before is masked again with
these rules (what was masked stays masked: placeholders are no personal data), and a note whose
masked text changed is embedded again.

Revision ID: f13e949af941
Revises: fa957df4f34a
Create Date: 2026-12-02 02:30:00
"""

import json

from alembic import op
import sqlalchemy as sa

from facilitation.privacy import mask_personal_data


revision = 'f13e949af941'
down_revision = 'fa957df4f34a'
branch_labels = None
depends_on = None

# Text others see: a note's masked copy, and text a leader wrote for the public and the log.
MASKED_TEXT = {
    'note': ('public_text', 'department'),
    'process': ('name', 'municipalities', 'plan', 'description'), 'cafe': ('village', 'venue'), 'round': ('question',),
    'theme': ('label', 'department', 'summary'),
    'plan_category': ('name',), 'theme_response': ('text',), 'curation_event': ('detail',),
    'deletion_record': ('cafe_description', 'decision'),
}
NOTE_EVENTS = ('note', 'note_shown', 'note_masked')


def upgrade() -> None:
    connection = op.get_bind()
    for table, columns in MASKED_TEXT.items():
        for column in columns:
            changed = _mask(connection, table, column)
            if table == 'note' and column == 'public_text' and changed:
                connection.execute(sa.text('UPDATE note SET embedding = NULL WHERE id = :id'), [{'id': i} for i in changed])
    rows = connection.execute(sa.text(
        "SELECT id, data FROM live_event WHERE kind IN ('note', 'note_shown', 'note_masked')")).all()
    events = []
    for event_id, data in rows:
        payload = json.loads(data)
        if isinstance(payload.get('text'), str) and (masked := mask_personal_data(payload['text'])) != payload['text']:
            events.append({'id': event_id, 'data': json.dumps(payload | {'text': masked})})
    if events:
        connection.execute(sa.text('UPDATE live_event SET data = :data WHERE id = :id'), events)


def downgrade() -> None:
    pass  # masked text cannot be unmasked; nothing to undo


def _mask(connection, table: str, column: str) -> list[int]:
    """Masked first, then cut to the column's length, as the app writes it (app/models.py)."""
    length = next(c['type'].length for c in sa.inspect(connection).get_columns(table) if c['name'] == column)
    rows = connection.execute(sa.text(f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')).all()
    changed = [{'id': row_id, 'value': masked} for row_id, text in rows
               if (masked := mask_personal_data(text)[:length]) != text]
    if changed:
        connection.execute(sa.text(f'UPDATE "{table}" SET "{column}" = :value WHERE id = :id'), changed)
    return [row['id'] for row in changed]
