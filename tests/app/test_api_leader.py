"""The leader's JSON API: login and CSRF first, then running the café and moderating."""

import pytest
from fastapi.testclient import TestClient

from app.models import ModerationEvent
from tests.app.helpers import (  # noqa: F401  (fast_passwords is a fixture)
    cafe_row,
    count,
    fast_passwords,
    join,
    message,
    notes,
    other_organisation_cafe,
    send_json,
)
from tests.builders import log_in, make_cafe, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def leader(session):
    return make_leader(session)


@pytest.fixture
def cafe(session, leader):
    return make_cafe(session, leader, phase="open")


@pytest.fixture
def csrf(client, leader):
    return log_in(client)


def action(client, cafe_id, name, csrf, **extra):
    headers = {"x-csrf-token": csrf} if csrf else {}
    return client.post(f"/api/v1/cafes/{cafe_id}/actions", json={"action": name, **extra}, headers=headers)


@pytest.mark.parametrize("path", ["/api/v1/cafes/{id}", "/api/v1/cafes/{id}/notes"])
def test_without_login_the_api_answers_401_in_json(client, cafe, path):
    response = client.get(path.format(id=cafe.cafe_id))
    assert response.status_code == 401
    assert response.json() == {"error": "login_required", "message": message("login_required")}


def test_a_logged_in_action_without_the_csrf_header_is_refused_and_changes_nothing(client, session, cafe, csrf):
    response = action(client, cafe.cafe_id, "start_round", None)
    assert response.status_code == 403
    assert response.json()["error"] == "csrf"
    assert action(client, cafe.cafe_id, "start_round", "wrong-token").status_code == 403
    assert cafe_row(session, cafe.cafe_id).phase == "open"


def test_the_api_describes_the_cafe_and_what_can_be_done_now(client, cafe, csrf):
    described = client.get(f"/api/v1/cafes/{cafe.cafe_id}").json()
    assert described == {"id": cafe.cafe_id, "village": "Hallen", "phase": "open", "current_round": None,
                         "rounds_done": 0, "seconds_left": None, "allowed_actions": ["start_round", "close"]}


def test_the_leader_runs_the_cafe_through_the_api(client, session, cafe, csrf):
    started = action(client, cafe.cafe_id, "start_round", csrf)
    assert started.status_code == 200
    assert (started.json()["phase"], started.json()["current_round"]) == ("round", 1)
    assert 19 * 60 <= started.json()["seconds_left"] <= 20 * 60
    extended = action(client, cafe.cafe_id, "extend_round", csrf, minutes=10)
    assert 29 * 60 <= extended.json()["seconds_left"] <= 30 * 60
    ended = action(client, cafe.cafe_id, "end_round", csrf)
    assert (ended.json()["phase"], ended.json()["rounds_done"]) == ("open", 1)
    closed = action(client, cafe.cafe_id, "close", csrf)
    assert (closed.json()["phase"], closed.json()["allowed_actions"]) == ("closed", ["reopen"])
    assert cafe_row(session, cafe.cafe_id).phase == "closed"


def test_a_refused_api_action_says_why_in_json(client, session, cafe, csrf):
    response = action(client, cafe.cafe_id, "end_round", csrf)
    assert response.status_code == 409
    assert response.json() == {"error": "end_round_not_allowed_in_open", "message": message("not_allowed")}
    assert cafe_row(session, cafe.cafe_id).phase == "open"


def test_an_api_extension_outside_1_to_60_minutes_names_the_field(client, session, cafe, csrf):
    action(client, cafe.cafe_id, "start_round", csrf)
    response = action(client, cafe.cafe_id, "extend_round", csrf, minutes=0)
    assert response.status_code == 422
    assert response.json()["fields"] == ["minutes"]


def test_an_api_action_sent_as_a_form_is_refused_as_the_wrong_content_type(client, session, cafe, csrf):
    response = client.post(f"/api/v1/cafes/{cafe.cafe_id}/actions", data={"action": "start_round"},
                           headers={"x-csrf-token": csrf})
    assert response.status_code == 415
    assert cafe_row(session, cafe.cafe_id).phase == "open"


@pytest.fixture
def sent(app, session, cafe, csrf, client):
    action(client, cafe.cafe_id, "start_round", csrf)
    phone = TestClient(app)
    token = cafe.tables[1].join_token
    client_id = join(phone, token)
    send_json(phone, token, "Cykelväg till skolan", client_id)
    send_json(phone, token, "Affären behövs", join(phone, token))
    return notes(session)


def test_the_leader_lists_the_cafes_notes(client, cafe, sent):
    listed = client.get(f"/api/v1/cafes/{cafe.cafe_id}/notes").json()
    assert [(n["text"], n["table"], n["round"], n["source"], n["hidden"]) for n in listed] == [
        ("Cykelväg till skolan", 2, 1, "phone", False), ("Affären behövs", 2, 1, "phone", False),
    ]


def test_the_leader_hides_and_shows_a_note_through_the_api(client, session, cafe, csrf, leader, sent):
    note = sent[0]
    hidden = client.post(f"/api/v1/notes/{note.id}/visibility", json={"hidden": True}, headers={"x-csrf-token": csrf})
    assert hidden.status_code == 200
    assert hidden.json()["hidden"] is True
    listed = client.get(f"/api/v1/cafes/{cafe.cafe_id}/notes").json()
    assert [n["hidden"] for n in listed] == [True, False]  # still there for the leader, marked
    shown = client.post(f"/api/v1/notes/{note.id}/visibility", json={"hidden": False}, headers={"x-csrf-token": csrf})
    assert shown.json()["hidden"] is False
    assert count(session, ModerationEvent, ModerationEvent.user_id == leader.id) == 2


def test_hiding_through_the_api_needs_the_csrf_header(client, session, csrf, sent):
    response = client.post(f"/api/v1/notes/{sent[0].id}/visibility", json={"hidden": True})
    assert response.status_code == 403
    assert notes(session)[0].hidden_at is None


def test_another_organisations_cafe_and_notes_are_not_found_through_the_api(client, session, app, csrf):
    foreign = other_organisation_cafe(session)
    phone = TestClient(app)
    send_json(phone, foreign.tables[0].join_token, "Grannbyns lapp", join(phone, foreign.tables[0].join_token))
    [note] = notes(session)
    assert action(client, foreign.cafe_id, "close", csrf).status_code == 404
    hide = client.post(f"/api/v1/notes/{note.id}/visibility", json={"hidden": True}, headers={"x-csrf-token": csrf})
    assert hide.status_code == 404
    assert cafe_row(session, foreign.cafe_id).phase == "round"
    assert notes(session)[0].hidden_at is None
