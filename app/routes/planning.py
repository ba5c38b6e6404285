"""The planner's screens: plan categories, themes' categories, departments and responses,
publishing the feedback dashboard, and the village poster that links to it."""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.db import DbId, SessionDep, db_id
from app.deps import CsrfChecked, CurrentUser, OwnedCafe, OwnedProcess, OwnedThemes
from app.forms import FormText
from app.i18n import gettext_for, use_language
from app.messages import message_for
from app.models import Process
from app.qr import public_base, qr_svg
from app.services import planning as planning_service
from app.services import categories as category_service
from app.services import publishing as publishing_service
from app.services import responses as response_service
from app.services import themes as theme_service
from app.services import votes as vote_service
from facilitation.planning import PlanningRefused
from app.templating import render
from facilitation.refusals import NotFound

router = APIRouter(prefix="/leader")
Kind = Literal["cafes", "processes"]
Back = Literal["board", "plan"]


def _error(request: Request, code: str) -> str | None:
    return message_for(code, gettext_for(request)) if code else None


# --- plan categories ------------------------------------------------------------------------

@router.get("/processes/{process_id}/categories")
def categories_page(request: Request, session: SessionDep, process: OwnedProcess, error: str = ""):
    return render(
        request, "planning/categories.html", process=process,
        categories=category_service.categories_of(session, process),
        use=category_service.category_use(session, process), error=_error(request, error),
    )


def _categories_action(process_id: int, action) -> RedirectResponse:
    try:
        action()
    except PlanningRefused as refused:
        return RedirectResponse(f"/leader/processes/{process_id}/categories?error={refused.code}", status_code=303)
    return RedirectResponse(f"/leader/processes/{process_id}/categories", status_code=303)


@router.post("/processes/{process_id}/categories", dependencies=[CsrfChecked])
def add_category(session: SessionDep, process: OwnedProcess, name: Annotated[FormText, Form(max_length=1000)]):
    return _categories_action(process.id, lambda: category_service.add_category(session, process=process, name=name))


@router.post("/processes/{process_id}/categories/{category_id}/rename", dependencies=[CsrfChecked])
def rename_category(session: SessionDep, process: OwnedProcess, category_id: DbId,
                    name: Annotated[FormText, Form(max_length=1000)]):
    return _categories_action(process.id, lambda: category_service.rename_category(
        session, process=process, category_id=category_id, name=name))


@router.post("/processes/{process_id}/categories/{category_id}/move", dependencies=[CsrfChecked])
def move_category(session: SessionDep, process: OwnedProcess, category_id: DbId,
                  direction: Annotated[Literal["up", "down"], Form()]):
    return _categories_action(process.id, lambda: category_service.move_category(
        session, process=process, category_id=category_id, offset=-1 if direction == "up" else 1))


@router.post("/processes/{process_id}/categories/{category_id}/delete", dependencies=[CsrfChecked])
def remove_category(session: SessionDep, process: OwnedProcess, category_id: DbId):
    return _categories_action(process.id, lambda: category_service.remove_category(
        session, process=process, category_id=category_id))


# --- publishing, departments ----------------------------------------------------------------

@router.post("/processes/{process_id}/publish", dependencies=[CsrfChecked])
def publish(session: SessionDep, process: OwnedProcess, published: Annotated[bool, Form()]):
    publishing_service.set_published(session, process=process, published=published)
    return RedirectResponse(f"/leader/processes/{process.id}#feedback", status_code=303)


@router.get("/processes/{process_id}/departments")
def departments_page(request: Request, session: SessionDep, process: OwnedProcess):
    return render(
        request, "planning/departments.html", process=process,
        departments=planning_service.department_lists(session, process),
    )


# --- decisions on one theme -----------------------------------------------------------------

def _back(kind: Kind, scope_id: int, theme_id: int, back: Back, error: str = "", saved: str = "") -> RedirectResponse:
    base = f"/leader/{kind}/{scope_id}/themes"
    query = f"?error={error}" if error else ""
    if saved:  # a text with names: the page says so beside the field it focuses (an anchor would keep the focus)
        query = f"?saved={saved}"
        return RedirectResponse(f"{base}/{theme_id}/plan{query}" if back == "plan" else f"{base}{query}&open={theme_id}",
                                status_code=303)
    if back == "plan":
        return RedirectResponse(f"{base}/{theme_id}/plan{query}", status_code=303)
    # Back on the board with the theme open, where the leader just acted.
    query = f"{query}&open={theme_id}" if query else f"?open={theme_id}"
    return RedirectResponse(f"{base}{query}#theme-{theme_id}", status_code=303)


def _decide(kind, scope_id, theme_id, back, action) -> RedirectResponse:
    try:
        action()
    except PlanningRefused as refused:
        return _back(kind, scope_id, theme_id, back, refused.code)
    return _back(kind, scope_id, theme_id, back)


