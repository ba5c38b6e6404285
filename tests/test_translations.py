"""The gettext catalogues: complete, in step with the source, compilable, and used by the pages.

Message ids are English; Swedish is the default language, so every id needs a Swedish text.
English may stay empty (gettext falls back to the id). The compiled .mo files are not in git:
this module compiles them into app/translations as `make translations` does, when they are
missing or older than their .po file.
"""

from __future__ import annotations

import html
import html.parser
import io
import os
import re
import tempfile
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
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
    assert catalogue.locale_identifier == language  # also for a code Babel does not know, such as fit
    # The plural forms the language needs (three in North Sami); two where Babel has no data.
    assert catalogue.plural_forms == Catalog(locale=language).plural_forms
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
    from app.services import publishing as publishing_service
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
    publishing_service.set_published(session, process=session.get(Process, setup.process_id), published=True)
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


# (e) Finnish for participants and the public; more languages by dropping in a catalogue ------

# The pages participants and the public see (phone, host, public dashboards, accessibility, about,
# errors), and the Python modules whose messages reach them. The templates these include, import
# or extend are followed, so a new partial is covered without touching this list.
PARTICIPANT_TEMPLATES = ("participant/*.html", "host/*.html", "public/*.html", "pages/*.html", "error.html",
                         "planning/poster.html", "leader/cards.html")  # printed for the village hall
PARTICIPANT_PYTHON = ("app/messages.py", "app/routes/participant.py", "app/routes/host.py", "app/routes/public.py",
                      "app/routes/pages.py")
PARTICIPANT_LANGUAGES = ("fi",)  # complete for these pages; the leader's pages may stay empty
TEMPLATE_REFERENCE = re.compile(r"""{%-?\s*(?:include|import|from|extends)\s+["']([^"']+)["']""")
FIX_FINNISH = "translate them in app/translations/fi/LC_MESSAGES/messages.po (after `make extract-messages`)"


def participant_templates() -> set[Path]:
    root = ROOT / "templates"
    todo = [path for pattern in PARTICIPANT_TEMPLATES for path in root.glob(pattern)]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        todo.extend(root / name for name in TEMPLATE_REFERENCE.findall(path.read_text(encoding="utf-8")))
    return seen


def participant_message_ids() -> dict:
    """Every message id the participant and public pages can show, with where it was found."""
    found: dict = {}
    sources = [(path, "jinja2", {"extensions": "jinja2.ext.i18n"}) for path in sorted(participant_templates())]
    sources += [(ROOT / name, "python", {}) for name in PARTICIPANT_PYTHON]
    for path, method, options in sources:
        for lineno, message, _comments, _context in extract_from_file(method, str(path), KEYWORDS, options=options):
            key = message if isinstance(message, str) else tuple(message)
            found.setdefault(key, f"{path.relative_to(ROOT)}:{lineno}")
    return found


def test_the_participant_pages_reach_their_partials():
    names = {path.relative_to(ROOT / "templates").as_posix() for path in participant_templates()}
    assert {"base.html", "_language_chooser.html", "participant/_purpose.html", "leader/_levels.html",
            "planning/_status.html", "public/_themes.html"} <= names
    assert "leader/cafe.html" not in names
    assert participant_message_ids()["Send note"].startswith("templates/participant/table.html:")


@pytest.mark.parametrize("language", PARTICIPANT_LANGUAGES)
def test_participant_and_public_messages_are_all_translated(language):
    catalogue = read_catalogue(po_path(language), language)
    problems = []
    for key, where in sorted(participant_message_ids().items(), key=lambda kv: kv[1]):
        message = catalogue.get(key)
        if message is None:
            problems.append(f"{where}: not in {language}/messages.po: {key!r}")
        elif message.fuzzy or not all(text.strip() for text in forms(message)):
            problems.append(f"{where}: no {language} text{' (fuzzy)' if message.fuzzy else ''}: {key!r}")
    assert not problems, f"{len(problems)} participant message(s) without {language}; {FIX_FINNISH}:\n  " + "\n  ".join(problems)


