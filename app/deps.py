"""Dependencies shared by routes: the logged-in leader and what is theirs, CSRF, the phone's
device key, and the app's long-lived helpers (the note intake, the live hub, the limiters).

A route names what it needs as a typed parameter (`cafe: OwnedCafe`, `intake: Intake`) instead
of loading and checking it by hand or reaching into `request.app.state`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from sqlalchemy.engine import Engine as SqlEngine
from starlette.datastructures import UploadFile

from app.db import DbId, SessionDep, Token
from app.embedder import BackgroundEmbedder
from app.intake import NoteIntake
from app.live import LiveHub
from app.login_guard import KnownBrowsers, LoginGuard
from app.models import Cafe, CafeTable, Note, Organisation, Process, User
from app.security import csrf_matches, new_csrf_token
from app.services.accounts import session_user
from app.services.cafes import cafe_for, process_for
from app.services.notes import table_by_host_token, table_by_join_token
from app.services.themes import Scope
from app.settings import Settings
from facilitation.ratelimit import RateLimiter
from facilitation.refusals import NotFound, Refused


class LoginRequired(Exception):
    pass


class CsrfFailed(Refused):
    code = "csrf"


def current_user(request: Request, session: SessionDep) -> User:
    # The cookie is signed, but a copy of it must stop working at logout: its key is checked
    # against the sessions the server still holds, on every request.
    key = request.session.get("login")
    user = session_user(session, key) if isinstance(key, str) else None
    if user is None:
        raise LoginRequired
    request.state.user = user
    request.state.timezone = session.get(Organisation, user.organisation_id).timezone
    return user


CurrentUser = Annotated[User, Depends(current_user)]


# The leader's own process, café or note, by the id in the address; another organisation's id
# answers 404, as an unknown one does (NotFound).
def owned_process(session: SessionDep, user: CurrentUser, process_id: DbId) -> Process:
    return process_for(session, user, process_id)


def owned_cafe(session: SessionDep, user: CurrentUser, cafe_id: DbId) -> Cafe:
    return cafe_for(session, user, cafe_id)


def owned_note(session: SessionDep, user: CurrentUser, note_id: DbId) -> Note:
    note = session.get(Note, note_id)
    if note is None:
        raise NotFound
    cafe_for(session, user, note.cafe_id)
    return note


OwnedProcess = Annotated[Process, Depends(owned_process)]
OwnedCafe = Annotated[Cafe, Depends(owned_cafe)]
OwnedNote = Annotated[Note, Depends(owned_note)]


@dataclass(frozen=True)
class Themes:
    """Whose themes an address /leader/{kind}/{scope_id}/… names: one café's harvest, or a
    whole process across its villages (cafe None)."""

    scope: Scope
    process: Process
    cafe: Cafe | None


def owned_themes(session: SessionDep, user: CurrentUser, kind: Literal["cafes", "processes"], scope_id: DbId) -> Themes:
    if kind == "cafes":
        cafe = cafe_for(session, user, scope_id)
        return Themes(Scope(process_id=cafe.process_id, cafe_id=cafe.id), session.get(Process, cafe.process_id), cafe)
    process = process_for(session, user, scope_id)
    return Themes(Scope(process_id=process.id), process, None)


OwnedThemes = Annotated[Themes, Depends(owned_themes)]


# A table by the token in its QR code (phones) or in its host link (table hosts).
def join_table(session: SessionDep, token: Token) -> CafeTable:
    return table_by_join_token(session, token)


def host_table(session: SessionDep, token: Token) -> CafeTable:
    return table_by_host_token(session, token)


JoinTable = Annotated[CafeTable, Depends(join_table)]
HostTable = Annotated[CafeTable, Depends(host_table)]


# What create_app (app/main.py) keeps for the app's lifetime, one typed name each. `async` only
# so that FastAPI reads the attribute in place instead of sending it to its thread pool.
def _app_state(name: str):
    async def from_state(request: Request):
        return getattr(request.app.state, name)
    return Depends(from_state)


AppSettings = Annotated[Settings, _app_state("settings")]
Engine = Annotated[SqlEngine, _app_state("engine")]
Intake = Annotated[NoteIntake, _app_state("intake")]
Hub = Annotated[LiveHub, _app_state("live_hub")]
Embedder = Annotated[BackgroundEmbedder, _app_state("embedder")]
# Notes per phone (a DatabaseRateLimiter on PostgreSQL, with the same `allow`), short codes per address.
NoteLimiter = Annotated[RateLimiter, _app_state("note_limiter")]
CodeLimiter = Annotated[RateLimiter, _app_state("code_limiter")]
Guard = Annotated[LoginGuard, _app_state("login_guard")]
Browsers = Annotated[KnownBrowsers, _app_state("known_browsers")]


def csrf_token(request: Request) -> str:
    if "csrf" not in request.session:
        request.session["csrf"] = new_csrf_token()
    return request.session["csrf"]


async def check_csrf(request: Request) -> None:
    """Every state-changing request of a logged-in leader carries the session's CSRF token,
    in the form (csrf_token) or, from scripts, in the X-CSRF-Token header."""
    given: str | UploadFile | None = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = (await request.form()).get("csrf_token")
    if not csrf_matches(request.session.get("csrf"), given if isinstance(given, str) else None):
        raise CsrfFailed


CsrfChecked = Depends(check_csrf)


def device_key(request: Request) -> str:
    """An anonymous, random key for this phone, kept in the signed session cookie."""
    if "device" not in request.session:
        request.session["device"] = secrets.token_urlsafe(16)
    return request.session["device"]
