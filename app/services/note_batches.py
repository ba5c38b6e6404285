"""Storing notes, many at once: the intake's batches at the end of a round, and each single note.

Every note of the evening passes here, so it works on plain rows, not ORM objects; the rules
that decide whether a note is stored are facilitation/notes.py's (check_note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, or_, select

from app.live import record_events
from app.models import Cafe, CafeTable, Note, Participant, Round, utcnow
from app.services.cafes import state_of
from facilitation.notes import EarlierNote, IncomingNote, NoteRejected, check_note, clean_client_id, sent_by
from facilitation.phases import CafeState
from facilitation.ratelimit import RateLimiter


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
    note: StoredNote | None = None
    created: bool = False
    error: str | None = None  # a code from facilitation/ (phase or note rules)
    table_number: int | None = None
    round_number: int | None = None
    repeat_of: tuple[int, str] | None = None  # a repeat within the same batch: filled in after the insert



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
    states = {cafe_id: state_of(cafe, len(rounds.get(cafe_id, {}))) for cafe_id, cafe in cafes.items()}
    loaded = _Loaded(tables, states, rounds, participants, existing)
    checked_at = utcnow()
    outcomes: list[Outcome] = []
    new_rows: dict[tuple[int, str], dict] = {}
    for request in requests:
        incoming, key = _incoming(request, loaded, new_rows)
        verdict = check_note(incoming, limiter=limiter, clock=now, now=checked_at)
        if verdict.error:
            outcomes.append(Outcome(error=verdict.error))
            continue
        table, _ = tables[request.token]
        if verdict.repeat:
            round_id = existing[key].round_id if key in existing else new_rows[key]["round_id"]
            number = next((r.number for r in rounds.get(table.cafe_id, {}).values() if r.id == round_id), None)
            outcomes.append(Outcome(
                note=existing.get(key), created=False, table_number=table.number, round_number=number, repeat_of=key
            ))
            continue
        round_ = rounds[table.cafe_id][verdict.round_number]
        text = verdict.text
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
        for returned in inserted:  # the id, and the text with personal data masked (app/models.py)
            new_rows[(returned.cafe_id, returned.client_id)].update(id=returned.id, public_text=returned.public_text)
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
INSERT_NOTES = insert(Note.__table__).returning(
    _NOTE_TABLE.id, _NOTE_TABLE.cafe_id, _NOTE_TABLE.client_id, _NOTE_TABLE.public_text
)


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


@dataclass
class _Loaded:
    """What the checks of a batch need to know, loaded with a few queries: plain rows."""

    tables: dict[str, tuple]  # token -> (table, whether it is the host's token)
    states: dict[int, CafeState]  # by café id
    rounds: dict[int, dict[int, tuple]]  # café id -> round number -> round
    participants: dict[tuple[int, str], tuple]  # (café id, device key) -> phone
    existing: dict[tuple[int, str], StoredNote]  # (café id, client id) -> note stored before


def _incoming(request: NoteRequest, loaded: _Loaded, new_rows: dict) -> tuple[IncomingNote, tuple | None]:
    """The request as facilitation/notes.py checks it, and the key a note with its id is stored under."""
    if request.token not in loaded.tables:
        return IncomingNote(request.client_id, request.text, request.by_host, request.round_number), None
    table, is_host_token = loaded.tables[request.token]
    participant = None if request.by_host else loaded.participants.get((table.cafe_id, request.device_key))
    try:
        key = (table.cafe_id, clean_client_id(request.client_id))
    except NoteRejected:
        key = None  # refused by the checks before an earlier note matters
    if key in loaded.existing:
        stored = loaded.existing[key]
        earlier = EarlierNote(stored.participant_id, stored.source, stored.table_id)
    elif key in new_rows:
        row = new_rows[key]
        earlier = EarlierNote(row["participant_id"], row["source"], row["table_id"])
    else:
        earlier = None
    return IncomingNote(
        client_id=request.client_id, text=request.text, by_host=request.by_host, round_number=request.round_number,
        table_id=table.id, token_is_hosts=is_host_token, device_key=request.device_key,
        phone_id=participant.id if participant else None, seated_at=participant.table_id if participant else None,
        earlier=earlier, cafe=loaded.states[table.cafe_id], rounds=loaded.rounds.get(table.cafe_id, {}),
    ), key


def _stored_again(session: Session, request: NoteRequest, tables, rounds, participants) -> Outcome:
    table, _ = tables[request.token]
    note = session.execute(
        select(*NOTE_COLUMNS).where(Note.cafe_id == table.cafe_id, Note.client_id == request.client_id)
    ).one()
    participant = None if request.by_host else participants.get((table.cafe_id, request.device_key))
    earlier = EarlierNote(note.participant_id, note.source, note.table_id)
    if not sent_by(earlier, phone_id=participant.id if participant else None, table_id=table.id):
        return Outcome(error="client_id_taken")
    number = next((r.number for r in rounds.get(table.cafe_id, {}).values() if r.id == note.round_id), None)
    return Outcome(note=StoredNote(**note._asdict()), created=False, table_number=table.number, round_number=number)


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
