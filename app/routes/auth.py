"""Logging in and out (here or everywhere), and creating the first leader account from a
one-time link."""

import math
import time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from app.db import SessionDep, Token
from app.deps import AppSettings, Browsers, CsrfChecked, CurrentUser, Guard
from app.forms import FormText
from app.i18n import gettext_for, ngettext_for
from app.login_guard import KNOWN_BROWSER_COOKIE, KNOWN_BROWSER_DAYS
from app.messages import message_for
from app.models import User
from app.services.accounts import (
    AccountError,
    authenticate,
    create_user_with_link,
    end_all_sessions,
    end_session,
    setup_link_valid,
    start_session,
)
from app.templating import render

router = APIRouter()


def _safe_next(next_url: str) -> str:
    # Only paths on this site: never send a leader off to another host after login.
    return next_url if next_url.startswith("/") and not next_url.startswith("//") else "/leader"


@router.get("/login")
def login_form(request: Request, next: str = "/leader"):
    return render(request, "auth/login.html", next=_safe_next(next))


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    session: SessionDep,
    guard: Guard,
    browsers: Browsers,
    settings: AppSettings,
    email: Annotated[FormText, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=500)] = "/leader",
):
    known = browsers.read(request.cookies.get(KNOWN_BROWSER_COOKIE))
    attempt = dict(email=email, source=request.client.host if request.client else "-", known=known)
    wait = guard.wait(**attempt, now=time.monotonic())
    if wait > 0:  # the password is not even checked while the account or the source waits
        page = render(request, "auth/login.html", status_code=429, error=_wait_message(request, wait),
                      email=email, next=_safe_next(next))
        page.headers["Retry-After"] = str(math.ceil(wait))
        return page
    user = authenticate(session, email, password)
    if user is None:
        guard.failed(**attempt, now=time.monotonic())
        error = message_for("bad_login", gettext_for(request))
        return render(request, "auth/login.html", status_code=401, error=error, email=email, next=_safe_next(next))
    guard.succeeded(email=email, known=known)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _start(request, session, user)
    # This browser is now known to the account: its own logins pass the account's lockout.
    response.set_cookie(
        KNOWN_BROWSER_COOKIE, browsers.issue(email, known), max_age=KNOWN_BROWSER_DAYS * 86400, path="/login",
        httponly=True, samesite="strict", secure=settings.secure_cookies,
    )
    return response


def _wait_message(request: Request, seconds: float) -> str:
    ngettext = ngettext_for(request)
    if seconds <= 90:
        n = math.ceil(seconds)
        return ngettext("Too many login tries. Try again in %(n)s second.",
                        "Too many login tries. Try again in %(n)s seconds.", n) % {"n": n}
    n = math.ceil(seconds / 60)
    return ngettext("Too many login tries. Try again in %(n)s minute.",
                    "Too many login tries. Try again in %(n)s minutes.", n) % {"n": n}


def _start(request: Request, session: SessionDep, user: User) -> None:
    request.session.clear()  # a new session on login: no fixation
    request.session["login"] = start_session(session, user)  # the next page's forms get a new CSRF token


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: SessionDep):
    key = request.session.get("login")
    if isinstance(key, str):
        end_session(session, key)
    request.session.pop("login", None)
    return RedirectResponse("/", status_code=303)


@router.post("/logout/everywhere", dependencies=[CsrfChecked])
def logout_everywhere(request: Request, session: SessionDep, user: CurrentUser):
    end_all_sessions(session, user)
    request.session.pop("login", None)
    return RedirectResponse("/", status_code=303)


@router.get("/setup/{token}")
def setup_form(request: Request, session: SessionDep, token: Token):
    if setup_link_valid(session, token) is None:
        raise AccountError("bad_setup_link")
    return render(request, "auth/setup.html", token=token)


@router.post("/setup/{token}", dependencies=[CsrfChecked])
def setup(
    request: Request,
    session: SessionDep,
    token: Token,
    email: Annotated[FormText, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    organisation: Annotated[FormText, Form(max_length=200)],
    name: Annotated[FormText, Form(max_length=200)] = "",
):
    try:
        user = create_user_with_link(
            session, token=token, email=email, password=password, organisation=organisation, name=name
        )
    except AccountError as error:
        if error.code == "bad_setup_link":
            raise
        message = message_for(error.code, gettext_for(request))
        return render(
            request, "auth/setup.html", status_code=422, token=token, error=message,
            email=email, organisation=organisation, name=name,
        )
    _start(request, session, user)
    return RedirectResponse("/leader", status_code=303)
