"""Browser tests: one real server and one Chromium for the whole run.

The server is the real app under uvicorn, on a free port of 127.0.0.1, with its own SQLite file
built by the app's own Alembic migrations at start. Test data goes straight into that database
through tests/builders.py; every test makes its own café, so tests never share tables or notes.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from sqlmodel import Session

from app.main import create_app
from app.models import Cafe, Theme, ThemeNote, User
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services import publishing as publishing_service
from app.services import responses as response_service
from app.services import votes as vote_service
from app.services.accounts import new_setup_link
from app.settings import Settings
from facilitation.notes import new_client_id
from tests.builders import PASSWORD, CafeSetup, make_cafe, make_leader

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
LEADER_EMAIL = "leader@storsjo.se"
# Test tooling lives with the tests, never among the files the app serves (vendor/README.md).
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# A small phone, the size most village-hall phones are at least; and the leader's laptop.
# Without the service worker (static/js/sw.js): a route (page.route) does not see the requests of
# a page the worker controls, and Chromium's offline emulation now and then lets one of them reach
# the server. test_offline_reload.py, which is about the worker, lets it run.
CONTEXTS = {
    "phone": dict(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True,
                  locale="sv-SE", service_workers="block"),
    "desktop": dict(viewport={"width": 1280, "height": 900}, locale="sv-SE", service_workers="block"),
}


HARVEST_NOTES = [
    "Bussen måste gå oftare på kvällen", "Tåget till stan behöver fler turer",
    "Skolan måste finnas kvar i byn", "Förskolan i byn är viktig för barnfamiljer",
]


@dataclass
class Harvest:
    cafe: CafeSetup
    theme_id: int
    organisation_id: int


@dataclass
class Site:
    """The running server, and shortcuts to put test data into its database."""

    base_url: str
    app: object
    leader_id: int | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def session(self) -> Session:
        # With the live hub, changes made here reach open pages like a leader's click would.
        return Session(self.app.state.engine, info={"live_hub": self.app.state.live_hub})

    def cafe(self, **options) -> CafeSetup:
        """A café of the logged-in leader; options as tests.builders.make_cafe (phase="round"...)."""
        with self.session() as session:
            return make_cafe(session, session.get(User, self.leader_id), **options)

    def act(self, cafe: CafeSetup, action: str, **options) -> CafeSetup:
        """What the leader's buttons do (open, start_round, end_round, close, reopen...)."""
        with self.session() as session:
            cafe_service.run_action(session, cafe=session.get(Cafe, cafe.cafe_id), action=action, **options)
        return cafe

    def host_notes(self, table, texts, *, hide_first=False) -> None:
        """Notes typed at a table by its host, in the running round."""
        with self.session() as session:
            notes = [
                note_service.submit_note(session, table=table, client_id=new_client_id(), text=text).note
                for text in texts
            ]
            if hide_first:
                note_service.set_hidden(session, note=notes[0], user=session.get(User, self.leader_id), hidden=True)

    def harvest(self) -> Harvest:
        """A café after its rounds: notes, two themes (made here, without the embedding model),
        the dot vote open with dots placed, a response to a theme, and the process published."""
        with self.session() as session:
            leader = session.get(User, self.leader_id)
            cafe = make_cafe(session, leader, phase="round")
            phone = note_service.join_table(session, table=cafe.tables[0], device_key=new_client_id())
            notes = [
                note_service.submit_note(session, table=cafe.tables[0], client_id=new_client_id(), text=text,
                                         participant=phone).note.id
                for text in HARVEST_NOTES
            ]
            keys = []
            for position, (label, members) in enumerate([("Buss, tåg, turer", notes[:2]), ("Skola, byn", notes[2:])]):
                theme = Theme(process_id=cafe.process_id, cafe_id=cafe.cafe_id, key=f"harvest{position}", label=label,
                              keywords=json.dumps(label.split(", ")), quotes=json.dumps(members[:1]), position=position)
                session.add(theme)
                session.flush()
                session.add_all(ThemeNote(theme_id=theme.id, note_id=n) for n in members)
                keys.append((theme.id, theme.key))
            session.commit()
            cafe_row = cafe_service.cafe_for(session, leader, cafe.cafe_id)
            cafe_service.run_action(session, cafe=cafe_row, action="end_round")
            vote_service.open_vote(session, cafe=cafe_row, dots=3)
            vote_service.change_dot(session, cafe=cafe_row, participant=phone, theme_key=keys[0][1], change=1)
            response_service.respond(session, user=leader, process_id=cafe.process_id, cafe_id=cafe.cafe_id,
                                     theme_key=keys[0][1], status="in_plan", text="Tas upp i planens avsnitt om trafik.")
            process = cafe_service.process_for(session, leader, cafe.process_id)
            publishing_service.set_published(session, process=process, published=True)
            for table in cafe.tables:
                session.refresh(table)
            return Harvest(cafe=cafe, theme_id=keys[0][0], organisation_id=leader.organisation_id)

    def setup_link(self) -> str:
        with self.session() as session:
            return f"/setup/{new_setup_link(session)}"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    settings = Settings.from_env(
        database_url=f"sqlite:///{tmp_path_factory.mktemp('browser') / 'bykafe.db'}",
        secret_key="b" * 40, public_url=f"http://127.0.0.1:{port}", secure_cookies=False,
        embed_in_background=False,
    )
    app = create_app(settings, migrate=True)
    server = uvicorn.Server(uvicorn.Config(
        app, log_config=None, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=2,
    ))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="bykafe-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("The Bykafé server did not start (see the log above).")
        time.sleep(0.05)
    site = Site(base_url=f"http://127.0.0.1:{port}", app=app)
    with site.session() as session:
        site.leader_id = make_leader(session, email=LEADER_EMAIL).id
    yield site
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must install it.")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def leader_state(site, browser: Browser) -> dict:
    """Cookies of a leader logged in through the real /login form, for every leader page."""
    context = browser.new_context(base_url=site.base_url, **CONTEXTS["desktop"])
    page = context.new_page()
    page.goto("/login")
    page.fill("#email", LEADER_EMAIL)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(site.url("/leader"))
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def new_page(site, browser: Browser, request):
    """new_page("phone" | "desktop" | "leader", **context options) -> a page in a fresh context.

    "leader" is the desktop, logged in. Contexts close at the end of the test (closing their
    event streams before the server stops)."""
    contexts = []

    def open_page(kind: str, **options) -> Page:
        settings = dict(CONTEXTS["phone" if kind == "phone" else "desktop"], base_url=site.base_url) | options
        if kind == "leader":
            settings["storage_state"] = request.getfixturevalue("leader_state")
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_page) -> Page:
    return new_page("phone")


@pytest.fixture
def desktop(new_page) -> Page:
    return new_page("desktop")


@pytest.fixture
def leader(new_page) -> Page:
    return new_page("leader")


def add_axe(page: Page) -> None:
    """Put axe-core into the page from the test's own files. The page's Content-Security-Policy
    (script-src 'self') refuses an inline script, so the script is offered at an address of the
    page's own origin and answered by the browser from disk: the app never serves it."""
    page.route("**/__tests__/axe.min.js", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url="/__tests__/axe.min.js")
