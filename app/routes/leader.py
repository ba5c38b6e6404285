"""The process leader's screens: processes, cafés, table cards, running the evening, moderation."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.db import DbId, SessionDep
from app.deps import CsrfChecked, CurrentUser, OwnedCafe, OwnedNote, OwnedProcess
from app.forms import CafeForm, ProcessForm
from app.i18n import gettext_for, use_language
from app.live import newest_event_id
from app.messages import message_for
from app.models import Organisation, Process, row_id, utcnow
from app.qr import public_base, qr_png, qr_svg
from app.services import accounts as account_service
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services import villages as village_service
from app.templating import render
from facilitation import phases
from facilitation.clock import TIMEZONES
from facilitation.leader_text import names_in
from facilitation.moderation import notes_by_table
from facilitation.village_data import parse_location, parse_population
from facilitation.process import DEFAULT_QUESTIONS, DEFAULT_ROUND_MINUTES, ParticipationLevel, PlanError, RoundPlan
from facilitation.refusals import NotFound

router = APIRouter(prefix="/leader")
REOPEN_CHOICES = (15, 30, 60)  # minutes a closed café can open again for, offered to the leader


@router.get("")
def process_list(request: Request, session: SessionDep, user: CurrentUser):
    organisation = session.get(Organisation, user.organisation_id)
    return render(request, "leader/processes.html", processes=cafe_service.processes_of(session, user),
                  timezones=TIMEZONES, organisation_timezone=organisation.timezone)


@router.post("/timezone", dependencies=[CsrfChecked])
def set_timezone(session: SessionDep, user: CurrentUser, timezone: Annotated[str, Form(max_length=64)]):
    account_service.set_timezone(session, user=user, timezone=timezone)
    return RedirectResponse("/leader", status_code=303)


@router.get("/processes/new")
def new_process_form(request: Request, user: CurrentUser):
    return render(request, "leader/process_form.html", process=None, levels=list(ParticipationLevel), form={})


@router.post("/processes/new", dependencies=[CsrfChecked])
def create_process(request: Request, session: SessionDep, user: CurrentUser, form: Annotated[ProcessForm, Form()]):
    return _save_process(request, session, user, form, process=None)


@router.get("/processes/{process_id}")
def process_page(request: Request, session: SessionDep, process: OwnedProcess):
    return render(request, "leader/process.html", process=process, cafes=cafe_service.cafes_of(session, process))


@router.get("/processes/{process_id}/edit")
def edit_process_form(request: Request, process: OwnedProcess, saved: bool = False):
    """The process's form; `saved` after saving a text that names a person, to say so beside it."""
    return render(
        request, "leader/process_form.html", process=process, levels=list(ParticipationLevel), form=process.model_dump(),
        names=_names_to_check(process) if saved else {},
    )


# The free texts of a process that the public dashboard shows, checked for names of persons.
PUBLISHED_PROCESS_TEXTS = ("name", "description")


def _names_to_check(process: Process) -> dict[str, list[str]]:
    return {field: names for field in PUBLISHED_PROCESS_TEXTS if (names := names_in(getattr(process, field)))}


@router.post("/processes/{process_id}/edit", dependencies=[CsrfChecked])
def edit_process(
    request: Request, session: SessionDep, user: CurrentUser, process: OwnedProcess, form: Annotated[ProcessForm, Form()]
):
    return _save_process(request, session, user, form, process=process)


def _save_process(request, session, user, form, process):
    try:
        saved = cafe_service.save_process(session, user=user, process=process, **form.model_dump(exclude={"csrf_token"}))
    except PlanError as error:
        return render(
            request, "leader/process_form.html", status_code=422, process=process, levels=list(ParticipationLevel),
            form=form.model_dump(), error=message_for(error.code, gettext_for(request)),
        )
    if _names_to_check(saved):  # back to the form, which says which names and where
        return RedirectResponse(f"/leader/processes/{saved.id}/edit?saved=1", status_code=303)
    return RedirectResponse(f"/leader/processes/{saved.id}", status_code=303)


@router.get("/processes/{process_id}/cafes/new")
def new_cafe_form(request: Request, process: OwnedProcess):
    form = {
        "village": "", "venue": "", "date": date.today().isoformat(), "table_count": 6,
        "rounds": [RoundPlan(question, DEFAULT_ROUND_MINUTES) for question in DEFAULT_QUESTIONS],
    }
    return render(request, "leader/cafe_form.html", process=process, cafe=None, form=form)


