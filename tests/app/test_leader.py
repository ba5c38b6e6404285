"""The process leader over HTTP: logging in, own organisation only, CSRF, setting up and running
a café, table cards and QR codes, moderation."""

import io
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.i18n import translations
from app.models import Cafe, CafeTable, ModerationEvent, Note, Process, Round, SetupLink, User, utcnow
from app.security import token_hash
from app.services.accounts import new_setup_link
from app.settings import Settings
from facilitation.login_throttle import ACCOUNT
from facilitation.process import DEFAULT_QUESTIONS
from tests.app.helpers import (  # noqa: F401  (fast_passwords is a fixture)
    cafe_row,
    count,
    fast_passwords,
    form_error,
    join,
    message,
    notes,
    other_organisation_cafe,
    send_json,
    shows,
)
from tests.builders import PASSWORD, csrf_from, log_in, make_cafe, make_leader


pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def leader(session):
    return make_leader(session)


@pytest.fixture
def csrf(client, leader):
    return log_in(client)


def login_attempt(client, email, password):
    csrf = csrf_from(client.get("/login").text)
    data = {"email": email, "password": password, "csrf_token": csrf}
    return client.post("/login", data=data, follow_redirects=False)


def act(client, csrf, cafe_id, action, **extra):
    return client.post(
        f"/leader/cafes/{cafe_id}/actions", data={"action": action, "csrf_token": csrf, **extra}, follow_redirects=False
    )


def cafe_form(csrf, *, village="Hallen", day="2026-11-30", tables=4, rounds=(("Vad är bra här?", 20),), **extra):
    return {
        "csrf_token": csrf, "village": village, "venue": "Bygdegården", "date": day, "table_count": str(tables),
        "question": [q for q, _ in rounds], "minutes": [str(m) for _, m in rounds], **extra,
    }


def process_form(csrf, **fields):
    return {"csrf_token": csrf, "name": "Översiktsplan 2030", "municipalities": "Storsjö kommun, Ås kommun",
            "plan": "Översiktsplan", "participation_level": "consultation", "description": "", **fields}


# Logging in and out


def test_a_leader_logs_in_with_the_right_password(client, leader):
    response = login_attempt(client, "Leader@Storsjo.se ", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/leader"
    assert client.get("/leader", follow_redirects=False).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, leader):
    response = login_attempt(client, "leader@storsjo.se", "fel-lösenord-123")
    assert response.status_code == 401
    assert form_error(response.text) == message("bad_login")
    assert client.get("/leader", follow_redirects=False).status_code == 303


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(client, leader):
    wrong_password = login_attempt(client, "leader@storsjo.se", "fel-lösenord-123")
    unknown_email = login_attempt(client, "ingen@storsjo.se", "fel-lösenord-123")
    assert unknown_email.status_code == wrong_password.status_code == 401
    assert form_error(unknown_email.text) == form_error(wrong_password.text)
    assert page_without(unknown_email, "ingen@storsjo.se") == page_without(wrong_password, "leader@storsjo.se")


def test_after_a_few_wrong_passwords_from_a_new_browser_the_next_try_waits_and_says_how_long(client, leader):
    for _ in range(ACCOUNT.free_tries + 1):
        assert login_attempt(client, "leader@storsjo.se", "fel-lösenord-123").status_code == 401
    response = login_attempt(client, "Leader@storsjo.se", PASSWORD)
    assert response.status_code == 429
    assert form_error(response.text) == "För många försök att logga in. Försök igen om 2 sekunder."
    assert response.headers["retry-after"] == "2"
    assert client.get("/leader", follow_redirects=False).status_code == 303  # not logged in
    assert login_attempt(client, "annan@storsjo.se", "fel-lösenord-123").status_code == 401  # others still tried


def page_without(response, email: str) -> str:
    """The page minus what differs between any two attempts: the e-mail typed and the CSRF token."""
    return re.sub(r'name="csrf_token" value="[^"]+"', "", response.text.replace(email, ""))


def test_a_login_after_a_redirect_goes_back_to_the_page_asked_for_but_never_off_site(client, leader):
    assert client.get("/leader/processes/new", follow_redirects=False).headers["location"] == (
        "/login?next=/leader/processes/new"
    )
    csrf = csrf_from(client.get("/login").text)
    data = {"email": "leader@storsjo.se", "password": PASSWORD, "csrf_token": csrf, "next": "//evil.example/"}
    assert client.post("/login", data=data, follow_redirects=False).headers["location"] == "/leader"


