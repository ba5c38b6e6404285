"""Joining a table and sending notes: the participant's and the table host's verbs."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy import bindparam, insert
from sqlmodel import Session, func, or_, select

from app.live import record_event, record_events
from app.models import Cafe, CafeTable, ModerationEvent, Note, Participant, Round, User, utcnow
from app.security import new_pseudonym, normalise_short_code
from app.services.cafes import cafe_state, state_of
from facilitation import names, phases
from facilitation.notes import NoteRejected, clean_client_id, clean_note_text, paper_cards_accepted
from facilitation.ratelimit import RateLimiter
from facilitation.refusals import NotFound


@dataclass
class Submitted:
    note: Note
    created: bool  # False when the same client id was sent before: the note is not stored twice


@dataclass(frozen=True)
class NoteRequest:
    """One note to store: from a phone (join token + device key) or a table host (host token)."""

    token: str
    client_id: str
    text: str
    device_key: str | None = None  # the phone's anonymous key (from its cookie)
    by_host: bool = False  # typed by the table host (token is then the host token)
    round_number: int | None = None  # a host's paper card names its round; else the running round


@dataclass
class Outcome:
    note: Note | None = None
    created: bool = False
    error: str | None = None  # a code from facilitation/ (phase or note rules)
    table_number: int | None = None
    round_number: int | None = None
    repeat_of: tuple[int, str] | None = None  # a repeat within the same batch: filled in after the insert


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
    participant.table_id = table.id
    session.add(participant)
    try:
        session.flush()
        # The wall counts phones per table as they sit down and move, not only at a round's start.
        record_event(session, cafe_id=cafe.id, kind="phones", data={"tables": phones_per_table(session, cafe.id)})
        session.commit()
    except IntegrityError:  # the same phone joined twice at once
        session.rollback()
        participant = participant_in(session, cafe_id=cafe.id, device_key=device_key)
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


def store_notes(
    session: Session, requests: list[NoteRequest], *, limiter: RateLimiter | None = None, now: float = 0.0
) -> list[Outcome]:
    """Store a batch of notes in one transaction, one outcome per request, in order.

    Many phones send at once at the end of a round: checking them together and committing once
    costs a few queries and one disk flush for the whole batch instead of for every note. Plain
    rows, not ORM objects, because this runs for every note of the evening.
    A client id already stored (a retry) returns the stored note and is not rate limited."""
    tables = _tables_for(session, {r.token for r in requests})
    cafe_ids = {table.cafe_id for table, _ in tables.values()}
    cafes = {c.id: c for c in session.connection().execute(CAFES_QUERY, {"ids": list(cafe_ids)})}
    rounds = _rounds_for(session, cafe_ids)
    participants = _participants_for(session, {r.device_key for r in requests if r.device_key})
    existing = _existing_notes(session, requests, tables)
    outcomes: list[Outcome] = []
    new_rows: dict[tuple[int, str], dict] = {}
    for request in requests:
        checked = _check(request, tables, cafes, rounds, participants, existing, new_rows, limiter, now)
        if isinstance(checked, Outcome):
            outcomes.append(checked)
            continue
        round_, text = checked
        table, _ = tables[request.token]
        participant = None if request.by_host else participants[(table.cafe_id, request.device_key)]
        row = {
            "cafe_id": table.cafe_id, "table_id": table.id, "round_id": round_.id,
            "participant_id": participant.id if participant else None,
            "device_pseudonym": participant.pseudonym if participant else None,
            "source": "host" if participant is None else "phone", "client_id": request.client_id, "text": text,
            "created_at": utcnow(),
        }
        new_rows[(table.cafe_id, request.client_id)] = row
        outcomes.append(Outcome(created=True, table_number=table.number, round_number=round_.number))
    if not new_rows:
        return outcomes
    try:
        # One multi-row INSERT … RETURNING: asking for the ids in the order of the rows would make
        # SQLite insert them one statement at a time, so each id comes back with its key instead.
        inserted = session.connection().execute(INSERT_NOTES, list(new_rows.values()))
        for row in inserted:  # the id, and the text with personal data masked (app/models.py)
            new_rows[(row.cafe_id, row.client_id)].update(id=row.id, public_text=row.public_text)
        record_note_events(session, list(new_rows.values()), tables, rounds)
        session.commit()
    except IntegrityError:  # another process stored one of these ids a moment ago: one by one
        session.rollback()
        if len(requests) == 1:
            return [_stored_again(session, requests[0], tables, rounds, participants)]
        return [store_notes(session, [r], limiter=None, now=now)[0] for r in requests]
    stored = {key: StoredNote(hidden_at=None, **row) for key, row in new_rows.items()}
    created = iter(stored.values())
    for outcome in outcomes:
        if outcome.created:
            outcome.note = next(created)
        elif outcome.repeat_of and outcome.note is None:
            outcome.note = stored[outcome.repeat_of]
    return outcomes


# What the checks need to know about a café, its tables, rounds and phones: plain columns.
CAFE_STATE = (Cafe.id, Cafe.phase, Cafe.current_round, Cafe.round_ends_at, Cafe.rounds_done, Cafe.reopened_until)
NOTE_COLUMNS = (
    Note.id, Note.cafe_id, Note.table_id, Note.round_id, Note.participant_id, Note.device_pseudonym, Note.source,
    Note.client_id, Note.text, Note.created_at, Note.hidden_at, Note.public_text,
)


# The batch's queries, built once: building a statement costs more than running it here.
_TABLE_COLUMNS = (CafeTable.id, CafeTable.cafe_id, CafeTable.number, CafeTable.join_token, CafeTable.host_token)
TABLES_QUERY = select(*_TABLE_COLUMNS).where(
    or_(CafeTable.join_token.in_(bindparam("tokens", expanding=True)),
        CafeTable.host_token.in_(bindparam("tokens", expanding=True)))
)
CAFES_QUERY = select(*CAFE_STATE).where(Cafe.id.in_(bindparam("ids", expanding=True)))
ROUNDS_QUERY = select(Round.id, Round.cafe_id, Round.number, Round.started_at, Round.ended_at).where(
    Round.cafe_id.in_(bindparam("cafe_ids", expanding=True))
)
PARTICIPANTS_QUERY = select(
    Participant.id, Participant.cafe_id, Participant.device_key, Participant.pseudonym, Participant.table_id
).where(Participant.device_key.in_(bindparam("keys", expanding=True)))
EXISTING_QUERY = select(*NOTE_COLUMNS).where(
    Note.cafe_id.in_(bindparam("cafe_ids", expanding=True)), Note.client_id.in_(bindparam("client_ids", expanding=True))
)
_NOTE_TABLE = Note.__table__.c
INSERT_NOTES = insert(Note.__table__).returning(_NOTE_TABLE.id, _NOTE_TABLE.cafe_id, _NOTE_TABLE.client_id, _NOTE_TABLE.public_text)


@dataclass
class StoredNote:
    """A stored note as the phone's answer needs it."""

    id: int
    cafe_id: int
    table_id: int
    round_id: int
    participant_id: int | None
    device_pseudonym: str | None
    source: str
    client_id: str
    text: str
    created_at: datetime
    hidden_at: datetime | None
    public_text: str  # what anyone but the leader's moderation view is shown


