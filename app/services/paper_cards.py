"""Storing a stack of paper cards typed in by a table host."""

from __future__ import annotations

from sqlmodel import Session

from app.models import CafeTable
from app.services.note_batches import NoteRequest, store_notes
from facilitation.paper_cards import CardRow


def store_paper_cards(session: Session, *, table: CafeTable, rows: list[CardRow]) -> list[str | None]:
    """Store the cards in one transaction. For each row, in order: None when it is stored (or was
    stored before, with the same id), else the code of why it was refused."""
    requests = [
        NoteRequest(token=table.host_token, client_id=row.client_id, text=row.text, by_host=True,
                    round_number=row.round_number)
        for row in rows if row.round_number is not None
    ]
    outcomes = iter(store_notes(session, requests) if requests else [])
    return [next(outcomes).error if row.round_number is not None else "round_not_started" for row in rows]