def test_logging_out_ends_the_session(client, csrf):
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/leader", follow_redirects=False).headers["location"].startswith("/login")


def test_the_session_cookie_is_http_only_and_same_site_lax(client, leader):
    response = login_attempt(client, "leader@storsjo.se", PASSWORD)
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith("bykafe="))
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


# The one-time setup link


def test_printed_addresses_name_the_port_served_or_the_public_url(monkeypatch):
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8017")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    assert Settings.from_env(secret_key="k" * 40).address == "http://127.0.0.1:8017"
    monkeypatch.setenv("PUBLIC_URL", "http://192.168.4.1:8000/")  # the laptop in the hall
    assert Settings.from_env(secret_key="k" * 40).address == "http://192.168.4.1:8000"


def setup_data(client, token, email="forsta@storsjo.se"):
    csrf = csrf_from(client.get(f"/setup/{token}").text)
    return {"csrf_token": csrf, "email": email, "password": "ett-långt-lösenord", "organisation": "Storsjö kommun",
            "name": "Första"}


def test_a_setup_link_creates_the_first_leader_and_logs_them_in(client, session):
    token = new_setup_link(session)
    response = client.post(f"/setup/{token}", data=setup_data(client, token), follow_redirects=False)
    assert response.status_code == 303
    assert count(session, User, User.email == "forsta@storsjo.se") == 1
    assert client.get("/leader", follow_redirects=False).status_code == 200


def test_a_setup_form_with_a_short_password_is_shown_again_with_what_was_typed(client, session):
    token = new_setup_link(session)
    response = client.post(f"/setup/{token}", data=setup_data(client, token) | {"password": "kort"},
                           follow_redirects=False)
    assert response.status_code == 422
    assert 'value="Första"' in response.text and 'value="forsta@storsjo.se"' in response.text
    assert count(session, User) == 0


def test_a_setup_link_works_only_once(client, session):
    token = new_setup_link(session)
    data = setup_data(client, token)
    client.post(f"/setup/{token}", data=data, follow_redirects=False)

    again = client.get(f"/setup/{token}")
    assert again.status_code == 422
    assert shows(again, message("bad_setup_link"))
    csrf = csrf_from(client.get("/leader").text)  # the session was renewed on setup
    second = client.post(
        f"/setup/{token}", data=data | {"email": "andra@storsjo.se", "csrf_token": csrf}, follow_redirects=False
    )
    assert second.status_code == 422
    assert count(session, User) == 1


