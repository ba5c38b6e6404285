"""Live screens: the projector wall, and the event streams of wall, leader, host and phone."""

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from app.db import SessionDep, db_id
from app.deps import HostTable, Hub, JoinTable, OwnedCafe
from app.i18n import use_language
from app.live import newest_event_id, stream
from app.models import Process, utcnow
from app.qr import public_base, qr_svg
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services import wall as wall_service
from app.templating import render
from facilitation import phases

router = APIRouter()

PHONE_KINDS = {"phase", "vote", "rotation"}  # a rotation names every phone's next table; each picks its own
HOST_KINDS = {"phase", "note", "note_hidden", "note_shown"}


def _last_event_id(request: Request) -> int | None:
    """The id of the last event the screen had; one that is no event id (malformed, or past what
    the database holds) is ignored like a missing one, and the stream starts from now. 0 is a
    page rendered before the café's first event: it is sent every event."""
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id") or ""
    return 0 if raw == "0" else db_id(raw)


async def _event_stream(request: Request, hub, cafe_id: int, accepts) -> StreamingResponse:
    subscription = await hub.subscribe(cafe_id, accepts, _last_event_id(request))
    return StreamingResponse(
        stream(hub, subscription, request.is_disconnected),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


# The streams await the hub; what they read from the database is read by the dependencies
# (OwnedCafe, HostTable, JoinTable), which FastAPI runs in its thread pool.
@router.get("/leader/cafes/{cafe_id}/events")
async def leader_events(request: Request, cafe: OwnedCafe, hub: Hub):
    return await _event_stream(request, hub, cafe.id, lambda e: True)


@router.get("/h/{token}/events")
async def host_events(request: Request, table: HostTable, hub: Hub):
    return await _event_stream(
        request, hub, table.cafe_id, lambda e: e.kind in HOST_KINDS and e.table_id in (None, table.id)
    )


@router.get("/t/{token}/events")
async def phone_events(request: Request, table: JoinTable, hub: Hub):
    return await _event_stream(request, hub, table.cafe_id, lambda e: e.kind in PHONE_KINDS)


@router.get("/leader/cafes/{cafe_id}/wall")
def wall(request: Request, session: SessionDep, cafe: OwnedCafe):
    """The projector wall: join code, question, countdown, notes as they arrive."""
    use_language(request, session.get(Process, cafe.process_id).language)
    state = cafe_service.cafe_state(session, cafe)
    now = utcnow()
    phones = note_service.phones_per_table(session, cafe.id)
    reopened_until = phases.open_again_until(state, now)
    return render(
        request, "live/wall.html",
        cafe=cafe, state=state, instruction_code=phases.room_instruction(state),
        round=cafe_service.current_round(session, cafe) if state.phase == phases.Phase.ROUND else None,
        seconds_left=phases.seconds_left(state, now),
        # The wall invites phones to vote only while phones are let in to vote.
        vote_open=cafe.vote_open and phases.can_join(state, now),
        reopened_until=reopened_until,
        seconds_reopened=int((reopened_until - now).total_seconds()) if reopened_until else None,
        tables=[(t, phones.get(t.number, 0)) for t in cafe_service.tables_of(session, cafe)],
        notes=wall_service.newest_notes(session, cafe),
        # In the harvest the wall shows the emerging themes with their dots, largest first.
        harvest=[] if state.phase == phases.Phase.ROUND else wall_service.harvest(session, cafe),
        base_url=public_base(request),
        events_from=newest_event_id(session, cafe.id),
    )


@router.get("/leader/cafes/{cafe_id}/join-qr.svg")
def join_qr(request: Request, cafe: OwnedCafe):
    """The wall's QR code: the page where a table's code is typed."""
    return Response(qr_svg(f"{public_base(request)}/k"), media_type="image/svg+xml")
