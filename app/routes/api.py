"""The same actions as JSON, under /api/v1/ (described at /openapi.json)."""

import time
from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from app.db import DbId, SessionDep, Token
from app.deps import CsrfChecked, CurrentUser, Embedder, Intake, NoteLimiter, OwnedCafe, OwnedNote, device_key
from app.i18n import gettext_for
from app.models import Cafe, CafeTable, Note, Round, utcnow
from app.note_post import MAX_FIELD_CHARS, answer_note
from app.routes.participant import table_view
from app.services import cafes as cafe_service
from app.services import notes as note_service
from facilitation import phases
from facilitation.notes import NoteRejected

router = APIRouter(prefix="/api/v1", tags=["api"])


async def require_json(request: Request) -> None:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise NoteRejected("bad_content_type")


JsonBody = Depends(require_json)


class NoteIn(BaseModel):
    client_id: str = Field(max_length=200, description="An id made on the phone; resending it never makes a second note.")
    text: str = Field(description="1 to 1,000 characters once trimmed.")

    @field_validator("text")
    @classmethod
    def _no_longer_than_a_note_can_be(cls, text: str) -> str:
        # Refused as a note too long, in the user's language, as the phone's post is (app/note_post.py).
        if len(text) > MAX_FIELD_CHARS:
            raise NoteRejected("too_long")
        return text


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


# The route reads its body itself (app/note_post.py, shared with the fast lane); this describes it.
NOTE_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": NoteIn.model_json_schema()}}}}


@router.post("/tables/{token}/notes", response_model=NoteOut, status_code=201, openapi_extra=NOTE_BODY)
async def send_note(request: Request, token: Token, intake: Intake):
    """Send a note from a phone. 201 when stored, 200 when this client_id was stored before.

    The note goes to the intake, which stores notes of many phones in one transaction; the
    answer comes only once the note is committed. In the running app the fast lane
    (app/fastlane.py) answers before this route, with the same `answer_note`."""
    status, payload = await answer_note(
        intake, token=token, content_type=request.headers.get("content-type", ""), receive=request.receive,
        device_key=request.session.get("device"), gettext=gettext_for(request),
    )
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
def host_note(response: Response, session: SessionDep, token: Token, body: HostNoteIn, limiter: NoteLimiter,
              embedder: Embedder):
    """A note typed by the table host, for someone without a phone or from a paper card."""
    table = note_service.table_by_host_token(session, token)
    result = note_service.submit_note(
        session, table=table, client_id=body.client_id, text=body.text, round_number=body.round,
        limiter=limiter, now=time.monotonic(),
    )
    if not result.created:
        response.status_code = 200
    embedder.note_arrived(result.note.cafe_id)
    return note_out(session, result.note)


def _cafe_out(session, cafe: Cafe) -> CafeOut:
    state = cafe_service.cafe_state(session, cafe)
    return CafeOut(
        id=cafe.id, village=cafe.village, phase=cafe.phase, current_round=cafe.current_round,
        rounds_done=cafe.rounds_done, seconds_left=phases.seconds_left(state, utcnow()),
        allowed_actions=[a.value for a in phases.allowed_actions(state)],
    )


@router.get("/cafes/{cafe_id}", response_model=CafeOut)
def cafe(session: SessionDep, cafe: OwnedCafe):
    return _cafe_out(session, cafe)


@router.post("/cafes/{cafe_id}/actions", response_model=CafeOut, dependencies=[CsrfChecked, JsonBody])
def cafe_action(session: SessionDep, cafe: OwnedCafe, body: ActionIn):
    """Open the café, start, extend or end a round, close the café (X-CSRF-Token header)."""
    return _cafe_out(session, cafe_service.run_action(session, cafe=cafe, action=body.action, minutes=body.minutes))


@router.get("/cafes/{cafe_id}/notes", response_model=list[NoteOut])
def cafe_notes(session: SessionDep, cafe: OwnedCafe):
    return [note_out(session, n) for n in note_service.notes_in_cafe(session, cafe)]


class VisibilityIn(BaseModel):
    hidden: bool


@router.post("/notes/{note_id}/visibility", response_model=NoteOut, dependencies=[CsrfChecked, JsonBody])
def note_visibility(session: SessionDep, user: CurrentUser, note: OwnedNote, body: VisibilityIn):
    return note_out(session, note_service.set_hidden(session, note=note, user=user, hidden=body.hidden))