def test_an_expired_setup_link_is_refused(client, session):
    token = "utgangen-lank-0123456789"
    session.add(SetupLink(token_hash=token_hash(token), expires_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    page = client.get(f"/setup/{token}")
    assert page.status_code == 422
    assert shows(page, message("bad_setup_link"))


def test_an_unknown_setup_link_is_refused_and_creates_no_one(client, session):
    new_setup_link(session)
    csrf = csrf_from(client.get("/login").text)
    response = client.post(
        "/setup/gissad-lank", data={"csrf_token": csrf, "email": "x@y.se", "password": "ett-långt-lösenord",
                                     "organisation": "X"}, follow_redirects=False,
    )
    assert response.status_code == 422
    assert shows(response, message("bad_setup_link"))
    assert count(session, User) == 0


# Only one's own organisation


@pytest.fixture
def foreign(session):
    return other_organisation_cafe(session)


@pytest.mark.parametrize(
    "path",
    [
        "/leader/processes/{process}", "/leader/processes/{process}/edit", "/leader/processes/{process}/cafes/new",
        "/leader/cafes/{cafe}", "/leader/cafes/{cafe}/edit", "/leader/cafes/{cafe}/cards",
        "/leader/cafes/{cafe}/tables/1/qr.svg", "/leader/cafes/{cafe}/tables/1/qr.png",
        "/api/v1/cafes/{cafe}", "/api/v1/cafes/{cafe}/notes",
    ],
)
def test_another_organisations_pages_are_not_found(client, csrf, foreign, path):
    response = client.get(path.format(process=foreign.process_id, cafe=foreign.cafe_id))
    assert response.status_code == 404
    assert "Hallen" not in response.text


def test_the_process_list_shows_only_the_own_organisations_processes(client, session, leader, foreign):
    own = make_cafe(session, leader)
    session.get(Process, own.process_id).name = "Vår egen dialog"
    session.commit()
    log_in(client)
    page = client.get("/leader")
    assert "Vår egen dialog" in page.text
    assert "Landsbygdsdialog" not in page.text  # the other organisation's process


def test_another_organisations_cafe_cannot_be_run_or_edited(client, session, csrf, foreign):
    assert act(client, csrf, foreign.cafe_id, "close").status_code == 404
    edited = client.post(f"/leader/cafes/{foreign.cafe_id}/edit", data=cafe_form(csrf, village="Kapad"))
    assert edited.status_code == 404
    renamed = client.post(f"/leader/processes/{foreign.process_id}/edit", data=process_form(csrf, name="Kapad"))
    assert renamed.status_code == 404
    added = client.post(f"/leader/processes/{foreign.process_id}/cafes/new", data=cafe_form(csrf, village="Kapad"))
    assert added.status_code == 404
    cafe = cafe_row(session, foreign.cafe_id)
    assert (cafe.phase, cafe.village) == ("round", "Hallen")
    assert session.get(Process, foreign.process_id).name == "Landsbygdsdialog"
    assert count(session, Cafe) == 1


def test_another_organisations_notes_cannot_be_hidden(client, session, app, csrf, foreign):
    phone = TestClient(app)
    send_json(phone, foreign.tables[0].join_token, "Grannbyns lapp", join(phone, foreign.tables[0].join_token))
    note = notes(session)[0]
    response = client.post(f"/leader/notes/{note.id}/visibility", data={"hidden": "true", "csrf_token": csrf})
    assert response.status_code == 404
    assert notes(session)[0].hidden_at is None
    assert count(session, ModerationEvent) == 0


# CSRF


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client, session, leader, csrf):
    setup = make_cafe(session, leader)
    response = client.post(f"/leader/cafes/{setup.cafe_id}/actions", data={"action": "open"})
    assert response.status_code == 403
    assert shows(response, message("csrf"))
    assert cafe_row(session, setup.cafe_id).phase == "draft"


def test_a_form_with_a_wrong_csrf_token_is_refused_and_changes_nothing(client, session, csrf):
    response = client.post("/leader/processes/new", data=process_form("x" * len(csrf)))
    assert response.status_code == 403
    assert count(session, Process) == 0


def test_a_csrf_token_from_another_session_is_refused(client, app, session, csrf):
    other = TestClient(app)
    other_csrf = csrf_from(other.get("/login").text)
    assert client.post("/leader/processes/new", data=process_form(other_csrf)).status_code == 403
    assert count(session, Process) == 0


# Processes


def test_a_leader_creates_a_process(client, session, csrf):
    response = client.post("/leader/processes/new", data=process_form(csrf), follow_redirects=False)
    assert response.status_code == 303
    process = session.exec(select(Process)).one()
    assert response.headers["location"] == f"/leader/processes/{process.id}"
    assert (process.name, process.municipalities, process.participation_level) == (
        "Översiktsplan 2030", "Storsjö kommun, Ås kommun", "consultation",
    )
    assert "Översiktsplan 2030" in client.get(response.headers["location"]).text


def test_a_leader_edits_a_process(client, session, leader, csrf):
    setup = make_cafe(session, leader)
    response = client.post(
        f"/leader/processes/{setup.process_id}/edit",
        data=process_form(csrf, name="FÖP Landsbygd", participation_level="participation"), follow_redirects=False,
    )
    assert response.status_code == 303
    session.expire_all()
    process = session.get(Process, setup.process_id)
    assert (process.name, process.participation_level) == ("FÖP Landsbygd", "participation")


def test_the_wall_and_table_cards_speak_the_process_language_not_the_browsers(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="round")
    wall = f"/leader/cafes/{setup.cafe_id}/wall"
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    assert '<html lang="sv">' in client.get(wall, headers=english_browser).text
    assert "Mobiler vid varje bord" in client.get(wall, headers=english_browser).text
    client.post(f"/leader/processes/{setup.process_id}/edit", data=process_form(csrf, language="en"))
    assert "Phones at each table" in client.get(wall, headers={"Accept-Language": "sv-SE"}).text
    assert "Table 1" in client.get(f"/leader/cafes/{setup.cafe_id}/cards", headers={"Accept-Language": "sv-SE"}).text


@pytest.mark.parametrize(
    "phase, heading",
    [("draft", "Välkommen till bykaféet"), ("open", "Snart börjar samtalsrunda 1"), ("closed", "Tack för i kväll")],
)
def test_the_wall_names_the_moment_in_the_rooms_words_not_the_leaders(client, session, leader, csrf, phase, heading):
    setup = make_cafe(session, leader, phase="open" if phase == "closed" else phase)
    if phase == "closed":
        act(client, csrf, setup.cafe_id, "close")
    wall = client.get(f"/leader/cafes/{setup.cafe_id}/wall").text
    assert f'class="wall-question">{heading}</h2>' in wall
    assert "mellan samtalsrundor" not in wall


def test_the_wall_between_rounds_names_the_next_round_and_after_the_last_the_harvest(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="open", rounds=("Ett", "Två"))
    wall = f"/leader/cafes/{setup.cafe_id}/wall"
    for round_number in (1, 2):
        act(client, csrf, setup.cafe_id, "start_round")
        act(client, csrf, setup.cafe_id, "end_round", confirmed="true")
        expected = "Skörd" if round_number == 2 else "Snart börjar samtalsrunda 2"
        assert f'class="wall-question">{expected}</h2>' in client.get(wall).text


def test_the_village_poster_speaks_the_process_language_not_the_browsers(client, session, leader, csrf):
    setup = make_cafe(session, leader)
    poster = f"/leader/cafes/{setup.cafe_id}/feedback-poster"
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    printed = client.get(poster, headers=english_browser).text
    assert '<html lang="sv">' in printed and "Vad hände med det vi sa?" in printed
    client.post(f"/leader/processes/{setup.process_id}/edit", data=process_form(csrf, language="fi"))
    printed = client.get(poster, headers={"Accept-Language": "sv-SE"}).text
    assert '<html lang="fi">' in printed and "Mitä seurasi siitä, mitä sanoimme?" in printed
    assert "Vad hände med det vi sa?" not in printed


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"name": "   "}, "process_name"),
        ({"name": "x" * 201}, "process_name"),
        ({"participation_level": "dictatorship"}, "participation_level"),
        ({"language": "xx"}, "language"),
    ],
)
def test_an_invalid_process_is_shown_again_with_a_message(client, session, csrf, fields, code):
    response = client.post("/leader/processes/new", data=process_form(csrf, description="Vår text", **fields))
    assert response.status_code == 422
    assert form_error(response.text) == message(code)
    assert "Vår text" in response.text  # what was typed is kept
    assert count(session, Process) == 0


