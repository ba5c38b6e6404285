"""The table host's screen: every note at the table, typing for people without a phone, and
typing in a stack of paper cards after a round."""

import time
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from app.db import SessionDep
from app.deps import Embedder, HostTable, NoteLimiter
from app.i18n import gettext_for
from app.live import newest_event_id
from app.messages import message_for
from app.models import Cafe, Process, utcnow
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services.paper_cards import store_paper_cards
from app.templating import render
from facilitation import phases
from facilitation.notes import MAX_NOTE_LENGTH, NoteRejected, new_client_id
from facilitation.paper_cards import CardRow, card_rows

router = APIRouter()
BATCH_ROWS = 8


@router.get("/h/{token}")
def host_page(request: Request, session: SessionDep, table: HostTable, saved: Annotated[int, Query(ge=0, le=1000)] = 0):
    return _render_host(request, session, table, saved=saved)


@router.post("/h/{token}/notes")
def host_note(
    request: Request,
    session: SessionDep,
    table: HostTable,
    limiter: NoteLimiter,
    embedder: Embedder,
    text: Annotated[str, Form(max_length=10 * MAX_NOTE_LENGTH)] = "",
    client_id: Annotated[str, Form(max_length=200)] = "",
):
    try:
        note_service.submit_note(session, table=table, client_id=client_id, text=text, limiter=limiter, now=time.monotonic())
        embedder.note_arrived(table.cafe_id)
    except (NoteRejected, phases.PhaseError) as error:
        return _render_host(
            request, session, table, status_code=409 if error.code == "client_id_taken" else 422, text=text,
            client_id=None if error.code == "client_id_taken" else client_id,
            error=message_for(error.code, gettext_for(request)),
        )
    # The note's id in the address tells host.js which kept text is stored: an older page of
    # this table reached by "back" must not drop a newer text.
    return RedirectResponse(f"/h/{table.host_token}?{urlencode({'saved': 1, 'note': client_id})}#saved", status_code=303)


async def _paper_card_rows(request: Request) -> list[CardRow]:
    form = await request.form()
    return card_rows(form.getlist("card_text"), form.getlist("card_round"), form.getlist("card_id"))


@router.post("/h/{token}/cards")
def paper_cards(
    request: Request, session: SessionDep, table: HostTable, rows: Annotated[list[CardRow], Depends(_paper_card_rows)],
    embedder: Embedder,
):
    """A stack of paper cards, typed in after a round: each row has its text and its round.
    Empty rows are skipped; rows already saved (same id) are not saved twice."""
    refusals = store_paper_cards(session, table=table, rows=rows)
    saved = refusals.count(None)
    failed = [
        {"text": row.text, "round": row.round, "id": new_client_id() if code == "client_id_taken" else row.client_id,
         "error": message_for(code, gettext_for(request))}
        for row, code in zip(rows, refusals) if code
    ]
    if saved:
        embedder.note_arrived(table.cafe_id)
    if failed:
        return _render_host(request, session, table, status_code=422, saved=saved, failed_cards=failed)
    return RedirectResponse(f"/h/{table.host_token}?saved={saved}#saved", status_code=303)


def _render_host(request, session, table, status_code=200, text="", client_id=None, failed_cards=(), saved=0, **extra):
    cafe = session.get(Cafe, table.cafe_id)
    state = cafe_service.cafe_state(session, cafe)
    rounds = cafe_service.rounds_of(session, cafe)
    notes = note_service.notes_at_table(session, table)
    request.state.timezone = cafe_service.timezone_of(session, cafe)
    started = [r for r in rounds if r.started_at is not None]
    cards = list(failed_cards) + [
        {"text": "", "round": str(started[-1].number if started else 1), "id": new_client_id(), "error": None}
        for _ in range(BATCH_ROWS - len(failed_cards))
    ]
    return render(
        request, "host/table.html", status_code=status_code,
        cafe=cafe, process=session.get(Process, cafe.process_id), table=table, phase=state.phase.value,
        round=cafe_service.current_round(session, cafe) if state.phase == phases.Phase.ROUND else None,
        seconds_left=phases.seconds_left(state, utcnow()),
        rounds=rounds, started_rounds=started,
        notes_by_round={r.id: [n for n in notes if n.round_id == r.id] for r in rounds},
        text=text, client_id=client_id or new_client_id(), cards=cards, saved=saved,
        max_length=MAX_NOTE_LENGTH, events_from=newest_event_id(session, cafe.id), **extra,
    )
