"""A phone's JSON note has two doors, the fast lane and the documented route: both answer alike."""

import pytest
from fastapi.testclient import TestClient

from app.models import Note
from app.note_post import parse_note
from facilitation.notes import NoteRejected
from tests.app.helpers import count, fast_passwords, join, message  # noqa: F401
from tests.builders import make_cafe, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture(params=["fast lane", "route"])
def door(request, app):
    """The app as it runs (fast lane first), or with the fast lane off so the route answers."""
    if request.param == "route":
        app.fast_lane = None
    return request.param


@pytest.fixture
def cafe(session):
    return make_cafe(session, make_leader(session), phase="round")


def post(client, token, body=None, **kwargs):
    return client.post(f"/api/v1/tables/{token}/notes", json=body, **kwargs)


def test_a_note_is_stored_once_and_a_resend_says_it_was_saved_before(app, door, session, cafe):
    token = cafe.tables[0].join_token
    with TestClient(app) as client:
        join(client, token)
        first = post(client, token, {"client_id": "note-0001", "text": "Fler bussar på kvällen"})
        again = post(client, token, {"client_id": "note-0001", "text": "Fler bussar på kvällen"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert [first.json()[k] for k in ("text", "table", "round", "source", "saved")] == [
        "Fler bussar på kvällen", 1, 1, "phone", True]
    assert count(session, Note) == 1


@pytest.mark.parametrize(
    ("send", "status", "error"),
    [
        (dict(body={"client_id": "note-0002", "text": "  "}), 422, "empty"),
        (dict(body={"client_id": "note-0003"}), 422, "invalid_fields"),
        (dict(body=[1, 2]), 422, "invalid_fields"),
        (dict(content=b"Bussen", headers={"content-type": "text/plain"}), 415, "bad_content_type"),
        (dict(body={"client_id": "note-0007", "text": "x" * 1_001}), 422, "too_long"),
        (dict(body={"client_id": "note-0008", "text": "x" * 10_001}), 422, "too_long"),
        (dict(body={"client_id": "note-0009", "text": "Vägen till skolan " * 4_000}), 422, "too_long"),  # 76 kB
        (dict(content=b"{" + b" " * 70_000 + b"}", headers={"content-type": "application/json"}), 422, "too_long"),
    ],
    ids=["empty", "no-text", "list", "plain-text", "too-long", "far-too-long", "over-64-kB", "body-over-64-kB"],
)
def test_a_refused_note_gets_the_same_answer_from_both_doors_in_swedish(app, door, session, cafe, send, status, error):
    token = cafe.tables[0].join_token
    with TestClient(app) as client:
        join(client, token)
        if "body" in send:
            response = post(client, token, send["body"])
        else:
            response = client.post(f"/api/v1/tables/{token}/notes", **send)
    assert response.status_code == status
    assert response.json()["error"] == error
    if error == "invalid_fields":
        assert "inspel" in response.json()["message"]  # names the fields, in Swedish first
    else:
        assert response.json()["message"] == message(error)
    assert count(session, Note) == 0


def test_a_phone_that_has_not_joined_the_table_is_refused_by_both_doors(app, door, session, cafe):
    with TestClient(app) as client:
        response = post(client, cafe.tables[0].join_token, {"client_id": "note-0004", "text": "Hej"})
        unknown = post(client, "no-such-token", {"client_id": "note-0005", "text": "Hej"})
    assert (response.status_code, response.json()["error"]) == (403, "not_at_table")
    assert (unknown.status_code, unknown.json()["error"]) == (404, "not_found")
    assert count(session, Note) == 0


def test_a_note_outside_a_round_is_a_conflict_for_both_doors(app, door, session):
    cafe = make_cafe(session, make_leader(session), phase="open")
    token = cafe.tables[0].join_token
    with TestClient(app) as client:
        join(client, token)
        response = post(client, token, {"client_id": "note-0006", "text": "Hej"})
    assert (response.status_code, response.json()["error"]) == (409, "no_round_running")


def test_the_parser_reads_a_note_and_names_what_is_missing_or_wrong():
    assert parse_note(b'{"client_id": "abc", "text": "Hej"}') == ("abc", "Hej")
    assert parse_note(('{"client_id": "' + "x" * 300 + '", "text": "Hej"}').encode()) == ("x" * 200, "Hej")
    assert parse_note(b'{"text": 42}') == ["client_id", "text"]
    for raw in (b"not json", b"[1, 2]", b"null", b"[" * 30_000 + b"]" * 30_000):
        assert parse_note(raw) == ["body", "client_id", "text"]
    for too_large in (None, ('{"client_id": "abc", "text": "' + "x" * 10_001 + '"}').encode()):
        with pytest.raises(NoteRejected, match="too_long"):
            parse_note(too_large)


def test_a_note_over_64_kB_is_too_long_in_the_phones_language_and_the_phone_may_split_it(app, door, session, cafe):
    token = cafe.tables[0].join_token
    with TestClient(app) as client:
        join(client, token)
        too_long = post(client, token, {"client_id": "note-0010", "text": "Bussen " * 10_000},
                        headers={"accept-language": "fi"})
        split = post(client, token, {"client_id": "note-0011", "text": "Bussen " * 100})
    assert (too_long.status_code, too_long.json()["error"]) == (422, "too_long")
    assert too_long.json()["message"] == message("too_long", "fi") != message("too_long")
    assert "fields" not in too_long.json()
    assert split.status_code == 201
    assert count(session, Note) == 1