# Cafés


@pytest.fixture
def process_id(session, leader):
    return make_cafe(session, leader).process_id


def test_the_new_cafe_form_offers_three_rounds_of_twenty_minutes(client, csrf, process_id):
    page = client.get(f"/leader/processes/{process_id}/cafes/new").text
    questions = re.findall(r'<textarea id="question-\d+" name="question"[^>]*>([^<]*)</textarea>', page)
    minutes = re.findall(r'name="minutes" type="number" min="1" max="180" value="(\d+)"', page)
    filled = [q for q in questions if q.strip()]
    assert len(filled) == 3
    assert [q.replace("&#39;", "'") for q in filled] == list(DEFAULT_QUESTIONS)
    assert minutes[:3] == ["20", "20", "20"]


def test_a_leader_creates_a_cafe_with_its_tables_and_rounds(client, session, csrf, process_id):
    rounds = (("Vad är bra?", 25), ("Vad saknas?", 30))
    response = client.post(
        f"/leader/processes/{process_id}/cafes/new", data=cafe_form(csrf, village="Ås", tables=5, rounds=rounds),
        follow_redirects=False,
    )
    assert response.status_code == 303
    cafe = session.exec(select(Cafe).where(Cafe.village == "Ås")).one()
    assert response.headers["location"] == f"/leader/cafes/{cafe.id}"
    assert (cafe.date, cafe.table_count, cafe.phase) == (date(2026, 11, 30), 5, "draft")
    assert count(session, CafeTable, CafeTable.cafe_id == cafe.id) == 5
    saved = session.exec(select(Round).where(Round.cafe_id == cafe.id).order_by(Round.number)).all()
    assert [(r.number, r.question, r.minutes) for r in saved] == [(1, "Vad är bra?", 25), (2, "Vad saknas?", 30)]


def test_a_cafe_is_marked_as_a_trial_with_its_checkbox_and_unmarked_by_leaving_it_empty(client, session, csrf, process_id):
    client.post(f"/leader/processes/{process_id}/cafes/new", data=cafe_form(csrf, village="Ås", trial="on"))
    cafe = session.exec(select(Cafe).where(Cafe.village == "Ås")).one()
    assert cafe.trial is True
    assert re.search(r'id="trial" name="trial" type="checkbox" checked', client.get(f"/leader/cafes/{cafe.id}/edit").text)
    client.post(f"/leader/cafes/{cafe.id}/edit", data=cafe_form(csrf, village="Ås"))
    session.refresh(cafe)
    assert cafe.trial is False


