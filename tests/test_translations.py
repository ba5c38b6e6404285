"""The gettext catalogues: complete, in step with the source, compilable, and used by the pages.

Message ids are English; Swedish is the default language, so every id needs a Swedish text.
English may stay empty (gettext falls back to the id). The compiled .mo files are not in git:
this module compiles them into app/translations as `make translations` does, when they are
missing or older than their .po file.
"""

from __future__ import annotations

import html
import io
import os
import re
import tempfile
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import i18n
from app.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
# The same keywords as `make extract-messages`: pybabel's defaults plus "N_ _ ngettext:1,2".
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")
FIX = "run `make extract-messages` and translate the new entries in app/translations/sv/LC_MESSAGES/messages.po"


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(path: Path, language: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=language)


def source_message_ids() -> dict:
    """Every message id in app/, facilitation/ and templates/, with where it was found."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message)
        if key:
            found.setdefault(key, f"{filename}:{lineno}")
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def ids_of(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]


def compile_catalogue(language: str) -> Path:
    """Compile one .po into its .mo beside it (as `pybabel compile --use-fuzzy` does)."""
    po = po_path(language)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo
    catalogue = read_catalogue(po, language)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    with os.fdopen(fd, "wb") as f:
        write_mo(f, catalogue, use_fuzzy=True)
    os.replace(tmp, mo)  # atomic: a parallel test run never reads half a file
    return mo


@pytest.fixture(scope="module")
def compiled():
    for language in LANGUAGES:
        compile_catalogue(language)
    i18n.translations.cache_clear()  # a page rendered before compiling may have cached no catalogue
    yield
    i18n.translations.cache_clear()


# (a) the template is in step with the source ---------------------------------------------------


def test_every_message_in_the_source_is_in_the_template():
    template = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_catalogue(POT) if m.id}
    missing = {key: where for key, where in source_message_ids().items() if key not in template}
    listing = "\n".join(f"  {where}: {key!r}" for key, where in sorted(missing.items(), key=lambda kv: kv[1]))
    assert not missing, f"{len(missing)} message(s) not in app/translations/messages.pot; {FIX}:\n{listing}"


# (b) Swedish is complete ----------------------------------------------------------------------


def test_swedish_catalogue_translates_every_entry_of_the_template():
    swedish = read_catalogue(po_path("sv"), "sv")
    assert swedish.num_plurals == 2
    problems = []
    for entry in read_catalogue(POT):
        if not entry.id:
            continue
        message = swedish.get(entry.id)
        if message is None:
            problems.append(f"not in sv/messages.po: {entry.id!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {entry.id!r}")
        elif not all(text.strip() for text in forms(message)):
            problems.append(f"no Swedish text: {entry.id!r}")
    assert not problems, f"{len(problems)} entr(y/ies) not translated; {FIX}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_translations_keep_the_placeholders_and_format(language):
    problems = []
    for message in read_catalogue(po_path(language), language):
        if not message.id:
            continue
        expected = set().union(*(placeholders(text) for text in ids_of(message)))
        values = {name: 1 for name in expected}
        for text in forms(message):
            if not text:
                continue  # English may stay empty: gettext shows the id
            if placeholders(text) != expected:
                problems.append(f"{message.id!r}: {text!r} has {sorted(placeholders(text))}, want {sorted(expected)}")
            try:
                text % values  # Jinja's newstyle gettext formats every message, even without variables
            except (KeyError, ValueError, TypeError) as error:
                problems.append(f"{message.id!r}: {text!r} does not format ({error})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_catalogue_header_and_no_leftovers(language):
    catalogue = read_catalogue(po_path(language), language)
    assert str(catalogue.locale) == language
    assert catalogue.plural_forms == "nplurals=2; plural=(n != 1);"
    assert not catalogue.obsolete, f"obsolete entries in {language}: {list(catalogue.obsolete)[:5]}"
    assert not catalogue.fuzzy, f"the {language} header is marked fuzzy"
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries in {language}: {fuzzy[:5]}"


# (c) the catalogues compile --------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_catalogue_compiles(language):
    catalogue = read_catalogue(po_path(language), language)
    errors = [(message.id, [str(e) for e in errs]) for message, errs in catalogue.check()]
    assert not errors, errors
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    translations = GNUTranslations(buffer)
    assert translations.ngettext("%(num)s note", "%(num)s notes", 2)  # never an empty plural


# (d) the pages speak Swedish by default, English on request ------------------------------------


def visible(response) -> str:
    return html.unescape(response.text)


def test_start_page_is_swedish_by_default_and_english_on_request(compiled, app):
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        swedish = client.get("/")
    with TestClient(app) as client:
        english = client.get("/?lang=en")
    assert swedish.status_code == english.status_code == 200
    assert swedish.text != english.text
    assert '<html lang="sv">' in swedish.text
    assert "Välkommen till bykaféet" in visible(swedish)
    assert "Welcome to the village café" not in visible(swedish)
    assert "Welcome to the village café" in visible(english)
    assert "Välkommen till bykaféet" not in visible(english)


def test_participant_page_is_swedish(compiled, client, session):
    from tests.builders import make_cafe, make_leader

    cafe = make_cafe(session, make_leader(session), phase="round")
    page = visible(client.get(f"/t/{cafe.tables[0].join_token}"))
    assert "Samtalsrunda 1 av 2" in page
    assert "Skicka inspel" in page
    assert "Send note" not in page
    english = visible(client.get(f"/t/{cafe.tables[0].join_token}?lang=en"))
    assert "Round 1 of 2" in english and "Send note" in english


# (e) no English reaches a Swedish page ---------------------------------------------------------

# Words that are English and never Swedish: one of them in a Swedish page's text is a message
# that missed gettext (or words stored in English and shown as they are).
ENGLISH = re.compile(
    r"\b(the|and|of|with|from|into|themes?|other|asked|found|phones?|took part|merged?|undone|notes?|rounds?|"
    r"tables?|villages?|dialogue|process(?:es)?)\b", re.IGNORECASE,
)


def swedish_text(html_page: str) -> str:
    """What a reader sees or hears: text and SVG titles, no tags, scripts or attribute values."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html_page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text)


