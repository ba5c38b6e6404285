"""The same actions as JSON, under /api/v1/ (described at /openapi.json)."""

import time
from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.db import DbId, SessionDep, Token
from app.fastlane import reply_for
from app.i18n import gettext_for
from app.deps import CsrfChecked, CurrentUser, device_key
from app.models import Cafe, CafeTable, Note, Round, utcnow
from app.routes.participant import table_view
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services.cafes import NotFound
from app.services.note_batches import NoteRequest
from facilitation import phases
from facilitation.notes import NoteRejected

router = APIRouter(prefix="/api/v1", tags=["api"])


async def require_json(request: Request) -> None:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise NoteRejected("bad_content_type")


JsonBody = Depends(require_json)


class NoteIn(BaseModel):
    client_id: str = Field(max_length=200, description="An id made on the phone; resending it never makes a second note.")
    text: str = Field(max_length=10_000, description="1 to 1,000 characters once trimmed.")


class HostNoteIn(NoteIn):
    round: DbId | None = Field(default=None, description="The round of a paper card; default the running round.")


class NoteOut(BaseModel):
    id: int
    client_id: str
    text: str
    table: int
    round: int
    source: str
    created_at: datetime
    hidden: bool
    saved: bool = True


class TableOut(BaseModel):
    cafe: str
    table: int
    phase: str
    round: int | None
    round_count: int
    question: str | None
    seconds_left: int | None
    notes: list[NoteOut]


class ActionIn(BaseModel):
    action: str = Field(max_length=20, description="open, start_round, extend_round, end_round, close or reopen")
    minutes: int = Field(default=5, ge=1, le=120, description="of an extension (1-60) or a reopening (1-120)")


class CafeOut(BaseModel):
    id: int
    village: str
    phase: str
    current_round: int | None
    rounds_done: int
    seconds_left: int | None
    allowed_actions: list[str]


def note_out(session, note: Note) -> NoteOut:
    table = session.get(CafeTable, note.table_id)
    round_ = session.get(Round, note.round_id)
    return NoteOut(
        id=note.id, client_id=note.client_id, text=note.public_text, table=table.number, round=round_.number,
        source=note.source, created_at=note.created_at, hidden=note.hidden_at is not None,
    )


def _table_out(session, view: dict) -> TableOut:
    return TableOut(
        cafe=view["cafe"].village, table=view["table"].number, phase=view["phase"],
        round=view["round"].number if view["round"] else None, round_count=view["round_count"],
        question=view["round"].question if view["round"] else None, seconds_left=view["seconds_left"],
        notes=[note_out(session, n) for n in view["my_notes"]],
    )


@router.post("/tables/{token}/join", response_model=TableOut)
def join(request: Request, session: SessionDep, token: Token):
    """Sit this phone down at the table of a join token (from the QR code)."""
    table = note_service.table_by_join_token(session, token)
    participant = note_service.join_table(session, table=table, device_key=device_key(request))
    return _table_out(session, table_view(session, session.get(Cafe, table.cafe_id), table, participant))


@router.get("/tables/{token}", response_model=TableOut)
def table_state(request: Request, session: SessionDep, token: Token):
    """The question, the time left and this phone's notes."""
    table = note_service.table_by_join_token(session, token)
    participant = _participant(request, session, table)
    return _table_out(session, table_view(session, session.get(Cafe, table.cafe_id), table, participant))


@router.post("/tables/{token}/notes", response_model=NoteOut, status_code=201, dependencies=[JsonBody])
async def send_note(request: Request, token: Token, body: NoteIn):
    """Send a note from a phone. 201 when stored, 200 when this client_id was stored before.

    The note goes to the intake, which stores notes of many phones in one transaction; the
    answer comes only once the note is committed. (Served by app/fastlane.py, same answers.)"""
    outcome = await request.app.state.intake.submit(
        NoteRequest(token=token, client_id=body.client_id, text=body.text, device_key=request.session.get("device"))
    )
    status, payload = reply_for(outcome, gettext_for(request))
    return JSONResponse(payload, status_code=status)


def _participant(request, session, table):
    participant = note_service.participant_in(session, cafe_id=table.cafe_id, device_key=request.session.get("device"))
    if participant is None or participant.table_id != table.id:
        raise NoteRejected("not_at_table")
    return participant


@router.get("/host/{token}/notes", response_model=list[NoteOut])
def host_notes(session: SessionDep, token: Token):
    """Every visible note at the host's table, from all rounds."""
    table = note_service.table_by_host_token(session, token)
    return [note_out(session, n) for n in note_service.notes_at_table(session, table)]


@router.post("/host/{token}/notes", response_model=NoteOut, status_code=201, dependencies=[JsonBody])
def host_note(request: Request, response: Response, session: SessionDep, token: Token, body: HostNoteIn):
    """A note typed by the table host, for someone without a phone or from a paper card."""
    table = note_service.table_by_host_token(session, token)
    result = note_service.submit_note(
        session, table=table, client_id=body.client_id, text=body.text, round_number=body.round,
        limiter=request.app.state.note_limiter, now=time.monotonic(),
    )
    if not result.created:
        response.status_code = 200
    request.app.state.embedder.note_arrived(result.note.cafe_id)
    return note_out(session, result.note)


def _cafe_out(session, cafe: Cafe) -> CafeOut:
    state = cafe_service.cafe_state(session, cafe)
    return CafeOut(
        id=cafe.id, village=cafe.village, phase=cafe.phase, current_round=cafe.current_round,
        rounds_done=cafe.rounds_done, seconds_left=phases.seconds_left(state, utcnow()),
        allowed_actions=[a.value for a in phases.allowed_actions(state)],
    )


@router.get("/cafes/{cafe_id}", response_model=CafeOut)
def cafe(session: SessionDep, user: CurrentUser, cafe_id: DbId):
    return _cafe_out(session, cafe_service.cafe_for(session, user, cafe_id))


@router.post("/cafes/{cafe_id}/actions", response_model=CafeOut, dependencies=[CsrfChecked, JsonBody])
def cafe_action(session: SessionDep, user: CurrentUser, cafe_id: DbId, body: ActionIn):
    """Open the café, start, extend or end a round, close the café (X-CSRF-Token header)."""
    cafe = cafe_service.cafe_for(session, user, cafe_id)
    return _cafe_out(session, cafe_service.run_action(session, cafe=cafe, action=body.action, minutes=body.minutes))


@router.get("/cafes/{cafe_id}/notes", response_model=list[NoteOut])
def cafe_notes(session: SessionDep, user: CurrentUser, cafe_id: DbId):
    cafe = cafe_service.cafe_for(session, user, cafe_id)
    return [note_out(session, n) for n in note_service.notes_in_cafe(session, cafe)]


class VisibilityIn(BaseModel):
    hidden: bool


@router.post("/notes/{note_id}/visibility", response_model=NoteOut, dependencies=[CsrfChecked, JsonBody])
def note_visibility(session: SessionDep, user: CurrentUser, note_id: DbId, body: VisibilityIn):
    note = session.get(Note, note_id)
    if note is None:
        raise NotFound
    cafe_service.cafe_for(session, user, note.cafe_id)
    return note_out(session, note_service.set_hidden(session, note=note, user=user, hidden=body.hidden))