def test_a_cafe_without_a_venue_starts_its_line_with_the_date_not_a_stray_dot(client, session, csrf, process_id):
    client.post(f"/leader/processes/{process_id}/cafes/new", data=cafe_form(csrf, village="Ås", tables=3) | {"venue": ""})
    cafe = session.exec(select(Cafe).where(Cafe.village == "Ås")).one()
    page = client.get(f"/leader/cafes/{cafe.id}").text
    assert re.search(r'<p class="muted">2026-11-30 · 3 bord</p>', page), "the venue is optional: no '· ' before the date"


def test_empty_question_rows_are_dropped(client, session, csrf, process_id):
    rounds = (("Fråga ett", 20), ("", 20), ("Fråga tre", 15))
    client.post(f"/leader/processes/{process_id}/cafes/new", data=cafe_form(csrf, village="Ås", rounds=rounds))
    cafe = session.exec(select(Cafe).where(Cafe.village == "Ås")).one()
    saved = session.exec(select(Round).where(Round.cafe_id == cafe.id).order_by(Round.number)).all()
    assert [(r.number, r.question) for r in saved] == [(1, "Fråga ett"), (2, "Fråga tre")]


@pytest.mark.parametrize("tables, rounds", [(1, 1), (60, 8)])
def test_cafes_of_1_to_60_tables_and_1_to_8_rounds_are_accepted(client, session, csrf, process_id, tables, rounds):
    plan = tuple((f"Fråga {n}", 20) for n in range(1, rounds + 1))
    response = client.post(
        f"/leader/processes/{process_id}/cafes/new", data=cafe_form(csrf, village="Ås", tables=tables, rounds=plan),
        follow_redirects=False,
    )
    assert response.status_code == 303
    cafe = session.exec(select(Cafe).where(Cafe.village == "Ås")).one()
    assert count(session, CafeTable, CafeTable.cafe_id == cafe.id) == tables
    assert count(session, Round, Round.cafe_id == cafe.id) == rounds


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"tables": 0}, "table_count"),
        ({"tables": 61}, "table_count"),
        ({"rounds": tuple((f"Fråga {n}", 20) for n in range(9))}, "round_count"),
        ({"rounds": (("", 20),)}, "round_count"),
        ({"rounds": (("Fråga", 0),)}, "minutes"),
        ({"rounds": (("Fråga", 181),)}, "minutes"),
        ({"rounds": (("x" * 501, 20),)}, "question"),
        ({"day": "30/11/2026"}, "bad_date"),
        ({"day": "2026-02-30"}, "bad_date"),
        ({"village": "  "}, "village"),
        ({"village": ""}, "village"),
        ({"day": ""}, "bad_date"),
    ],
)
def test_an_invalid_cafe_is_shown_again_with_a_message_and_not_saved(client, session, csrf, process_id, fields, code):
    response = client.post(f"/leader/processes/{process_id}/cafes/new", data=cafe_form(csrf, **fields))
    assert response.status_code == 422
    assert form_error(response.text) == message(code)
    assert 'name="village"' in response.text
    assert count(session, Cafe) == 1  # only the one the fixture made


@pytest.mark.parametrize(
    "fields, named",
    [
        ({"tables": "sex"}, "antal bord"),
        ({"tables": ""}, "antal bord"),
        ({"rounds": (("Fråga", "tjugo"),)}, "minuter"),
    ],
)
def test_a_missing_or_malformed_cafe_field_is_named_in_the_message(client, session, csrf, process_id, fields, named):
    response = client.post(f"/leader/processes/{process_id}/cafes/new", data=cafe_form(csrf, **fields))
    assert response.status_code == 422
    assert form_error(response.text) == message("invalid_fields") % {"fields": named}
    assert count(session, Cafe) == 1


def test_a_process_without_a_name_is_refused_with_a_message_and_what_was_typed_kept(client, session, csrf):
    response = client.post("/leader/processes/new", data=process_form(csrf, name="", plan="Översiktsplan 2040"))
    assert response.status_code == 422
    assert form_error(response.text) == message("process_name")
    assert 'value="Översiktsplan 2040"' in response.text
    assert count(session, Process) == 0


