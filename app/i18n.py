"""Languages: Swedish first, English second, more through gettext catalogues.

Message ids are English; `app/translations/<lang>/LC_MESSAGES/messages.po` translates them. A
language is offered when its catalogue is there: adding Meänkieli (fit) or a Sami language (se,
sma, smj) means dropping in its folder and compiling it (`make translations`).
The language comes from ?lang=, then the `lang` cookie, then the browser's Accept-Language.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from starlette.requests import Request

TRANSLATIONS = Path(__file__).parent / "translations"
DEFAULT_LANGUAGE = "sv"
FIRST = ("sv", "en")
OWN_NAMES = {"fit": "Meänkieli"}  # the Unicode locale data (Babel's) has no Meänkieli


def catalogue_languages(directory: Path) -> dict[str, str]:
    """The languages with a catalogue in `directory`, each named in itself: Swedish and English
    first, then the others by code."""
    codes = {po.parents[1].name for po in directory.glob("*/LC_MESSAGES/messages.po")}
    ordered = [code for code in FIRST if code in codes] + sorted(codes - set(FIRST))
    return {code: own_name(code) for code in ordered}


def own_name(code: str) -> str:
    """A language's name in that language ("suomi" for fi), as a chooser shows it."""
    try:
        name = OWN_NAMES.get(code) or Locale.parse(code).get_display_name(code)
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


LANGUAGES = catalogue_languages(TRANSLATIONS)


@lru_cache
def translations(language: str) -> NullTranslations:
    catalogue = Translations.load(str(TRANSLATIONS), [language], domain="messages")
    if language not in FIRST:
        # What Finnish (or Meänkieli, Sami) does not translate yet, such as the leader's pages,
        # shows in Swedish, which its readers in Sweden share, rather than in English.
        catalogue.add_fallback(translations(DEFAULT_LANGUAGE))
    return catalogue


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