def record_note_events(session: Session, rows: list[dict], tables, rounds) -> None:
    """The live "note" events of a batch, written with it (see app/live.py)."""
    numbers = {table.id: table.number for table, _ in tables.values()}
    round_numbers = {r.id: r.number for by_number in rounds.values() for r in by_number.values()}
    record_events(
        session,
        [
            dict(cafe_id=row["cafe_id"], kind="note", table_id=row["table_id"], data={
                "client_id": row["client_id"], "text": row["public_text"], "table": numbers[row["table_id"]],
                "round": round_numbers[row["round_id"]], "source": row["source"],
            })
            for row in rows
        ],
    )


def _stored_again(session: Session, request: NoteRequest, tables, rounds, participants) -> Outcome:
    table, _ = tables[request.token]
    note = session.execute(
        select(*NOTE_COLUMNS).where(Note.cafe_id == table.cafe_id, Note.client_id == request.client_id)
    ).one()
    participant = None if request.by_host else participants.get((table.cafe_id, request.device_key))
    if not _sent_by(note, participant, table):
        return Outcome(error="client_id_taken")
    number = next((r.number for r in rounds.get(table.cafe_id, {}).values() if r.id == note.round_id), None)
    return Outcome(note=StoredNote(**note._asdict()), created=False, table_number=table.number, round_number=number)