def test_the_languages_are_the_catalogue_folders(tmp_path):
    for code in ("sv", "fit", "en", "se"):
        (tmp_path / code / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / code / "LC_MESSAGES" / "messages.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    (tmp_path / "notes").mkdir()  # a folder without a catalogue is no language
    assert i18n.catalogue_languages(tmp_path) == {
        "sv": "Svenska", "en": "English", "fit": "Meänkieli", "se": "Davvisámegiella"}
    assert {"sv": "Svenska", "en": "English", "fi": "Suomi"}.items() <= i18n.LANGUAGES.items()


def test_dropping_in_a_catalogue_makes_a_new_language_available(compiled, app, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from app.templating import templates

    for language in LANGUAGES:
        (tmp_path / language).symlink_to(TRANSLATIONS / language)
    new = tmp_path / "fit" / "LC_MESSAGES"
    new.mkdir(parents=True)
    # A stand-in text, not Meänkieli: the test needs only to see that this catalogue is used.
    (new / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fit\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Welcome to the village café"\nmsgstr "FIT: Welcome to the village café"\n', encoding="utf-8")
    with (new / "messages.po").open("rb") as po, (new / "messages.mo").open("wb") as mo:
        write_mo(mo, read_po(po, locale="fi"))
    languages = i18n.catalogue_languages(tmp_path)
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(i18n, "LANGUAGES", languages)
    monkeypatch.setitem(templates.env.globals, "LANGUAGES", languages)
    i18n.translations.cache_clear()
    try:
        with TestClient(app) as client:
            page = client.get("/?lang=fit")
            again = client.get("/")  # the cookie remembers the choice
    finally:
        i18n.translations.cache_clear()
    assert '<html lang="fit">' in page.text and '<html lang="fit">' in again.text
    assert "FIT: Welcome to the village café" in visible(page)
    assert '<span aria-current="true" lang="fit"><span class="language-name">Meänkieli</span>' in page.text


def test_what_finnish_does_not_translate_shows_in_swedish_and_english_stays_english(compiled):
    finnish = read_catalogue(po_path("fi"), "fi")
    swedish = read_catalogue(po_path("sv"), "sv")
    leader_only = next(m.id for m in finnish if isinstance(m.id, str) and m.id and not m.string)
    assert i18n.translations("fi").gettext(leader_only) == swedish.get(leader_only).string
    assert i18n.translations("fi").gettext("Send note") == "Lähetä kommentti"
    assert i18n.translations("en").gettext(leader_only) == leader_only


class _VisibleText(html.parser.HTMLParser):
    """The text a person sees or hears on a page: text between tags, and the attributes that are
    read aloud or shown (labels, titles, alternatives, the phone script's words)."""

    SPOKEN = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (name in self.SPOKEN or (name.startswith("data-") and tag == "template")):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def untranslated(page: str, language: str) -> list[str]:
    """Texts on the page that are a message's English id or Swedish text where `language` has
    its own text for it."""
    catalogue = read_catalogue(po_path(language), language)
    swedish = read_catalogue(po_path("sv"), "sv")
    patterns = {}
    for message in catalogue:
        if not message.id:
            continue
        own = set(forms(message))
        sv = swedish.get(message.id)
        for text in ids_of(message) + (forms(sv) if sv else []):
            if text and text not in own:
                parts = re.split(r"%\(\w+\)[sdifr]", " ".join(text.split()))
                if "".join(parts).strip():  # a message that is only a placeholder matches anything
                    patterns[text] = re.compile(".+?".join(re.escape(part) for part in parts))
    parser = _VisibleText()
    parser.feed(page)
    shown = [" ".join(text.split()) for text in parser.texts]
    return sorted({f"{text!r} (message {source!r})" for text in shown for source, pattern in patterns.items()
                   if pattern.fullmatch(text)})


@pytest.fixture
def finnish_pages(session):
    """Every participant and public page of a published café with a theme and a response."""
    from app.models import Process
    from app.services import publishing as publishing_service
    from app.services import responses as response_service
    from tests.app.test_planning import BUS_NOTES, add_notes, add_phones, add_theme
    from tests.builders import make_cafe, make_leader

    leader = make_leader(session)
    setup = make_cafe(session, leader, phase="round")
    add_phones(session, setup, 6)
    theme = add_theme(session, setup, add_notes(session, setup, BUS_NOTES * 2))
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id, theme_key=theme.key,
                     status="in_plan", text="Busslinjen finns med i planförslaget.")
    process = publishing_service.set_published(session, process=session.get(Process, setup.process_id), published=True)
    table = setup.tables[0]
    return {
        "phone": f"/t/{table.join_token}", "host": f"/h/{table.host_token}", "code": "/k",
        "process": f"/p/{setup.process_id}", "village": f"/p/{setup.process_id}/by/{setup.cafe_id}",
        "organisation": f"/o/{process.organisation_id}", "start": "/", "accessibility": "/tillganglighet",
        "about": "/om",
    }


def test_finnish_pages_say_fi_and_show_nothing_untranslated(compiled, client, finnish_pages):
    problems = []
    for name, path in finnish_pages.items():
        response = client.get(f"{path}?lang=fi")
        assert response.status_code == 200, (name, response.text[:300])
        if '<html lang="fi">' not in response.text:
            problems.append(f"{name} ({path}): not <html lang=\"fi\">")
        problems += [f"{name} ({path}): {text}" for text in untranslated(response.text, "fi")]
    assert not problems, f"untranslated on the Finnish pages; {FIX_FINNISH}:\n  " + "\n  ".join(problems)
    assert "Lähetä kommentti" in visible(client.get(finnish_pages["phone"]))  # the cookie kept Finnish


def test_the_untranslated_check_finds_english_and_swedish_text(compiled):
    page = "<html><body><h1>Send note</h1><p>Bord 3</p><button aria-label='Spara inspel'>x</button></body></html>"
    found = untranslated(page, "fi")
    assert any("'Send note'" in text for text in found)
    assert any("'Bord 3'" in text for text in found)
    assert any("'Spara inspel'" in text for text in found)
    assert not untranslated("<p>Lähetä kommentti</p><p>Pöytä 3</p><p>Hallen</p>", "fi")
