"""The participant's phone: join a table by QR code or short code, read the question, send notes."""

import time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.db import SessionDep, Token
from app.deps import CodeLimiter, Engine, Intake, device_key
from app.forms import FormText, read_clipped_form
from app.i18n import gettext_for
from app.live import newest_event_id
from app.messages import message_for, status_for
from app.models import Cafe, Process, utcnow
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services import rotation as rotation_service
from app.services import votes as vote_service
from app.services.note_batches import NoteRequest, Outcome
from app.templating import render
from facilitation import phases
from facilitation.notes import MAX_NOTE_LENGTH, NoteRejected, new_client_id
from facilitation.refusals import NotFound
from facilitation.voting import VoteRefused

router = APIRouter()


@router.get("/k")
def code_form(request: Request):
    return render(request, "participant/code.html")


@router.post("/k")
def enter_code(request: Request, session: SessionDep, limiter: CodeLimiter, code: Annotated[str, Form(max_length=50)] = ""):
    return _go_to_table(request, session, limiter, code)


@router.get("/k/{code}")
def code_link(request: Request, session: SessionDep, limiter: CodeLimiter, code: str):
    return _go_to_table(request, session, limiter, code)


def _go_to_table(request: Request, session, limiter, code: str):
    client = request.client.host if request.client else "-"
    try:
        if not limiter.allow(client, time.monotonic()):
            raise NoteRejected("rate_limited")
        table = note_service.table_by_short_code(session, code)
    except (NotFound, NoteRejected) as error:
        refusal = error.code if isinstance(error, NoteRejected) else "bad_code"
        return render(
            request, "participant/code.html", status_code=status_for(refusal), code=code[:50],
            error=message_for(refusal, gettext_for(request)),
        )
    return RedirectResponse(f"/t/{table.join_token}", status_code=303)


@router.get("/t/{token}")
def table_page(request: Request, session: SessionDep, token: Token):
    table = note_service.table_by_join_token(session, token)
    try:
        participant = note_service.join_table(session, table=table, device_key=device_key(request))
    except phases.PhaseError as refused:
        if refused.code == "cafe_not_open":
            return _render_not_open(request, session, table)
        if refused.code != "cafe_closed":
            raise
        return _render_goodbye(request, session, table)
    return _render_table(request, session, table, participant, sent=request.query_params.get("sent") == "1")


# Read of each field of the phone's form: enough for a text of FORM_TEXT_LIMIT characters even
# when every character is four bytes of UTF-8, each sent as %XX.
FORM_TEXT_LIMIT = 10 * MAX_NOTE_LENGTH
FORM_FIELD_BYTES = 12 * FORM_TEXT_LIMIT


# The route reads its form itself (read_clipped_form); this describes it in /openapi.json.
NOTE_FORM = {"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
    "type": "object", "required": ["text", "client_id"],
    "properties": {"text": {"type": "string"}, "client_id": {"type": "string"}}}}}}}


@router.post("/t/{token}/notes", openapi_extra=NOTE_FORM)
async def send_note_form(request: Request, token: Token, intake: Intake, engine: Engine):
    """The form post for phones without JavaScript (fields text and client_id): store, then
    redirect back (no double post). A refused note comes back in the box; a text far too long
    to be a note (over FORM_TEXT_LIMIT characters, up to any size) comes back cut to the note limit."""
    form = await read_clipped_form(request, ("text", "client_id"), FORM_FIELD_BYTES)
    text, client_id = form.get("text", ""), form.get("client_id", "")[:200]
    if len(text) > FORM_TEXT_LIMIT:
        outcome = Outcome(error="too_long_cut")
        text = text[:MAX_NOTE_LENGTH]
    else:
        outcome = await intake.submit(
            NoteRequest(token=token, client_id=client_id, text=text, device_key=request.session.get("device"))
        )
    if outcome.error in ("not_found", "not_at_table"):
        note_service.raise_for(outcome)
    if outcome.error == "cafe_closed" and (
        goodbye := await run_in_threadpool(_goodbye_unless_reopened, request, engine, token, text)
    ):
        return goodbye
    if outcome.error:
        message = message_for(outcome.error, gettext_for(request))
        if outcome.error == "client_id_taken":
            client_id = ""  # the text is sent again with a new id
        return await run_in_threadpool(
            _render_refused, request, engine, token, text, client_id, message, status_for(outcome.error)
        )
    return RedirectResponse(f"/t/{token}?sent=1#my-notes", status_code=303)


def _render_refused(request, engine, token, text, client_id, message, status):
    with Session(engine) as session:
        table = note_service.table_by_join_token(session, token)
        participant = note_service.participant_in(session, cafe_id=table.cafe_id, device_key=request.session.get("device"))
        if participant is None or participant.table_id != table.id:  # as the intake answers a phone not seated here
            raise NoteRejected("not_at_table")
        return _render_table(
            request, session, table, participant, status_code=status, text=text, client_id=client_id, error=message
        )