@router.post("/processes/{process_id}/cafes/new", dependencies=[CsrfChecked])
def create_cafe(request: Request, session: SessionDep, process: OwnedProcess, form: Annotated[CafeForm, Form()]):
    return _save_cafe(request, session, process, form, cafe=None)


@router.get("/cafes/{cafe_id}/edit")
def edit_cafe_form(request: Request, session: SessionDep, cafe: OwnedCafe, saved: bool = False):
    """The café's form; `saved` after saving a question that names a person, to say so beside it."""
    process = session.get(Process, cafe.process_id)
    form = {
        "village": cafe.village, "municipality": cafe.municipality, "venue": cafe.venue,
        "date": cafe.date.isoformat(), "table_count": cafe.table_count,
        "trial": cafe.trial,
        **village_service.place_fields(cafe),
        "rounds": [RoundPlan(r.question, r.minutes) for r in cafe_service.rounds_of(session, cafe)],
    }
    names = _names_in_questions(session, cafe) if saved else {}
    return render(request, "leader/cafe_form.html", process=process, cafe=cafe, form=form, names=names)


def _names_in_questions(session, cafe) -> dict[int, list[str]]:
    """Per round number, the names of persons its question (shown on every phone) seems to mention."""
    return {r.number: names for r in cafe_service.rounds_of(session, cafe) if (names := names_in(r.question))}


@router.post("/cafes/{cafe_id}/edit", dependencies=[CsrfChecked])
def edit_cafe(request: Request, session: SessionDep, cafe: OwnedCafe, form: Annotated[CafeForm, Form()]):
    process = session.get(Process, cafe.process_id)
    return _save_cafe(request, session, process, form, cafe=cafe)


def _save_cafe(request, session, process, form, cafe):
    rounds = [RoundPlan(q, m) for q, m in zip(form.question, form.minutes) if q.strip()]
    try:
        on = _parse_date(form.date)
        location, population = parse_location(form.latitude, form.longitude), parse_population(form.population)
        if cafe is None:
            cafe = cafe_service.create_cafe(
                session, process=process, village=form.village, venue=form.venue, on=on,
                table_count=form.table_count, rounds=rounds, municipality=form.municipality, trial=form.trial,
            )
        else:
            cafe = cafe_service.update_cafe(
                session, cafe=cafe, village=form.village, venue=form.venue, on=on,
                table_count=form.table_count, rounds=rounds, municipality=form.municipality, trial=form.trial,
            )
        village_service.set_place(session, cafe=cafe, location=location, population=population)
    except PlanError as error:
        session.rollback()
        values = form.model_dump() | {"rounds": rounds or [RoundPlan("", DEFAULT_ROUND_MINUTES)]}
        return render(
            request, "leader/cafe_form.html", status_code=422, process=process, cafe=cafe, form=values,
            error=message_for(error.code, gettext_for(request)),
        )
    if _names_in_questions(session, cafe):  # back to the form, which says which names and where
        return RedirectResponse(f"/leader/cafes/{cafe.id}/edit?saved=1", status_code=303)
    return RedirectResponse(f"/leader/cafes/{cafe.id}", status_code=303)


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PlanError("bad_date") from None


@router.get("/cafes/{cafe_id}")
def cafe_page(request: Request, session: SessionDep, cafe: OwnedCafe,
              confirm: Annotated[str, Query(max_length=20)] = ""):
    """The café's controls; `confirm=end_round` asks before a round with time left is ended."""
    context = _cafe_context(request, session, cafe)
    ask = confirm == phases.Action.END_ROUND and phases.ends_round_early(context["state"], utcnow())
    return render(request, "leader/cafe.html", **context, confirm_end_round=ask)


