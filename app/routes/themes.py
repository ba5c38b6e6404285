"""Themes of a café (the evening's harvest) or a process (the planner's view), and their curation."""

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from app.db import DbId, SessionDep, db_id
from app.deps import CsrfChecked, CurrentUser, OwnedThemes
from app.forms import FormText
from app.i18n import gettext_for, ngettext_for
from app.messages import message_for, status_for
from app.services import planning as planning_service
from app.services import themes as theme_service
from app.services import votes as vote_service
from app.services.curation_log import action_name, describe
from app.models import utcnow
from app.services.cafes import cafe_state
from app.templating import render
from facilitation import phases
from facilitation.board import board_offers
from facilitation.leader_text import TooLong
from facilitation.refusals import Refused
from facilitation.voting import DEFAULT_DOTS

router = APIRouter(prefix="/leader/{kind}/{scope_id}/themes")
Kind = Literal["cafes", "processes"]


@router.get("")
def theme_board(request: Request, session: SessionDep, owned: OwnedThemes, kind: Kind, scope_id: DbId, error: str = "",
                open: Annotated[str, Query(max_length=20)] = "",
                confirm_run: Annotated[str | None, Query(max_length=3)] = None,
                saved: Annotated[str, Query(max_length=20)] = ""):
    """All themes at a glance; `open` names the theme whose controls are shown (after acting on it);
    `confirm_run` asks before finding themes again ("" as many as now, or a number of themes);
    `saved` names the open theme's text just saved (planning.WRITTEN_TEXTS), to check it for names."""
    open_theme = int(open) if _is_number(open) else open
    return _board(request, session, owned, kind, scope_id, open_theme=open_theme, error=error,
                  confirm_run=confirm_run if confirm_run is None or _is_number(confirm_run) else "",
                  names_found=planning_service.names_to_check(session, owned.scope, open_theme, saved))


def _board(request, session, owned, kind, scope_id, *, open_theme, error="", confirm_run=None, names_found=None,
           draft=None, status_code=200):
    scope, cafe = owned.scope, owned.cafe
    totals = vote_service.vote_totals(session, cafe) if cafe else {}
    views, other = theme_service.theme_views(session, scope, totals)
    planning = planning_service.board_context(session, scope)
    note_count = sum(len(v.notes) for v in views) + len(other)
    offers = board_offers(
        note_count=note_count, theme_count=len(views),
        undoable=theme_service.undoable_step(session, scope) is not None,
        phones_can_join=cafe is not None and phases.can_join(cafe_state(session, cafe), utcnow()),
    )
    _, ngettext = gettext_for(request), ngettext_for(request)
    log = [
        (step, action_name(step.action, _), describe(step.action, step.detail, _, ngettext))
        for step in theme_service.curation_log(session, scope, limit=30)
    ]
    if draft is not None and not any(v.theme.id == draft["theme"] for v in views):
        draft["theme"] = None  # its theme is gone (found again, merged): the text is offered on its own
    return render(
        request, "themes/board.html", status_code=status_code,
        kind=kind, scope_id=scope_id, cafe=cafe, process=owned.process,
        views=views, other=other, log=log, open_theme=open_theme,
        note_count=note_count, offers=offers, default_dots=DEFAULT_DOTS, confirm_run=confirm_run,
        no_notes=message_for("no_notes_yet", _),
        vote_refused=message_for(offers.vote_refused, _) if offers.vote_refused else None,
        error=message_for(error, _) if error else None,
        planning=planning, category_names={c.id: c.name for c in planning["categories"]},
        names_found=names_found, draft=draft,
    )


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()  # "²".isdigit() too, but int() refuses it


def _back(kind, scope_id, anchor="", error=""):
    """Back to the board; after acting on a theme (anchor "#theme-ID") with that theme open."""
    query = {"error": error} if error else {}
    if anchor.startswith("#theme-"):
        query["open"] = anchor.removeprefix("#theme-")
    return RedirectResponse(
        f"/leader/{kind}/{scope_id}/themes" + (f"?{urlencode(query)}" if query else "") + anchor, status_code=303,
    )


@router.post("/run", dependencies=[CsrfChecked])
def run(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId,
        themes: Annotated[int | None, Form(ge=1, le=40)] = None, confirmed: Annotated[bool, Form()] = False):
    scope = owned.scope
    try:
        theme_service.run_themes(session, user=user, scope=scope, n_themes=themes, confirmed=confirmed)
    except Refused as refused:
        if refused.code == "confirm_rerun":  # the board asks first, then sends this form again
            query = urlencode({"confirm_run": themes or ""})
            return RedirectResponse(f"/leader/{kind}/{scope_id}/themes?{query}#confirm-run", status_code=303)
        return _back(kind, scope_id, error=refused.code)
    return _back(kind, scope_id)


# A name or a summary has no length limit here: the domain's own (200 and 400 characters) refuses
# a longer one and the board gives it back in its box, however much was pasted. The form parser
# refuses a field over 1 MB, which guards the server.
@router.post("/{theme_id}/rename", dependencies=[CsrfChecked])
def rename(request: Request, session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId,
           theme_id: DbId, label: Annotated[FormText, Form()]):
    return _write(request, session, owned, kind, scope_id, theme_id, "label", label, lambda: theme_service.rename_theme(
        session, user=user, scope=owned.scope, theme_id=theme_id, label=label))