def _goodbye_unless_reopened(request, engine, token, text):
    """A note refused because the café closed: the goodbye, showing the text. A café the leader
    reopened (for the vote) shows its table page instead, which says why the note was refused."""
    with Session(engine) as session:
        table = note_service.table_by_join_token(session, token)
        if phases.can_join(cafe_service.cafe_state(session, session.get(Cafe, table.cafe_id)), utcnow()):
            return None
        return _render_goodbye(request, session, table, text=text)


def _render_not_open(request, session, table):
    cafe = session.get(Cafe, table.cafe_id)
    return render(  # a page that waits, not an error: it becomes the table when the café opens
        request, "participant/not_open.html", cafe=cafe, table=table,
        message=message_for("cafe_not_open", gettext_for(request)), events_from=newest_event_id(session, cafe.id),
    )


def _render_goodbye(request, session, table, text=""):
    """A closed café says goodbye, and keeps the text a phone had not sent (the phone's script
    adds what it kept on the phone): visible, and said plainly not to have been sent."""
    cafe = session.get(Cafe, table.cafe_id)
    request.state.timezone = cafe_service.timezone_of(session, cafe)
    participant = note_service.participant_in(session, cafe_id=cafe.id, device_key=request.session.get("device"))
    return render(
        request, "participant/goodbye.html", cafe=cafe, table=table, text=text,
        my_notes=note_service.notes_of_device(session, participant) if participant else [],
    )


def _render_table(request, session, table, participant, status_code=200, text="", client_id=None, **extra):
    cafe = session.get(Cafe, table.cafe_id)
    request.state.timezone = cafe_service.timezone_of(session, cafe)
    return render(
        request, "participant/table.html", status_code=status_code,
        **table_view(session, cafe, table, participant),
        text=text, client_id=client_id or new_client_id(), max_length=MAX_NOTE_LENGTH,
        next_table=rotation_service.next_table_for(session, cafe, participant),
        events_from=newest_event_id(session, cafe.id), **extra,
    )


def table_view(session, cafe: Cafe, table, participant) -> dict:
    """What a phone at a table sees; shared by the page and the JSON API."""
    state = cafe_service.cafe_state(session, cafe)
    round_ = cafe_service.current_round(session, cafe) if state.phase == phases.Phase.ROUND else None
    now = utcnow()
    return dict(
        cafe=cafe,
        process=session.get(Process, cafe.process_id),
        table=table,
        participant=participant,
        phase=state.phase.value,
        round=round_,
        round_count=state.round_count,
        seconds_left=phases.seconds_left(state, now),
        vote_open=cafe.vote_open and phases.can_join(state, now),
        reopened_until=phases.open_again_until(state, now),
        my_notes=note_service.notes_of_device(session, participant),
    )


@router.get("/t/{token}/vote")
def vote_page(request: Request, session: SessionDep, token: Token):
    try:
        table, participant, cafe = _seated(request, session, token)
    except phases.PhaseError:
        return _render_goodbye(request, session, note_service.table_by_join_token(session, token))
    return _render_vote(request, session, table, participant, cafe)


@router.post("/t/{token}/vote")
def vote(
    request: Request,
    session: SessionDep,
    token: Token,
    theme: Annotated[FormText, Form(max_length=32)],
    change: Annotated[int, Form(ge=-1, le=1)],
):
    try:
        table, participant, cafe = _seated(request, session, token)
    except phases.PhaseError:
        return _render_goodbye(request, session, note_service.table_by_join_token(session, token))
    try:
        vote_service.change_dot(session, cafe=cafe, participant=participant, theme_key=theme, change=change)
    except VoteRefused as refused:
        session.rollback()
        return _render_vote(
            request, session, table, participant, cafe, status_code=409,
            error=message_for(refused.code, gettext_for(request)),
        )
    return RedirectResponse(f"/t/{token}/vote#theme-{theme}", status_code=303)


def _seated(request, session, token):
    table = note_service.table_by_join_token(session, token)
    cafe = session.get(Cafe, table.cafe_id)
    if not phases.can_join(cafe_service.cafe_state(session, cafe), utcnow()):
        raise phases.PhaseError("cafe_closed" if cafe.phase == phases.Phase.CLOSED else "cafe_not_open")
    participant = note_service.participant_in(session, cafe_id=table.cafe_id, device_key=request.session.get("device"))
    if participant is None:
        raise NoteRejected("not_at_table")
    return table, participant, session.get(Cafe, table.cafe_id)


def _render_vote(request, session, table, participant, cafe, status_code=200, **extra):
    placed = vote_service.dots_of(session, participant)
    themes = vote_service.cafe_themes(session, cafe)
    return render(
        request, "participant/vote.html", status_code=status_code,
        cafe=cafe, table=table, themes=themes, placed=placed,
        dots_left=cafe.vote_dots - sum(placed.values()), **extra,
    )
