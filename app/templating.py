"""Jinja2 templates: autoescaped, translated, one `render` for every page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from app.deps import csrf_token
from app.i18n import LANGUAGES, request_language, template_gettext, template_ngettext
from app.settings import ROOT
from app.static_files import static_url
from facilitation.clock import DEFAULT_TIMEZONE, clock

_environment = Environment(
    loader=FileSystemLoader(ROOT / "templates"),
    autoescape=select_autoescape(("html", "xml"), default_for_string=True),
    extensions=["jinja2.ext.i18n"],
)
templates = Jinja2Templates(env=_environment)
templates.env.install_gettext_callables(template_gettext, template_ngettext, newstyle=True)
templates.env.globals["LANGUAGES"] = LANGUAGES
templates.env.globals["static_url"] = static_url


@pass_context
def _local_time(context, value: datetime | None, pattern: str = "%H:%M") -> str:
    """{{ note.created_at|time }}: "19:17" on the organisation's clock (see `render`)."""
    return clock(value, context.get("timezone", DEFAULT_TIMEZONE), pattern)


templates.env.filters["time"] = _local_time


@pass_context
def _csrf_field(context) -> Markup:
    """{{ csrf_field() }} in every form that posts: the hidden field with the session's CSRF
    token, made on first use (a page without a form sets no token)."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(csrf_token(context["request"]))


templates.env.globals["csrf_field"] = _csrf_field


def render(request: Request, template: str, /, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page `template` for this request (positional, so a page may show a `name`). Its forms
    need nothing from the route for CSRF: each writes {{ csrf_field() }}, which makes the
    session's token while the page renders."""
    context.setdefault("language", request_language(request))
    # The organisation's time zone: set by the logged-in leader, or by a phone's or host's table.
    context.setdefault("timezone", getattr(request.state, "timezone", DEFAULT_TIMEZONE))
    context.setdefault("user", getattr(request.state, "user", None))
    return templates.TemplateResponse(request, template, context, status_code=status_code)
