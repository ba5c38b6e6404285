"""Odd and hostile input answers 4xx with a message in the user's language, never a 500."""

import json
import re

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from app.db import MAX_DB_INT
from app.models import Note
from app.routes.live import _last_event_id
from app.routes.participant import FORM_TEXT_LIMIT
from facilitation.notes import MAX_NOTE_LENGTH
from tests.app.helpers import count, fast_passwords, join, message, notes, send_json, shows  # noqa: F401
from tests.app.test_public import publish
from tests.builders import client_id_from, log_in, make_cafe, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")

PAST_INT64 = 2**63 + 1


@pytest.fixture
def cafe(session):
    return make_cafe(session, make_leader(session), phase="round")


@pytest.fixture
def careless(app):
    """A client that shows a server error as a 500 answer instead of raising it in the test."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def post_raw(client, path, body: str):
    return client.post(path, content=body.encode(), headers={"content-type": "application/json"})


NOT_OBJECTS = ["[1, 2]", '"x"', "123", "null", "true", "[" * 30_000 + "]" * 30_000,
               '{"text": "a", "client_id": "abcdefgh", "deep": ' + "[" * 30_000 + "]" * 30_000 + "}"]


@pytest.mark.parametrize("body", NOT_OBJECTS, ids=["list", "string", "number", "null", "true", "deep", "deep-inside"])
def test_a_phone_posting_json_that_is_no_note_object_is_told_which_fields_are_missing(careless, session, cafe, body):
    token = cafe.tables[0].join_token
    join(careless, token)
    response = post_raw(careless, f"/api/v1/tables/{token}/notes", body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_fields"
    assert "inspelets id" in response.json()["message"]  # Swedish first
    assert count(session, Note) == 0


@pytest.mark.parametrize("body", NOT_OBJECTS[:6], ids=["list", "string", "number", "null", "true", "deep"])
def test_the_documented_note_route_refuses_the_same_bodies_with_a_message(app, session, cafe, body):
    app.fast_lane = None  # the framework's own route, as /openapi.json documents it
    with TestClient(app, raise_server_exceptions=False) as client:
        token = cafe.tables[0].join_token
        join(client, token)
        response = post_raw(client, f"/api/v1/tables/{token}/notes", body)
    assert 400 <= response.status_code < 500
    answer = response.json()
    assert answer["message"] == message("bad_request") or answer["error"] == "invalid_fields" and "JSON" in answer["message"]
    assert count(session, Note) == 0


def test_ids_past_the_database_range_or_below_one_are_not_found_on_public_pages(careless, session, cafe):
    process = publish(session, cafe)
    for path in (f"/p/{PAST_INT64}", f"/p/{MAX_DB_INT + 1}", "/p/-1", "/p/0", f"/p/{process.id}/by/{PAST_INT64}",
                 f"/o/{PAST_INT64}", f"/o/{MAX_DB_INT + 1}", "/p/abc"):
        response = careless.get(path)
        assert response.status_code == 404, path
        assert shows(response, message("not_found")), path


def test_ids_past_the_database_range_are_not_found_for_a_leader_and_the_api(careless, cafe):
    log_in(careless)
    for path in (f"/leader/cafes/{PAST_INT64}", f"/leader/processes/{PAST_INT64}", f"/leader/cafes/{PAST_INT64}/events",
                 f"/leader/cafes/{PAST_INT64}/themes", f"/leader/processes/{PAST_INT64}/export.xlsx",
                 f"/api/v1/cafes/{PAST_INT64}", f"/api/v1/cafes/{MAX_DB_INT + 1}/notes"):
        response = careless.get(path)
        assert response.status_code == 404, path
        assert shows(response, message("not_found")), path
    response = careless.post(f"/api/v1/notes/{PAST_INT64}/visibility", json={"hidden": True})
    assert response.status_code in (403, 404)  # no CSRF header: refused before the id is looked at, or not found


def test_odd_digits_and_huge_ids_on_leader_forms_are_not_server_errors(careless, cafe):
    csrf = log_in(careless)
    assert careless.get(f"/leader/cafes/{cafe.cafe_id}/themes?open=²").status_code == 200
    assert careless.get(f"/leader/cafes/{cafe.cafe_id}/themes?open=١٢").status_code == 200
    response = careless.post(f"/leader/api-keys/{PAST_INT64}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 404


def event_request(header: str | None = None, query: str = "") -> Request:
    headers = [(b"last-event-id", header.encode())] if header is not None else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "query_string": query.encode()})


@pytest.mark.parametrize("raw", ["9" * 5000, str(PAST_INT64), str(MAX_DB_INT + 1), "-1", "1e3", "²", "١٢", " 7", "", "abc"])
def test_a_last_event_id_that_is_no_event_id_is_ignored(raw):
    assert _last_event_id(event_request(raw)) is None
    assert _last_event_id(event_request(query=f"last_event_id={raw}")) is None


def test_a_last_event_id_in_range_is_read():
    assert _last_event_id(event_request("42")) == 42
    assert _last_event_id(event_request(query="last_event_id=0")) == 0  # a page rendered before the first event
    assert _last_event_id(event_request(str(MAX_DB_INT))) == MAX_DB_INT


def test_a_note_over_a_megabyte_from_a_phone_without_javascript_comes_back_cut_with_a_message(client, session, cafe):
    token = cafe.tables[0].join_token
    client_id = join(client, token)
    text = "Vägen till skolan " * 120_000  # about 2 MB
    response = client.post(f"/t/{token}/notes", data={"text": text, "client_id": client_id}, follow_redirects=False)
    assert response.status_code == 422
    assert shows(response, message("too_long_cut"))
    assert "Vägen till skolan" in response.text
    box = response.text.split('name="text"')[1].split("</textarea>")[0].split(">", 1)[1]
    assert len(box) == MAX_NOTE_LENGTH and text.startswith(box)
    assert client_id_from(response.text) == client_id
    assert count(session, Note) == 0


def test_a_note_just_over_what_the_form_reads_whole_is_cut_too(client, session, cafe):
    token = cafe.tables[0].join_token
    client_id = join(client, token)
    response = client.post(f"/t/{token}/notes", data={"text": "å" * (FORM_TEXT_LIMIT + 1), "client_id": client_id})
    assert response.status_code == 422
    assert "å" * MAX_NOTE_LENGTH in response.text and "å" * (MAX_NOTE_LENGTH + 1) not in response.text
    assert count(session, Note) == 0


def test_a_long_note_from_another_tables_phone_is_refused_as_not_at_the_table(client, app, cafe):
    join(client, cafe.tables[1].join_token)
    too_long = {"text": "x" * (FORM_TEXT_LIMIT + 1), "client_id": "abcdefgh1"}
    response = client.post(f"/t/{cafe.tables[0].join_token}/notes", data=too_long)
    assert response.status_code == 403
    assert shows(response, message("not_at_table"))


def test_a_leader_form_field_over_a_megabyte_gets_a_swedish_message_not_english_json(client, session, cafe):
    csrf = log_in(client)
    response = client.post(
        f"/leader/processes/{cafe.process_id}/categories",
        files={"csrf_token": (None, csrf), "name": (None, "x" * (1024 * 1024 + 10))},
    )
    assert response.status_code == 400
    assert shows(response, message("bad_request"))
    assert "maximum size" not in response.text


def test_a_wrong_method_is_answered_in_the_users_language(client):
    response = client.delete("/api/v1/cafes/1")
    assert response.status_code == 405
    assert response.json()["message"] == message("bad_method")
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize("odd", ["\x00", "\ud800", "\u202e", "\u2066", "\x1b[31m"])
def test_odd_unicode_in_a_note_is_dropped_not_stored_or_crashed_on(careless, session, cafe, odd):
    token = cafe.tables[0].join_token
    client_id = join(careless, token)
    body = json.dumps({"text": f"Bra{odd} väg", "client_id": client_id})  # \ud800 travels as a JSON escape
    response = post_raw(careless, f"/api/v1/tables/{token}/notes", body)
    assert response.status_code == 201, response.text
    assert notes(session)[0].text in ("Bra väg", "Bra[31m väg")


def test_a_link_token_that_no_link_can_have_is_not_found(careless):
    for path in ("/t/abc%00def", "/h/abc%00def", "/api/v1/tables/abc%00def", "/setup/abc%00def", "/t/" + "a" * 101,
                 "/api/v1/host/%E2%80%AEabc/notes"):
        response = careless.get(path)
        assert response.status_code == 404, path
        assert shows(response, message("not_found")), path


@pytest.mark.parametrize("language, heading, next_step", [
    ("sv", "Sidan finns inte", "Kontrollera länken eller adressen, eller skanna bordets QR-kod igen."),
    ("en", "This page does not exist", "Check the link or the address, or scan the table&#39;s QR code again."),
    ("fi", "Sivua ei ole olemassa", "Tarkista linkki tai osoite, tai skannaa pöydän QR-koodi uudelleen."),
])
def test_a_page_that_does_not_exist_says_so_in_its_heading_and_what_to_do_in_its_message(
        careless, language, heading, next_step):
    response = careless.get("/p/999999/nothing-here", headers={"accept-language": language})
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in response.text
    message = re.search(r'<p class="notice error" role="alert">([^<]*)</p>', response.text)[1]
    assert message == next_step and heading not in message
