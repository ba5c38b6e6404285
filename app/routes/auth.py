"""Logging in and out, and creating the first leader account from a one-time link."""

import time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from app.db import SessionDep, Token
from app.deps import CsrfChecked, csrf_token
from app.forms import FormText
from app.i18n import gettext_for
from app.messages import message_for
from app.services.accounts import AccountError, authenticate, create_user_with_link, setup_link_valid
from app.templating import render

router = APIRouter()


def _safe_next(next_url: str) -> str:
    # Only paths on this site: never send a leader off to another host after login.
    return next_url if next_url.startswith("/") and not next_url.startswith("//") else "/leader"


@router.get("/login")
def login_form(request: Request, next: str = "/leader"):
    csrf_token(request)
    return render(request, "auth/login.html", next=_safe_next(next))


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[FormText, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=500)] = "/leader",
):
    if not request.app.state.login_limiter.allow(email.strip().lower(), time.monotonic()):
        error = message_for("too_many_logins", gettext_for(request))
        return render(request, "auth/login.html", status_code=429, error=error, email=email, next=_safe_next(next))
    user = authenticate(session, email, password)
    if user is None:
        error = message_for("bad_login", gettext_for(request))
        return render(request, "auth/login.html", status_code=401, error=error, email=email, next=_safe_next(next))
    request.session.clear()  # a new session on login: no fixation
    request.session["user_id"] = user.id
    csrf_token(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request):
    request.session.pop("user_id", None)
    return RedirectResponse("/", status_code=303)


@router.get("/setup/{token}")
def setup_form(request: Request, session: SessionDep, token: Token):
    if setup_link_valid(session, token) is None:
        raise AccountError("bad_setup_link")
    csrf_token(request)
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
    request.session.clear()
    request.session["user_id"] = user.id
    csrf_token(request)
    return RedirectResponse("/leader", status_code=303)
