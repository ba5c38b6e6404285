"""The application factory."""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette_compress import CompressMiddleware, remove_compress_type

from app.db import make_engine, upgrade_database
from app.deps import LoginRequired
from app.embedder import BackgroundEmbedder
from app.fastlane import NoteFastLane
from app.i18n import gettext_for, pick_language
from app.intake import NoteIntake
from app.live import LiveHub
from app.login_guard import KnownBrowsers, LoginGuard
from app.messages import invalid_fields_message, message_for, status_for
from app.observability import observe
from app.routes import (
    api, auth, exports, host, integrations, leader, live, ops, pages, participant, planning, public, themes, villages,
)
from app.services.accounts import has_users, new_setup_link
from app.settings import Settings
from app.shared_limiter import DatabaseRateLimiter
from app.static_files import HashedStaticFiles
from app.templating import render
from facilitation.ratelimit import RateLimiter
from facilitation.refusals import Refused


SESSION_COOKIE = "bykafe"
SESSION_MAX_AGE = 14 * 24 * 3600


# An event stream is sent as it happens, never held back by a compressor.
remove_compress_type("text/event-stream")


class Bykafe(FastAPI):
    """FastAPI, with phones' note posts answered first by the fast lane (app/fastlane.py),
    and every HTTP request counted and logged (app/observability.py)."""

    fast_lane: NoteFastLane | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            await observe(self._answer, scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def _answer(self, scope, receive, send) -> None:
        if self.fast_lane is None or not await self.fast_lane.handle(scope, receive, send):
            await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if migrate:
            upgrade_database(settings.database_url)
        announce_setup_link(app)
        await app.state.live_hub.start()
        if settings.embed_in_background:
            app.state.embedder.start()
        yield
        app.state.embedder.stop()
        app.state.intake.stop()
        await app.state.live_hub.stop()
        app.state.engine.dispose()

    # /api/docs is served by app/routes/pages.py from vendored files, under the app's CSP.
    app = Bykafe(title="Bykafé", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.fast_lane = NoteFastLane(
        state=app.state, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE
    )
    app.state.engine = make_engine(settings.database_url)
    app.state.live_hub = LiveHub(app.state.engine)
    app.state.embedder = BackgroundEmbedder(app.state.engine)
    note_budget = dict(capacity=settings.note_burst, refill_per_second=settings.note_per_minute / 60)
    if app.state.engine.dialect.name == "postgresql":  # several processes may serve: the budget lives in the database
        app.state.note_limiter = DatabaseRateLimiter(app.state.engine, **note_budget)
    else:
        app.state.note_limiter = RateLimiter(**note_budget)
    # Short codes are six characters: slow down guessing, per address (in memory only, never stored).
    # A whole village hall may share one address, so it allows a room typing codes at once.
    app.state.code_limiter = RateLimiter(capacity=30, refill_per_second=0.5)
    # Failed logins per account, per address and per known browser (facilitation/login_throttle.py).
    app.state.login_guard = LoginGuard()
    app.state.known_browsers = KnownBrowsers(settings.secret_key)
    app.state.intake = NoteIntake(
        app.state.engine, app.state.note_limiter, live_hub=app.state.live_hub, on_stored=app.state.embedder.note_arrived
    )

    app.add_middleware(LanguageAndHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    # Outermost: compresses pages, CSS, JS and JSON for phones that ask (br, else gzip).
    app.add_middleware(CompressMiddleware, zstd=False, brotli_quality=5, gzip_level=6)
    app.mount("/static", HashedStaticFiles(), name="static")
    routers = (ops, pages, auth, leader, participant, host, live, themes, planning, public, exports, villages, api, integrations)
    for module in routers:
        app.include_router(module.router)
    add_error_handlers(app)
    return app


SECURITY_HEADERS = {
    # Join tokens live in URLs: never send them on to other sites.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Pages carry live data and, for leaders and hosts, personal data: no cache keeps them. (The
    # phone's and the host's own page is kept on that device for a reload with no signal, by
    # static/js/sw.js, for 12 hours.)
    "Cache-Control": "no-store",
    "Content-Security-Policy":
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
}


class LanguageAndHeaders:
    """Picks the page language, remembers a chosen one, and adds the security headers.

    Plain ASGI rather than @app.middleware("http"): that one passes every chunk of a response
    through a queue and another task, which an event stream open on 2,000 screens pays for each
    note (make bench-fanout)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        language = pick_language(
            request.query_params.get("lang"), request.cookies.get("lang"), request.headers.get("accept-language")
        )
        request.state.language = language
        remember = request.query_params.get("lang") == language

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if remember:
                    cookie = Response()
                    cookie.set_cookie("lang", language, max_age=365 * 86400, samesite="lax", httponly=True)
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def announce_setup_link(app: FastAPI) -> None:
    """No default password: until a leader exists, print a one-time link to create one."""
    with Session(app.state.engine) as session:
        if has_users(session):
            return
        token = new_setup_link(session)
    base = app.state.settings.address
    print(f"\nNo process leader yet. Create the first account here (valid 24 h, once):\n  {base}/setup/{token}\n",
          file=sys.stderr, flush=True)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, status: int, code: str):
    message = message_for(code, gettext_for(request))
    if wants_json(request):
        return JSONResponse({"error": code, "message": message}, status_code=status)
    back = same_site_referer(request) if code == "csrf" else None  # the page with a fresh form
    return render(request, "error.html", status_code=status, status=status, message=message, back=back)


def same_site_referer(request: Request) -> str | None:
    """The path of the page that sent the request, if it is one of ours."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused):
        return error_response(request, status_for(exc.code), exc.code)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        if wants_json(request):
            return error_response(request, 401, "login_required")
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # The framework's own refusals (no such route, wrong method, a body it cannot parse, a
        # form field over 1 MB) would answer in English JSON: say it as every other refusal.
        code = {404: "not_found", 405: "bad_method"}.get(exc.status_code, "bad_request")
        response = error_response(request, exc.status_code, code)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        # An id in the address that is no number, or one past what the database holds, names nothing.
        if all(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            return error_response(request, 404, "not_found")
        # A wrong type or a missing field: say which fields, in the user's language, never a trace.
        fields = sorted({_field_name(error["loc"]) for error in exc.errors() if error.get("loc")})
        message = invalid_fields_message(fields, gettext_for(request))
        if wants_json(request):
            return JSONResponse({"error": "invalid_fields", "message": message, "fields": fields}, status_code=422)
        return render(request, "error.html", status_code=422, message=message)


def _field_name(loc) -> str:
    """("body", "minutes", 0) is the field "minutes", not "0": name fields, not list positions."""
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), str(loc[-1]))