def test_a_leader_edits_a_cafe(client, session, leader, csrf):
    setup = make_cafe(session, leader, tables=3)
    data = cafe_form(csrf, village="Nyby", day="2026-12-01", tables=5, rounds=(("Ny fråga", 30),))
    response = client.post(f"/leader/cafes/{setup.cafe_id}/edit", data=data, follow_redirects=False)
    assert response.status_code == 303
    cafe = cafe_row(session, setup.cafe_id)
    assert (cafe.village, cafe.date, cafe.table_count) == ("Nyby", date(2026, 12, 1), 5)
    assert count(session, CafeTable, CafeTable.cafe_id == cafe.id) == 5
    saved = session.exec(select(Round).where(Round.cafe_id == cafe.id)).all()
    assert [(r.question, r.minutes) for r in saved] == [("Ny fråga", 30)]


def test_tables_cannot_be_removed_once_the_cafe_is_open(client, session, leader, csrf):
    setup = make_cafe(session, leader, tables=3, phase="open")
    response = client.post(f"/leader/cafes/{setup.cafe_id}/edit", data=cafe_form(csrf, tables=2))
    assert response.status_code == 422
    assert form_error(response.text) == message("tables_in_use")
    assert count(session, CafeTable, CafeTable.cafe_id == setup.cafe_id) == 3


def test_a_started_rounds_question_is_kept_when_the_cafe_is_edited(client, session, leader, csrf):
    setup = make_cafe(session, leader, rounds=("Första", "Andra"), phase="round")
    data = cafe_form(csrf, rounds=(("Ändrad första", 20), ("Ändrad andra", 20)))
    assert client.post(f"/leader/cafes/{setup.cafe_id}/edit", data=data, follow_redirects=False).status_code == 303
    session.expire_all()
    saved = session.exec(select(Round).where(Round.cafe_id == setup.cafe_id).order_by(Round.number)).all()
    assert [r.question for r in saved] == ["Första", "Ändrad andra"]


# Running the evening


def test_a_leader_runs_a_whole_evening_through_the_page(client, session, leader, csrf):
    setup = make_cafe(session, leader, rounds=("Ett", "Två"))
    steps = [("open", "open"), ("start_round", "round"), ("end_round", "open"), ("start_round", "round"),
             ("close", "closed")]
    for action, phase in steps:
        response = act(client, csrf, setup.cafe_id, action, **({"confirmed": "true"} if action == "end_round" else {}))
        assert response.status_code == 303, (action, response.text)
        assert response.headers["location"] == f"/leader/cafes/{setup.cafe_id}"
        assert cafe_row(session, setup.cafe_id).phase == phase
    cafe = cafe_row(session, setup.cafe_id)
    assert cafe.rounds_done == 2
    assert all(r.started_at and r.ended_at for r in session.exec(select(Round).where(Round.cafe_id == cafe.id)))


def test_ending_a_round_with_time_left_asks_first_and_changes_nothing_until_confirmed(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="open")
    act(client, csrf, setup.cafe_id, "start_round")  # 20 minutes
    response = act(client, csrf, setup.cafe_id, "end_round")
    assert response.headers["location"] == f"/leader/cafes/{setup.cafe_id}?confirm=end_round#run"
    assert cafe_row(session, setup.cafe_id).phase == "round"
    page = client.get(response.headers["location"])
    assert "End it now for every table?" in page.text or "Vill du avsluta den nu för alla bord?" in page.text
    assert act(client, csrf, setup.cafe_id, "end_round", confirmed="true").status_code == 303
    assert cafe_row(session, setup.cafe_id).phase == "open"


def test_a_round_whose_time_has_run_out_ends_at_once(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="open")
    act(client, csrf, setup.cafe_id, "start_round")
    cafe = cafe_row(session, setup.cafe_id)
    cafe.round_ends_at = utcnow() - timedelta(minutes=1)
    session.add(cafe)
    session.commit()
    response = act(client, csrf, setup.cafe_id, "end_round")
    assert response.headers["location"] == f"/leader/cafes/{setup.cafe_id}"
    session.expire_all()
    assert cafe_row(session, setup.cafe_id).phase == "open"


def test_the_question_about_ending_early_is_not_shown_without_a_round_to_end(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="open")
    page = client.get(f"/leader/cafes/{setup.cafe_id}?confirm=end_round")
    assert page.status_code == 200 and 'id="confirm-end"' not in page.text