@router.get("/{kind}/{scope_id}/themes/{theme_id}/plan")
def theme_plan_page(request: Request, session: SessionDep, owned: OwnedThemes, kind: Kind, scope_id: DbId,
                    theme_id: DbId, error: str = "", saved: Annotated[str, Query(max_length=20)] = ""):
    """One theme for the planner: category, department, response and its history, quotes, notes;
    `saved` names the text just saved ("response"), to check it for names."""
    scope, cafe = owned.scope, owned.cafe
    planning = planning_service.board_context(session, scope)
    totals = vote_service.vote_totals(session, cafe) if cafe else {}
    views, _other = theme_service.theme_views(session, scope, totals)
    view = next((v for v in views if v.theme.id == theme_id), None)
    if view is None:
        raise NotFound
    return render(
        request, "planning/theme.html", kind=kind, scope_id=scope_id, cafe=cafe,
        process=owned.process, view=view, planning=planning,
        history=response_service.response_history(
            session, process_id=scope.process_id, cafe_id=scope.cafe_id, theme_key=view.theme.key),
        error=_error(request, error), names_found=planning_service.names_to_check(session, scope, theme_id, saved),
    )


@router.post("/{kind}/{scope_id}/themes/{theme_id}/category", dependencies=[CsrfChecked])
def set_category(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId,
                 category: Annotated[str, Form(max_length=20)], back: Annotated[Back, Form()] = "board"):
    """Confirm the suggested category or choose another ("none": not under any plan category)."""
    scope = owned.scope
    category_id = db_id(category)
    if category_id is None and category != "none":
        raise NotFound
    return _decide(kind, scope_id, theme_id, back, lambda: planning_service.set_category(
        session, user=user, scope=scope, theme_id=theme_id, category_id=category_id))


@router.post("/{kind}/{scope_id}/themes/{theme_id}/department", dependencies=[CsrfChecked])
def set_department(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId,
                   department: Annotated[FormText, Form(max_length=1000)] = "", back: Annotated[Back, Form()] = "board"):
    scope = owned.scope
    return _decide(kind, scope_id, theme_id, back, lambda: planning_service.set_department(
        session, user=user, scope=scope, theme_id=theme_id, department=department))


@router.post("/{kind}/{scope_id}/themes/{theme_id}/quotes/{note_id}", dependencies=[CsrfChecked])
def approve_quote(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId,
                  note_id: DbId, approved: Annotated[bool, Form()], back: Annotated[Back, Form()] = "board"):
    scope = owned.scope
    return _decide(kind, scope_id, theme_id, back, lambda: planning_service.set_public_quote(
        session, user=user, scope=scope, theme_id=theme_id, note_id=note_id, approved=approved))


@router.post("/{kind}/{scope_id}/themes/{theme_id}/response", dependencies=[CsrfChecked])
def respond(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId,
            status: Annotated[str, Form(max_length=20)], text: Annotated[FormText, Form(max_length=4000)] = "",
            back: Annotated[Back, Form()] = "board"):
    scope = owned.scope
    theme = next((t for t in theme_service.themes_in(session, scope) if t.id == theme_id), None)
    if theme is None:
        return _back(kind, scope_id, theme_id, "board", "unknown_theme")
    try:
        response_service.respond(session, user=user, process_id=scope.process_id, cafe_id=scope.cafe_id,
                                 theme_key=theme.key, status=status, text=text)
    except PlanningRefused as refused:
        return _back(kind, scope_id, theme_id, back, refused.code)
    saved = "response" if planning_service.names_to_check(session, scope, theme_id, "response") else ""
    return _back(kind, scope_id, theme_id, back, saved=saved)


@router.post("/{kind}/{scope_id}/themes/{theme_id}/notes/{note_id}/department", dependencies=[CsrfChecked])
def set_note_department(session: SessionDep, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId,
                        note_id: DbId, department: Annotated[FormText, Form(max_length=1000)] = ""):
    """Pass one note on to a department (from the theme's planning page)."""
    return _decide(kind, scope_id, theme_id, "plan", lambda: planning_service.set_note_department(
        session, process=owned.process, note_id=note_id, department=department))


# --- the village poster ---------------------------------------------------------------------

def _feedback_url(request: Request, cafe) -> str:
    return f"{public_base(request)}/p/{cafe.process_id}/by/{cafe.id}"


@router.get("/cafes/{cafe_id}/feedback-poster")
def feedback_poster(request: Request, session: SessionDep, cafe: OwnedCafe):
    """A page to print for the village hall: "what became of what we said", with a QR code, in
    the process's language like the table cards (not the language of the leader's browser)."""
    process = session.get(Process, cafe.process_id)
    use_language(request, process.language)
    return render(request, "planning/poster.html", cafe=cafe, process=process, url=_feedback_url(request, cafe))


@router.get("/cafes/{cafe_id}/feedback-qr.svg")
def feedback_qr(request: Request, cafe: OwnedCafe):
    return Response(qr_svg(_feedback_url(request, cafe)), media_type="image/svg+xml")
