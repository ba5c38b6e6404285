"""What the projector wall reads: the newest notes, and the harvest's themes with their dots."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Cafe, Note
from app.services import themes as theme_service
from app.services import votes as vote_service
from app.services.themes import Scope

WALL_NOTES = 60  # as many as a projector shows readably; older ones have scrolled off anyway


def newest_notes(session: Session, cafe: Cafe, limit: int = WALL_NOTES) -> list[Note]:
    """The café's newest visible notes, oldest of them first (the order they arrived in)."""
    query = (
        select(Note).where(Note.cafe_id == cafe.id, Note.hidden_at.is_(None))
        .order_by(Note.created_at.desc(), Note.id.desc()).limit(limit)
    )
    return list(reversed(session.exec(query).all()))


def harvest(session: Session, cafe: Cafe) -> list[dict]:
    """The café's themes with their dots, most dots first (then most notes)."""
    totals = vote_service.vote_totals(session, cafe)
    views, _other = theme_service.theme_views(session, Scope(process_id=cafe.process_id, cafe_id=cafe.id), totals)
    top = max([v.votes for v in views] + [1])
    return [
        {"label": v.theme.label, "notes": len(v.notes), "votes": v.votes, "top": top}
        for v in sorted(views, key=lambda v: (-v.votes, -len(v.notes)))
    ]
