"""The application factory."""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session
from starlette.middleware.sessions import SessionMiddleware

from app.db import make_engine, upgrade_database
from app.deps import CsrfFailed, LoginRequired
from app.i18n import gettext_for, pick_language
from app.embedder import BackgroundEmbedder
from app.fastlane import NoteFastLane
from app.intake import NoteIntake
from app.live import LiveHub
from app.login_guard import KnownBrowsers, LoginGuard
from app.messages import invalid_fields_message, message_for
from app.routes import api, auth, exports, host, leader, live, pages, participant, planning, public, themes, villages
from app.services.accounts import AccountError, has_users, new_setup_link
from app.services.cafes import NotFound
from app.settings import ROOT, Settings
from app.templating import render
from facilitation.notes import NoteRejected
from facilitation.phases import PhaseError
from facilitation.process import PlanError
from facilitation.ratelimit import RateLimiter


SESSION_COOKIE = "bykafe"
SESSION_MAX_AGE = 14 * 24 * 3600


class Bykafe(FastAPI):
    """FastAPI, with phones' note posts answered first by the fast lane (app/fastlane.py)."""

    fast_lane: NoteFastLane | None = None

    async def __call__(self, scope, receive, send) -> None:
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

    app = Bykafe(title="Bykafé", version="0.1.0", lifespan=lifespan, docs_url="/api/docs", redoc_url=None)
    app.state.settings = settings
    app.fast_lane = NoteFastLane(
        state=app.state, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE
    )
    app.state.engine = make_engine(settings.database_url)
    app.state.live_hub = LiveHub(app.state.engine)
    app.state.embedder = BackgroundEmbedder(app.state.engine)
    app.state.note_limiter = RateLimiter(
        capacity=settings.note_burst, refill_per_second=settings.note_per_minute / 60
    )
    # Short codes are six characters: slow down guessing, per address (in memory only, never stored).
    # A whole village hall may share one address, so it allows a room typing codes at once.
    app.state.code_limiter = RateLimiter(capacity=30, refill_per_second=0.5)
    # Failed logins per account, per address and per known browser (facilitation/login_throttle.py).
    app.state.login_guard = LoginGuard()
    app.state.known_browsers = KnownBrowsers(settings.secret_key)
    app.state.intake = NoteIntake(
        app.state.engine, app.state.note_limiter, live_hub=app.state.live_hub, on_stored=app.state.embedder.note_arrived
    )

    @app.middleware("http")
    async def language_and_headers(request: Request, call_next):
        request.state.language = pick_language(
            request.query_params.get("lang"), request.cookies.get("lang"), request.headers.get("accept-language")
        )
        response = await call_next(request)
        if request.query_params.get("lang") == request.state.language:
            response.set_cookie("lang", request.state.language, max_age=365 * 86400, samesite="lax", httponly=True)
        # Join tokens live in URLs: never send them on to other sites.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        )
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.mount("/static", StaticFiles(directory=str(ROOT / "static")), name="static")
    for module in (pages, auth, leader, participant, host, live, themes, planning, public, exports, villages, api):
        app.include_router(module.router)
    add_error_handlers(app)
    return app


def announce_setup_link(app: FastAPI) -> None:
    """No default password: until a leader exists, print a one-time link to create one."""
    with Session(app.state.engine) as session:
        if has_users(session):
            return
        token = new_setup_link(session)
    base = app.state.settings.address
    print(f"\nNo process leader yet. Create the first account here (valid 24 h, once):\n  {base}/setup/{token}\n", file=sys.stderr, flush=True)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, status: int, code: str):
    message = message_for(code, gettext_for(request))
    if wants_json(request):
        return JSONResponse({"error": code, "message": message}, status_code=status)
    return render(request, "error.html", status_code=status, message=message)


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error_response(request, 404, "not_found")

    @app.exception_handler(PhaseError)
    async def phase_error(request: Request, exc: PhaseError):
        return error_response(request, 409, exc.code)

    @app.exception_handler(NoteRejected)
    async def note_rejected(request: Request, exc: NoteRejected):
        status = {"rate_limited": 429, "bad_content_type": 415, "not_at_table": 403}.get(exc.code, 422)
        return error_response(request, status, exc.code)

    @app.exception_handler(PlanError)
    async def plan_error(request: Request, exc: PlanError):
        return error_response(request, 422, exc.code)

    @app.exception_handler(AccountError)
    async def account_error(request: Request, exc: AccountError):
        return error_response(request, 422, exc.code)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed):
        return error_response(request, 403, "csrf")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired):
        if wants_json(request):
            return error_response(request, 401, "login_required")
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(404)
    async def unknown_route(request: Request, exc):
        return error_response(request, 404, "not_found")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        # A wrong type or a missing field: say which fields, in the user's language, never a trace.
        fields = sorted({_field_name(error["loc"]) for error in exc.errors() if error.get("loc")})
        message = invalid_fields_message(fields, gettext_for(request))
        if wants_json(request):
            return JSONResponse({"error": "invalid_fields", "message": message, "fields": fields}, status_code=422)
        return render(request, "error.html", status_code=422, message=message)


def _field_name(loc) -> str:
    """("body", "minutes", 0) is the field "minutes", not "0": name fields, not list positions."""
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), str(loc[-1]))