def test_starting_a_round_sets_its_clock_from_its_minutes(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="open")
    before = utcnow()
    act(client, csrf, setup.cafe_id, "start_round")
    cafe = cafe_row(session, setup.cafe_id)
    assert cafe.current_round == 1
    assert before + timedelta(minutes=20) <= cafe.round_ends_at <= utcnow() + timedelta(minutes=20)


def test_extending_a_round_adds_the_minutes_to_its_end(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="round")
    ends_at = cafe_row(session, setup.cafe_id).round_ends_at
    assert act(client, csrf, setup.cafe_id, "extend_round", minutes="5").status_code == 303
    assert cafe_row(session, setup.cafe_id).round_ends_at == ends_at + timedelta(minutes=5)


def test_the_cafe_page_offers_the_actions_of_its_phase(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="round")
    page = client.get(f"/leader/cafes/{setup.cafe_id}").text
    offered = set(re.findall(r'name="action" value="([a-z_]+)"', page))
    assert offered == {"extend_round", "end_round"}  # closing is apart, behind a confirmation
    assert f'href="/leader/cafes/{setup.cafe_id}/close"' in page


def test_closing_asks_first_naming_the_running_round_and_the_phones(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="round")
    client.get(f"/t/{setup.tables[0].join_token}")  # one phone (this client) at table 1
    page = client.get(f"/leader/cafes/{setup.cafe_id}/close")
    sv = translations("sv")
    assert page.status_code == 200
    assert sv.gettext("Round %(n)s, running now, ends.") % {"n": 1} in page.text
    assert "1 samtalsrunda som är kvar blir inte av." in page.text  # two rounds, one running
    assert "1 mobil vid borden kan inte längre skicka inspel." in page.text
    assert cafe_row(session, setup.cafe_id).phase == "round"  # asking changed nothing
    assert 'name="action" value="close"' in page.text


def test_a_closed_cafe_can_be_reopened_for_a_set_time_and_closed_again(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="round")
    assert act(client, csrf, setup.cafe_id, "close").status_code == 303
    assert act(client, csrf, setup.cafe_id, "reopen", minutes=30).status_code == 303
    cafe = cafe_row(session, setup.cafe_id)
    assert cafe.phase == "closed"
    assert timedelta(minutes=29) < cafe.reopened_until - utcnow() <= timedelta(minutes=30)
    assert client.get(f"/t/{setup.tables[1].join_token}").status_code == 200  # phones may join again
    assert act(client, csrf, setup.cafe_id, "close").status_code == 303
    assert cafe_row(session, setup.cafe_id).reopened_until is None


@pytest.mark.parametrize(
    "phase, action, code",
    [
        ("draft", "start_round", "start_round_not_allowed_in_draft"),
        ("draft", "close", "close_not_allowed_in_draft"),
        ("open", "open", "open_not_allowed_in_open"),
        ("open", "end_round", "end_round_not_allowed_in_open"),
        ("round", "start_round", "start_round_not_allowed_in_round"),
        ("round", "dance", "unknown_action"),
    ],
)
def test_an_action_the_phase_does_not_allow_is_refused_with_a_message(client, session, leader, csrf, phase, action,
                                                                      code):
    setup = make_cafe(session, leader, phase=phase)
    response = act(client, csrf, setup.cafe_id, action)
    assert response.status_code == 409
    assert shows(response, message(code))
    assert cafe_row(session, setup.cafe_id).phase == phase


def test_nothing_can_be_done_to_a_closed_cafe(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="round")
    act(client, csrf, setup.cafe_id, "close")
    for action in ("open", "start_round", "extend_round", "end_round", "close"):
        assert act(client, csrf, setup.cafe_id, action).status_code == 409
    assert cafe_row(session, setup.cafe_id).phase == "closed"


def test_an_extension_outside_1_to_60_minutes_is_refused(client, session, leader, csrf):
    setup = make_cafe(session, leader, phase="round")
    ends_at = cafe_row(session, setup.cafe_id).round_ends_at
    assert act(client, csrf, setup.cafe_id, "extend_round", minutes="150").status_code == 422
    refused = act(client, csrf, setup.cafe_id, "extend_round", minutes="90")  # a form field allows 120 (reopening)
    assert refused.status_code == 409
    assert translations("sv").gettext("A round can be extended by 1 to 60 minutes.") in refused.text
    assert cafe_row(session, setup.cafe_id).round_ends_at == ends_at


# Table cards and QR codes


