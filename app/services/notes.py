"""Joining a table and sending notes: the participant's and the table host's verbs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.live import record_event
from app.models import Cafe, CafeTable, ModerationEvent, Note, Participant, Round, User, utcnow
from app.security import new_pseudonym, normalise_short_code
from app.services.cafes import NotFound, cafe_state, current_round
from facilitation import phases
from facilitation.notes import NoteRejected, clean_client_id, clean_note_text
from facilitation.ratelimit import RateLimiter


@dataclass
class Submitted:
    note: Note
    created: bool  # False when the same client id was sent before: the note is not stored twice


def table_by_join_token(session: Session, token: str) -> CafeTable:
    table = session.exec(select(CafeTable).where(CafeTable.join_token == token)).first()
    if table is None:
        raise NotFound
    return table


def table_by_short_code(session: Session, code: str) -> CafeTable:
    table = session.exec(select(CafeTable).where(CafeTable.short_code == normalise_short_code(code))).first()
    if table is None:
        raise NotFound
    return table


def table_by_host_token(session: Session, token: str) -> CafeTable:
    table = session.exec(select(CafeTable).where(CafeTable.host_token == token)).first()
    if table is None:
        raise NotFound
    return table


def join_table(session: Session, *, table: CafeTable, device_key: str) -> Participant:
    """Sit down at a table. Scanning another table's code later simply moves the phone there."""
    cafe = session.get(Cafe, table.cafe_id)
    if not phases.can_join(cafe_state(session, cafe)):
        raise phases.PhaseError("cafe_closed" if cafe.phase == phases.Phase.CLOSED else "cafe_not_open")
    participant = participant_in(session, cafe_id=cafe.id, device_key=device_key)
    if participant is None:
        participant = Participant(cafe_id=cafe.id, device_key=device_key, pseudonym=new_pseudonym(), table_id=table.id)
    participant.table_id = table.id
    session.add(participant)
    try:
        session.commit()
    except IntegrityError:  # the same phone joined twice at once
        session.rollback()
        participant = participant_in(session, cafe_id=cafe.id, device_key=device_key)
    session.refresh(participant)
    return participant


def participant_in(session: Session, *, cafe_id: int, device_key: str | None) -> Participant | None:
    if not device_key:
        return None
    query = select(Participant).where(Participant.cafe_id == cafe_id, Participant.device_key == device_key)
    return session.exec(query).first()


def existing_note(session: Session, cafe_id: int, client_id: str) -> Note | None:
    return session.exec(select(Note).where(Note.cafe_id == cafe_id, Note.client_id == client_id)).first()


def submit_note(
    session: Session,
    *,
    table: CafeTable,
    client_id: object,
    text: object,
    participant: Participant | None = None,
    round_number: int | None = None,
    limiter: RateLimiter | None = None,
    now: float = 0.0,
) -> Submitted:
    """Store one note, once. A phone note goes to the running round; a host may name the round
    of a paper card. Sending the same client id again returns the note already stored."""
    client_id = clean_client_id(client_id)
    cafe = session.get(Cafe, table.cafe_id)
    if participant is not None and (participant.cafe_id != cafe.id or participant.table_id != table.id):
        raise NoteRejected("not_at_table")
    already = existing_note(session, cafe.id, client_id)
    if already is not None:
        return Submitted(already, created=False)
    if limiter is not None and not limiter.allow(participant.pseudonym if participant else f"host-{table.id}", now):
        raise NoteRejected("rate_limited")
    clean_text = clean_note_text(text)
    round_ = _round_for(session, cafe, round_number)
    note = Note(
        cafe_id=cafe.id,
        table_id=table.id,
        round_id=round_.id,
        participant_id=participant.id if participant else None,
        device_pseudonym=participant.pseudonym if participant else None,
        source="phone" if participant else "host",
        client_id=client_id,
        text=clean_text,
    )
    session.add(note)
    record_event(
        session, cafe_id=cafe.id, kind="note", table_id=table.id,
        data={"client_id": client_id, "text": clean_text, "table": table.number, "round": round_.number,
              "source": note.source},
    )
    try:
        session.commit()
    except IntegrityError:  # the same note arrived twice at once: keep the first
        session.rollback()
        return Submitted(existing_note(session, cafe.id, client_id), created=False)
    session.refresh(note)
    return Submitted(note, created=True)


def _round_for(session: Session, cafe: Cafe, round_number: int | None) -> Round:
    if round_number is None:
        phases.check_can_post_note(cafe_state(session, cafe))
        return current_round(session, cafe)
    if cafe.phase == phases.Phase.DRAFT:
        raise phases.PhaseError("cafe_not_open")
    query = select(Round).where(Round.cafe_id == cafe.id, Round.number == round_number)
    round_ = session.exec(query).first()
    if round_ is None or round_.started_at is None:
        raise NoteRejected("round_not_started")
    return round_


def notes_of_device(session: Session, participant: Participant) -> list[Note]:
    query = select(Note).where(Note.participant_id == participant.id).order_by(Note.created_at)
    return list(session.exec(query))


def notes_at_table(session: Session, table: CafeTable, *, include_hidden: bool = False) -> list[Note]:
    query = select(Note).where(Note.table_id == table.id)
    if not include_hidden:
        query = query.where(Note.hidden_at.is_(None))
    return list(session.exec(query.order_by(Note.created_at)))


def notes_in_cafe(session: Session, cafe: Cafe) -> list[Note]:
    return list(session.exec(select(Note).where(Note.cafe_id == cafe.id).order_by(Note.created_at)))


def set_hidden(session: Session, *, note: Note, user: User, hidden: bool) -> Note:
    """Hide or show a note again. Notes are never deleted here; every change is logged."""
    if (note.hidden_at is not None) == hidden:
        return note
    note.hidden_at = utcnow() if hidden else None
    note.hidden_by_id = user.id if hidden else None
    session.add(note)
    session.add(ModerationEvent(note_id=note.id, user_id=user.id, action="hide" if hidden else "unhide"))
    record_event(
        session, cafe_id=note.cafe_id, kind="note_hidden" if hidden else "note_shown", table_id=note.table_id,
        data={"client_id": note.client_id, "text": note.text},
    )
    session.commit()
    session.refresh(note)
    return note