def _cafe_context(request, session, cafe) -> dict:
    state = cafe_service.cafe_state(session, cafe)
    rounds = cafe_service.rounds_of(session, cafe)
    tables = cafe_service.tables_of(session, cafe)
    notes = note_service.notes_in_cafe(session, cafe)
    now = utcnow()
    return dict(
        process=session.get(Process, cafe.process_id),
        cafe=cafe,
        state=state,
        # Closing and reopening live apart from the round controls, behind a confirmation.
        actions=[a.value for a in phases.allowed_actions(state) if a not in (phases.Action.CLOSE, phases.Action.REOPEN)],
        can_close=phases.can_join(state, now),  # open, in a round, or reopened
        reopened_until=phases.open_again_until(state, now),
        reopen_minutes=REOPEN_CHOICES,
        next_round=phases.next_round_number(state),
        seconds_left=phases.seconds_left(state, now),
        rounds=rounds,
        tables=tables,
        notes_by_table=notes_by_table(notes, [row_id(t) for t in tables], [row_id(r) for r in rounds]),
        names_in=note_service.flagged_names(notes),
        names_kept=note_service.names_kept(session, [row_id(n) for n in notes]),
        note_count=len(notes),
        hidden_count=sum(1 for n in notes if n.hidden_at),
        base_url=public_base(request),
        events_from=newest_event_id(session, cafe.id),
    )


@router.post("/cafes/{cafe_id}/actions", dependencies=[CsrfChecked])
def cafe_action(
    session: SessionDep,
    cafe: OwnedCafe,
    action: Annotated[str, Form(max_length=20)],
    minutes: Annotated[int, Form(ge=1, le=phases.MAX_REOPEN_MINUTES)] = 5,
    confirmed: Annotated[bool, Form()] = False,
):
    if action == phases.Action.END_ROUND and not confirmed and phases.ends_round_early(
            cafe_service.cafe_state(session, cafe), utcnow()):
        return RedirectResponse(f"/leader/cafes/{cafe.id}?confirm=end_round#run", status_code=303)
    cafe_service.run_action(session, cafe=cafe, action=action, minutes=minutes)
    return RedirectResponse(f"/leader/cafes/{cafe.id}", status_code=303)


@router.get("/cafes/{cafe_id}/close")
def close_confirmation(request: Request, session: SessionDep, cafe: OwnedCafe):
    """Closing cannot be undone by a click: this page names what it ends, and asks."""
    state = cafe_service.cafe_state(session, cafe)
    now = utcnow()
    return render(
        request, "leader/close.html", cafe=cafe, state=state,
        vote_open=cafe.vote_open and phases.can_join(state, now),
        reopened_until=phases.open_again_until(state, now),
        phones=sum(note_service.phones_per_table(session, cafe.id).values()),
        rounds_left=phases.rounds_left_unrun(state),
    )


@router.get("/cafes/{cafe_id}/cards")
def table_cards(request: Request, session: SessionDep, cafe: OwnedCafe):
    process = session.get(Process, cafe.process_id)
    use_language(request, process.language)
    return render(
        request, "leader/cards.html",
        process=process,
        cafe=cafe, tables=cafe_service.tables_of(session, cafe), base_url=public_base(request),
    )


@router.get("/cafes/{cafe_id}/tables/{number}/qr.{fmt}")
def table_qr(request: Request, session: SessionDep, cafe: OwnedCafe, number: DbId, fmt: str, host: bool = False):
    table = next((t for t in cafe_service.tables_of(session, cafe) if t.number == number), None)
    if table is None or fmt not in ("svg", "png"):
        raise NotFound
    url = f"{public_base(request)}/{'h' if host else 't'}/{table.host_token if host else table.join_token}"
    if fmt == "svg":
        return Response(qr_svg(url), media_type="image/svg+xml")
    return Response(qr_png(url), media_type="image/png")


@router.post("/notes/{note_id}/mask-name", dependencies=[CsrfChecked])
def mask_name(session: SessionDep, user: CurrentUser, note: OwnedNote):
    note_service.mask_names(session, note=note, user=user)
    return RedirectResponse(f"/leader/cafes/{note.cafe_id}#note-{note.id}", status_code=303)


@router.post("/notes/{note_id}/keep-names", dependencies=[CsrfChecked])
def keep_names(session: SessionDep, user: CurrentUser, note: OwnedNote):
    note_service.keep_names(session, note=note, user=user)
    return RedirectResponse(f"/leader/cafes/{note.cafe_id}#note-{note.id}", status_code=303)


@router.post("/notes/{note_id}/visibility", dependencies=[CsrfChecked])
def note_visibility(session: SessionDep, user: CurrentUser, note: OwnedNote, hidden: Annotated[bool, Form()]):
    note_service.set_hidden(session, note=note, user=user, hidden=hidden)
    return RedirectResponse(f"/leader/cafes/{note.cafe_id}#note-{note.id}", status_code=303)