def test_the_table_cards_have_a_card_per_table_with_qr_code_short_code_and_address(client, session, leader, csrf):
    setup = make_cafe(session, leader, tables=4)
    page = client.get(f"/leader/cafes/{setup.cafe_id}/cards")
    assert page.status_code == 200
    cards = re.findall(r'<article class="table-card".*?</article>', page.text, re.S)
    assert len(cards) == 4
    for card, table in zip(cards, setup.tables):
        assert f'src="/leader/cafes/{setup.cafe_id}/tables/{table.number}/qr.svg"' in card
        assert table.short_code in card
        assert "http://testserver/k" in card


def test_the_qr_code_is_a_real_svg_image(client, session, leader, csrf):
    setup = make_cafe(session, leader)
    response = client.get(f"/leader/cafes/{setup.cafe_id}/tables/1/qr.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.content and b"<path" in response.content


def decoded_png(response) -> str:
    pyzbar = pytest.importorskip("pyzbar.pyzbar")
    image_module = pytest.importorskip("PIL.Image")
    found = pyzbar.decode(image_module.open(io.BytesIO(response.content)))
    assert len(found) == 1
    return found[0].data.decode()


def test_the_png_qr_code_leads_a_phone_to_its_table(client, session, leader, csrf):
    setup = make_cafe(session, leader, tables=2)
    response = client.get(f"/leader/cafes/{setup.cafe_id}/tables/2/qr.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert decoded_png(response) == f"http://testserver/t/{setup.tables[1].join_token}"


def test_the_host_qr_code_leads_to_the_host_page(client, session, leader, csrf):
    setup = make_cafe(session, leader)
    response = client.get(f"/leader/cafes/{setup.cafe_id}/tables/1/qr.png?host=true")
    assert decoded_png(response).endswith(f"/h/{setup.tables[0].host_token}")


@pytest.mark.parametrize("path", ["tables/9/qr.svg", "tables/1/qr.gif"])
def test_a_qr_code_for_no_table_or_an_unknown_format_is_not_found(client, session, leader, csrf, path):
    setup = make_cafe(session, leader)
    assert client.get(f"/leader/cafes/{setup.cafe_id}/{path}").status_code == 404


# Moderation


@pytest.fixture
def note(session, app, leader):
    setup = make_cafe(session, leader, phase="round")
    phone = TestClient(app)
    token = setup.tables[0].join_token
    assert send_json(phone, token, "Ring Kalle på 070-123 45 67", join(phone, token)).status_code == 201
    return notes(session)[0]


def set_hidden(client, csrf, note_id, hidden):
    return client.post(
        f"/leader/notes/{note_id}/visibility", data={"hidden": hidden, "csrf_token": csrf}, follow_redirects=False
    )


def test_hiding_a_note_keeps_it_and_records_who_hid_it_and_when(client, session, leader, csrf, note):
    before = utcnow()
    assert set_hidden(client, csrf, note.id, "true").status_code == 303
    hidden = notes(session, Note.id == note.id)[0]
    assert hidden.hidden_at is not None and hidden.hidden_by_id == leader.id
    event = session.exec(select(ModerationEvent)).one()
    assert (event.note_id, event.user_id, event.action) == (note.id, leader.id, "hide")
    assert before <= event.at <= utcnow()
    assert hidden.text == "Ring Kalle på 070-123 45 67"


def test_a_hidden_note_is_marked_for_the_leader_and_gone_from_the_host_page(client, session, csrf, note):
    set_hidden(client, csrf, note.id, "true")
    table = session.get(CafeTable, note.table_id)
    assert "Ring Kalle" not in client.get(f"/h/{table.host_token}").text
    leader_page = client.get(f"/leader/cafes/{note.cafe_id}").text
    assert f'<li id="note-{note.id}" class="hidden-note">' in leader_page


def test_showing_a_note_again_is_recorded_too(client, session, leader, csrf, note):
    set_hidden(client, csrf, note.id, "true")
    set_hidden(client, csrf, note.id, "false")
    assert notes(session, Note.id == note.id)[0].hidden_at is None
    events = session.exec(select(ModerationEvent).order_by(ModerationEvent.id)).all()
    assert [(e.action, e.user_id) for e in events] == [("hide", leader.id), ("unhide", leader.id)]


def test_hiding_a_hidden_note_again_records_nothing_new(client, session, csrf, note):
    set_hidden(client, csrf, note.id, "true")
    set_hidden(client, csrf, note.id, "true")
    assert count(session, ModerationEvent) == 1


def test_hiding_an_unknown_note_is_not_found(client, csrf):
    assert set_hidden(client, csrf, 999, "true").status_code == 404
