"""Languages: Swedish first, English second, more through gettext catalogues.

Message ids are English; `app/translations/<lang>/LC_MESSAGES/messages.po` translates them.
The language comes from ?lang=, then the `lang` cookie, then the browser's Accept-Language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from starlette.requests import Request

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGES = {"sv": "Svenska", "en": "English"}
DEFAULT_LANGUAGE = "sv"


@lru_cache
def translations(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [language], domain="messages")


def pick_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    for choice in (query, cookie):
        if choice in LANGUAGES:
            return choice
    for lang, _quality in _parse_accept_language(accept_language or ""):
        base = lang.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def _parse_accept_language(header: str) -> list[tuple[str, float]]:
    parsed = []
    for part in header.split(",")[:20]:
        lang, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if lang:
            parsed.append((lang, quality))
    return sorted(parsed, key=lambda item: -item[1])


def request_language(request: Request) -> str:
    return getattr(request.state, "language", DEFAULT_LANGUAGE)


def use_language(request: Request, language: str) -> None:
    """Shared screens (the projector wall, printed cards) speak the process's language, not the
    language of the browser that happens to show them."""
    request.state.language = language if language in LANGUAGES else DEFAULT_LANGUAGE


def gettext_for(request: Request):
    return translations(request_language(request)).gettext


def ngettext_for(request: Request):
    return translations(request_language(request)).ngettext


# Jinja's i18n extension (newstyle) calls these with the template context and formats the
# result itself, escaping the variables.
@pass_context
def template_gettext(context, message: str) -> str:
    return gettext_for(context["request"])(message)


@pass_context
def template_ngettext(context, singular: str, plural: str, n: int) -> str:
    return ngettext_for(context["request"])(singular, plural, n)
