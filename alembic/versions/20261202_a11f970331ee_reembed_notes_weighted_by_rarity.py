"""re-embed notes: a note's vector now weighs its tokens by rarity (facilitation/e5_runtime.py)

Vectors stored before were pooled alike over every token; the two kinds must never meet in one
theme run. Forgetting them makes the background embedder and the next theme run embed every note
again (about 200 notes a second).

Revision ID: a11f970331ee
Revises: 523f6b9dd0ea
Create Date: 2026-12-02 07:30:00
"""

from alembic import op


revision = 'a11f970331ee'
down_revision = '523f6b9dd0ea'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute('UPDATE note SET embedding = NULL')


def downgrade() -> None:
    # The older vectors were pooled alike: forget these too, so a downgraded app embeds again.
    op.execute('UPDATE note SET embedding = NULL')
