"""Dependencies shared by routes: the logged-in leader, CSRF, the phone's device key."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from app.db import SessionDep
from app.models import Organisation, User
from app.security import csrf_matches, new_csrf_token
from app.services.accounts import session_user


class LoginRequired(Exception):
    pass


class CsrfFailed(Exception):
    pass


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


def csrf_token(request: Request) -> str:
    if "csrf" not in request.session:
        request.session["csrf"] = new_csrf_token()
    return request.session["csrf"]


async def check_csrf(request: Request) -> None:
    """Every state-changing request of a logged-in leader carries the session's CSRF token,
    in the form (csrf_token) or, from scripts, in the X-CSRF-Token header."""
    given = request.headers.get("x-csrf-token")
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