@router.post("/{theme_id}/summary", dependencies=[CsrfChecked])
def summary(request: Request, session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId,
            theme_id: DbId, summary: Annotated[FormText, Form()] = ""):
    """The leader's own summary of the theme; an empty one brings back the summary from the notes."""
    return _write(request, session, owned, kind, scope_id, theme_id, "summary", summary, lambda: theme_service.write_summary(
        session, user=user, scope=owned.scope, theme_id=theme_id, summary=summary))


def _write(request, session, owned, kind, scope_id, theme_id, field, text, action):
    """Save a text the leader wrote for a theme. Refused, the board comes back with the text in its
    box and the reason beside it (no redirect: the text must not travel in an address)."""
    try:
        action()
    except Refused as refused:
        session.rollback()
        draft = {"theme": theme_id, "field": field, "text": text, "error": _refusal_message(request, refused)}
        return _board(request, session, owned, kind, scope_id, open_theme=theme_id, draft=draft,
                      status_code=status_for(refused.code))
    if planning_service.names_to_check(session, owned.scope, theme_id, field):
        # The board says which names, beside the field it puts the focus in. No "#theme-ID": a
        # browser does not move the focus on a page opened at an anchor.
        query = urlencode({"open": theme_id, "saved": field})
        return RedirectResponse(f"/leader/{kind}/{scope_id}/themes?{query}", status_code=303)
    return _back(kind, scope_id, f"#theme-{theme_id}")


def _refusal_message(request, refused: Refused) -> str:
    if isinstance(refused, TooLong):
        ngettext = ngettext_for(request)
        return ngettext(
            "The summary is %(num)s character too long: at most 400 characters, one or two sentences. "
            "Shorten it, then save.",
            "The summary is %(num)s characters too long: at most 400 characters, one or two sentences. "
            "Shorten it, then save.", refused.over) % {"num": refused.over}
    return message_for(refused.code, gettext_for(request))


@router.post("/{theme_id}/merge", dependencies=[CsrfChecked])
def merge(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId,
          other: Annotated[DbId, Form()]):
    scope = owned.scope
    return _curate(kind, scope_id, theme_id, lambda: theme_service.merge_themes(
        session, user=user, scope=scope, theme_id=theme_id, other_id=other))


@router.post("/{theme_id}/split", dependencies=[CsrfChecked])
def split(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId,
          parts: Annotated[int, Form(ge=2, le=6)] = 2):
    scope = owned.scope
    return _curate(kind, scope_id, None, lambda: theme_service.split_theme(
        session, user=user, scope=scope, theme_id=theme_id, parts=parts))


@router.post("/{theme_id}/pin", dependencies=[CsrfChecked])
def pin(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId,
        pinned: Annotated[bool, Form()]):
    scope = owned.scope
    return _curate(kind, scope_id, theme_id, lambda: theme_service.set_pinned(
        session, user=user, scope=scope, theme_id=theme_id, pinned=pinned))


@router.post("/{theme_id}/delete", dependencies=[CsrfChecked])
def delete(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, theme_id: DbId):
    scope = owned.scope
    return _curate(kind, scope_id, None, lambda: theme_service.delete_theme(
        session, user=user, scope=scope, theme_id=theme_id))


@router.post("/notes/{note_id}/move", dependencies=[CsrfChecked])
def move(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId, note_id: DbId,
         theme: Annotated[str, Form(max_length=20)]):
    """Move a note to a theme, or to "other" (theme = "other")."""
    scope = owned.scope
    target = None if theme == "other" else db_id(theme) or -1
    return _curate(kind, scope_id, "other" if target is None else target, lambda: theme_service.move_note(
        session, user=user, scope=scope, note_id=note_id, theme_id=target))


@router.post("/undo", dependencies=[CsrfChecked])
def undo(session: SessionDep, user: CurrentUser, owned: OwnedThemes, kind: Kind, scope_id: DbId):
    scope = owned.scope
    return _curate(kind, scope_id, None, lambda: theme_service.undo(session, user=user, scope=scope))


@router.post("/vote", dependencies=[CsrfChecked])
def vote(session: SessionDep, owned: OwnedThemes, kind: Kind, scope_id: DbId,
         open: Annotated[bool, Form()], dots: Annotated[int, Form(ge=1, le=10)] = DEFAULT_DOTS):
    """Open or close the harvest's dot vote (cafés only)."""
    cafe = owned.cafe
    if cafe is None:
        return _back(kind, scope_id, error="vote_needs_cafe")
    try:
        if open:
            vote_service.open_vote(session, cafe=cafe, dots=dots)
        else:
            vote_service.close_vote(session, cafe=cafe)
    except Refused as refused:  # VoteRefused, or the board's rules (no themes, café not open)
        return _back(kind, scope_id, error=refused.code)
    return _back(kind, scope_id, "#vote")


def _curate(kind, scope_id, theme_id, action):
    try:
        action()
    except Refused as refused:  # CurationRefused, or the board's rules (no notes yet)
        return _back(kind, scope_id, error=refused.code)
    return _back(kind, scope_id, f"#theme-{theme_id}" if theme_id else "")