def test_no_english_reaches_swedish_leader_and_public_pages(compiled, client, session):
    from app.models import Process
    from app.services import notes as note_service
    from app.services import planning
    from app.services import themes as theme_service
    from app.services.themes import Scope
    from tests.builders import log_in, make_cafe, make_leader

    leader = make_leader(session)
    setup = make_cafe(session, leader, phase="round")
    texts = ["Bussen går för sällan", "Fler bussturer på kvällen", "Behåll skolan i byn", "Förskolan behöver platser",
             "Fiber till alla hushåll", "Mobiltäckningen är dålig vid sjön"] * 2
    for number, text in enumerate(texts):
        note_service.submit_note(session, table=setup.tables[number % 3], client_id=f"note-{number:06d}", text=text)
    for number in range(6):  # enough phones for the public charts to show
        note_service.join_table(session, table=setup.tables[0], device_key=f"phone-{number}")
    scope = Scope(setup.process_id, setup.cafe_id)
    themes = theme_service.run_themes(session, user=leader, scope=scope, n_themes=3)
    note = theme_service.theme_views(session, scope)[0][0].notes[0]
    theme_service.move_note(session, user=leader, scope=scope, note_id=note.id, theme_id=None)
    theme_service.merge_themes(session, user=leader, scope=scope, theme_id=themes[0].id, other_id=themes[1].id)
    theme_service.undo(session, user=leader, scope=scope)
    theme_service.run_themes(session, user=leader, scope=Scope(setup.process_id), n_themes=2)
    planning.set_published(session, process=session.get(Process, setup.process_id), published=True)
    organisation = session.get(Process, setup.process_id).organisation_id
    log_in(client)

    pages = [f"/leader/cafes/{setup.cafe_id}", f"/leader/cafes/{setup.cafe_id}/themes",
             f"/leader/processes/{setup.process_id}/themes", f"/leader/processes/{setup.process_id}/exports",
             f"/p/{setup.process_id}", f"/p/{setup.process_id}/by/{setup.cafe_id}", f"/o/{organisation}"]
    found = {}
    for path in pages:
        response = client.get(path, headers={"Accept-Language": "sv"})
        assert response.status_code == 200, path
        english = sorted({m.group(0) for m in ENGLISH.finditer(swedish_text(response.text))})
        if english:
            found[path] = english
    assert not found, f"English words on Swedish pages: {found}"
    board = swedish_text(client.get(f"/leader/cafes/{setup.cafe_id}/themes").text)
    assert "Mobiler som var med, per dialogprocess" in swedish_text(client.get(f"/o/{organisation}").text)
    assert "Teman hittades" in board and "Ångrat" in board and "i Övrigt" in board and "du bad om 3" in board
