"""Joining a table and sending notes: the participant's and the table host's verbs."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from app.live import record_event
from app.models import Cafe, CafeTable, LiveEvent, ModerationEvent, Note, Participant, Theme, ThemeNote, User, row_id, utcnow
from app.security import new_pseudonym, normalise_short_code
from app.services.cafes import cafe_state
from app.services.note_batches import NoteRequest, Outcome, store_notes
from app.services.themes import keep_to_visible_notes
from facilitation.refusals import NotFound
from facilitation import names, phases
from facilitation.notes import NoteRejected
from facilitation.ratelimit import RateLimiter

NOTE_EVENT_KINDS = ("note", "note_shown", "note_masked")  # live events that carry a note's text
KEEP_NAMES = "keep_names"  # a moderation action: the flagged words name no private person


@dataclass
class Submitted:
    note: Note
    created: bool  # False when the same client id was sent before: the note is not stored twice


PHASE_ERRORS = {"cafe_not_open", "cafe_closed", "no_round_running"}
# Answered 409: the note cannot be stored now, or its id is another phone's.
CONFLICTS = PHASE_ERRORS | {"client_id_taken"}


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
    if not phases.can_join(cafe_state(session, cafe), utcnow()):
        raise phases.PhaseError("cafe_closed" if cafe.phase == phases.Phase.CLOSED else "cafe_not_open")
    participant = participant_in(session, cafe_id=cafe.id, device_key=device_key)
    if participant is None:
        participant = Participant(cafe_id=cafe.id, device_key=device_key, pseudonym=new_pseudonym(), table_id=table.id)
    elif participant.table_id == table.id:
        return participant  # a reload: nothing changes
    participant.table_id = row_id(table)
    session.add(participant)
    try:
        session.flush()
        # The wall counts phones per table as they sit down and move, not only at a round's start.
        record_event(session, cafe_id=cafe.id, kind="phones", data={"tables": phones_per_table(session, cafe.id)})
        session.commit()
    except IntegrityError:  # the same phone joined twice at once
        session.rollback()
        participant = participant_in(session, cafe_id=cafe.id, device_key=device_key)
        assert participant is not None  # the other join stored it: that is what the IntegrityError means
    session.refresh(participant)
    return participant


def phones_per_table(session: Session, cafe_id: int) -> dict[int, int]:
    """Table number -> phones seated there now."""
    query = (
        select(CafeTable.number, func.count(Participant.id))
        .join(Participant, Participant.table_id == CafeTable.id)
        .where(CafeTable.cafe_id == cafe_id)
        .group_by(CafeTable.number)
    )
    return dict(session.exec(query).all())


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
    """Store one note, once; raise NoteRejected or PhaseError when it cannot be stored."""
    request = NoteRequest(
        token=table.join_token if participant else table.host_token,
        client_id=client_id if isinstance(client_id, str) else "",
        text=text,
        device_key=participant.device_key if participant else None,
        by_host=participant is None,
        round_number=round_number,
    )
    outcome = store_notes(session, [request], limiter=limiter, now=now)[0]
    raise_for(outcome)
    return Submitted(session.get(Note, outcome.note.id), outcome.created)


def raise_for(outcome: Outcome) -> None:
    """Turn a refused outcome into the exception the web layer answers with."""
    if outcome.error == "not_found":
        raise NotFound
    if outcome.error in PHASE_ERRORS:
        raise phases.PhaseError(outcome.error)
    if outcome.error:
        raise NoteRejected(outcome.error)


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


def mask_names(session: Session, *, note: Note, user: User) -> Note:
    """Replace the names flagged in a note's public text with a placeholder; logged like hiding."""
    masked = names.mask_names(note.public_text)
    if masked == note.public_text:
        return note
    note.public_text = masked
    note.embedding = None  # embedded again from the masked text, like every note
    session.add(note)
    _update_themes_of(session, note)
    _rewrite_sent_events(session, note, note.public_text)
    session.add(ModerationEvent(note_id=note.id, user_id=user.id, action="mask_name"))
    record_event(
        session, cafe_id=note.cafe_id, kind="note_masked", table_id=note.table_id,
        data={"client_id": note.client_id, "text": note.public_text},
    )
    session.commit()
    session.refresh(note)
    return note


def keep_names(session: Session, *, note: Note, user: User) -> None:
    """The leader says the words flagged in a note name no private person ("Anna" is the
    chapel): the question goes, the text stays as written and can still be masked. Logged
    like masking."""
    if row_id(note) not in names_kept(session, [row_id(note)]):
        session.add(ModerationEvent(note_id=note.id, user_id=user.id, action=KEEP_NAMES))
        session.commit()


def flagged_names(notes: list[Note]) -> dict[int, list[str]]:
    """Per note, the words that may name a private person, for the leader to mask or keep."""
    return {row_id(n): [name.text for name in names.find_names(n.public_text)] for n in notes}


def names_kept(session: Session, note_ids: list[int]) -> set[int]:
    """Of `note_ids`, the notes whose flagged names the leader has said to keep."""
    if not note_ids:
        return set()
    query = select(ModerationEvent.note_id).where(
        ModerationEvent.action == KEEP_NAMES, ModerationEvent.note_id.in_(note_ids))
    return set(session.exec(query))


def set_hidden(session: Session, *, note: Note, user: User, hidden: bool) -> Note:
    """Hide or show a note again. Notes are never deleted here; every change is logged."""
    if (note.hidden_at is not None) == hidden:
        return note
    note.hidden_at = utcnow() if hidden else None
    note.hidden_by_id = user.id if hidden else None
    session.add(note)
    if hidden:
        _update_themes_of(session, note)
    session.add(ModerationEvent(note_id=note.id, user_id=user.id, action="hide" if hidden else "unhide"))
    if hidden:
        _rewrite_sent_events(session, note, "")
    record_event(
        session, cafe_id=note.cafe_id, kind="note_hidden" if hidden else "note_shown", table_id=note.table_id,
        data={"client_id": note.client_id} | ({} if hidden else {"text": note.public_text}),
    )
    session.commit()
    session.refresh(note)
    return note


def _rewrite_sent_events(session: Session, note: Note, text: str) -> None:
    """Live screens that reconnect are sent the café's events again: the note's earlier events
    carry its text as it stands now (masked, or none once hidden), not as it was sent."""
    events = session.exec(select(LiveEvent).where(
        LiveEvent.cafe_id == note.cafe_id, LiveEvent.kind.in_(NOTE_EVENT_KINDS),
        LiveEvent.data.contains(note.client_id)))
    for event in events:
        data = json.loads(event.data)
        if data.get("client_id") == note.client_id and "text" in data:
            event.data = json.dumps(data | {"text": text}, default=str)
            session.add(event)


def _update_themes_of(session: Session, note: Note) -> None:
    """What a theme shows is taken from its notes: when one is hidden or has names masked, the
    theme's summary, keywords and label lose what came from it, before any page, API or export
    shows them (the next theme run writes them anew)."""
    session.flush()
    for theme in session.exec(select(Theme).join(ThemeNote).where(ThemeNote.note_id == note.id)):
        keep_to_visible_notes(session, theme)