def _check(request, tables, cafes, rounds, participants, existing, new_rows, limiter, now) -> Outcome | tuple:
    """Why a request cannot be stored, or the stored note it repeats; for a new note, its round
    and its cleaned text."""
    try:
        client_id = clean_client_id(request.client_id)
    except NoteRejected as rejected:
        return Outcome(error=rejected.code)
    if request.token not in tables:
        return Outcome(error="not_found")
    table, is_host_token = tables[request.token]
    if is_host_token != request.by_host:
        return Outcome(error="not_found")
    participant = participants.get((table.cafe_id, request.device_key)) if not request.by_host else None
    if not request.by_host and (participant is None or participant.table_id != table.id):
        return Outcome(error="not_at_table")
    key = (table.cafe_id, client_id)
    if key in existing or key in new_rows:
        note = existing.get(key)
        sender = note if note else SimpleNamespace(**new_rows[key])
        if not _sent_by(sender, participant, table):
            return Outcome(error="client_id_taken")  # another phone's note: neither stored nor shown
        round_id = sender.round_id
        number = next((r.number for r in rounds.get(table.cafe_id, {}).values() if r.id == round_id), None)
        return Outcome(note=note, created=False, table_number=table.number, round_number=number, repeat_of=key)
    if limiter is not None and not limiter.allow(f"host-{table.id}" if request.by_host else request.device_key, now):
        return Outcome(error="rate_limited")
    try:
        text = clean_note_text(request.text)
    except NoteRejected as rejected:
        return Outcome(error=rejected.code)
    cafe = cafes[table.cafe_id]
    cafe_rounds = rounds.get(cafe.id, {})
    if request.round_number is None:
        try:
            phases.check_can_post_note(state_of(cafe, len(cafe_rounds)))
        except phases.PhaseError as error:
            return Outcome(error=error.code)
        return cafe_rounds[cafe.current_round], text
    if cafe.phase == phases.Phase.DRAFT:
        return Outcome(error="cafe_not_open")
    if cafe.phase == phases.Phase.CLOSED:
        ended = [r.ended_at for r in cafe_rounds.values() if r.ended_at is not None]
        if not paper_cards_accepted(last_round_ended_at=max(ended, default=None), now=utcnow()):
            return Outcome(error="paper_cards_too_late")
    round_ = cafe_rounds.get(request.round_number)
    if round_ is None or round_.started_at is None:
        return Outcome(error="round_not_started")
    return round_, text


def _sent_by(note, participant, table) -> bool:
    """Whether the note was sent by this phone, or by this table's host when participant is None."""
    if participant is not None:
        return note.participant_id == participant.id
    return note.source == "host" and note.table_id == table.id


def _tables_for(session: Session, tokens: set[str]) -> dict[str, tuple]:
    """token -> (table row, whether it is the host's token)."""
    found: dict[str, tuple] = {}
    for table in session.connection().execute(TABLES_QUERY, {"tokens": list(tokens)}):
        if table.join_token in tokens:
            found[table.join_token] = (table, False)
        if table.host_token in tokens:
            found[table.host_token] = (table, True)
    return found


def _rounds_for(session: Session, cafe_ids: set[int]) -> dict[int, dict[int, tuple]]:
    rounds: dict[int, dict[int, tuple]] = {}
    for round_ in session.connection().execute(ROUNDS_QUERY, {"cafe_ids": list(cafe_ids)}):
        rounds.setdefault(round_.cafe_id, {})[round_.number] = round_
    return rounds


def _participants_for(session: Session, device_keys: set[str]) -> dict[tuple[int, str], tuple]:
    if not device_keys:
        return {}
    rows = session.connection().execute(PARTICIPANTS_QUERY, {"keys": list(device_keys)})
    return {(p.cafe_id, p.device_key): p for p in rows}


def _existing_notes(session: Session, requests: list[NoteRequest], tables) -> dict[tuple[int, str], StoredNote]:
    client_ids = {r.client_id for r in requests if isinstance(r.client_id, str)}
    cafe_ids = {tables[r.token][0].cafe_id for r in requests if r.token in tables}
    if not client_ids or not cafe_ids:
        return {}
    rows = session.connection().execute(EXISTING_QUERY, {"cafe_ids": list(cafe_ids), "client_ids": list(client_ids)})
    return {(n.cafe_id, n.client_id): StoredNote(**n._asdict()) for n in rows}


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
    session.add(ModerationEvent(note_id=note.id, user_id=user.id, action="mask_name"))
    record_event(
        session, cafe_id=note.cafe_id, kind="note_masked", table_id=note.table_id,
        data={"client_id": note.client_id, "text": note.public_text},
    )
    session.commit()
    session.refresh(note)
    return note


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
        data={"client_id": note.client_id, "text": note.public_text},
    )
    session.commit()
    session.refresh(note)
    return note
