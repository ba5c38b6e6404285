"""The participant's phone over HTTP: joining a table, sending notes by form and by JSON."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.i18n import translations
from app.messages import MESSAGES
from app.models import Cafe, Note, Participant, Round
from app.services import cafes as cafe_service
from facilitation.notes import MAX_NOTE_LENGTH, new_client_id
from tests.app.helpers import (  # noqa: F401  (fast_passwords is a fixture)
    count,
    fast_passwords,
    join,
    message,
    notes,
    participant_of,
    send_json,
    shows,
)
from tests.builders import client_id_from, make_cafe, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def leader(session):
    return make_leader(session)


@pytest.fixture
def cafe(session, leader):
    return make_cafe(session, leader, phase="round")


@pytest.fixture
def token(cafe):
    return cafe.tables[0].join_token


def send_form(client, token, text, client_id):
    return client.post(f"/t/{token}/notes", data={"text": text, "client_id": client_id}, follow_redirects=False)


def run(session, cafe_id, action):
    cafe_service.run_action(session, cafe=session.get(Cafe, cafe_id), action=action)


# Joining


def test_a_phone_joins_its_table_by_the_qr_code(client, session, cafe, token):
    page = client.get(f"/t/{token}")
    assert page.status_code == 200
    assert "Vad är bra här?" in page.text  # the running round's question
    [participant] = participant_of(session, cafe.cafe_id)
    assert participant.table_id == cafe.tables[0].id


def test_joining_twice_keeps_one_participant(client, session, cafe, token):
    join(client, token)
    join(client, token)
    assert len(participant_of(session, cafe.cafe_id)) == 1


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {a}-{b} ", "{a} {b}", "{a}–{b}"])
def test_a_phone_joins_by_the_short_code_however_it_is_typed(client, cafe, typed):
    code = cafe.tables[1].short_code
    entered = typed.format(code=code, lower=code.lower(), a=code[:3], b=code[3:].lower())
    response = client.post("/k", data={"code": entered}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/t/{cafe.tables[1].join_token}"


def test_the_short_code_link_on_the_card_leads_to_the_table(client, cafe):
    response = client.get(f"/k/{cafe.tables[2].short_code.lower()}", follow_redirects=False)
    assert response.headers["location"] == f"/t/{cafe.tables[2].join_token}"


def test_an_unknown_short_code_is_not_found_with_a_message(client, cafe):
    response = client.post("/k", data={"code": "ZZZZZZ"})
    assert response.status_code == 404
    assert shows(response, message("bad_code"))
    assert 'value="ZZZZZZ"' in response.text  # kept, to correct it


def test_guessing_short_codes_is_slowed_down(client, cafe):
    answers = [client.post("/k", data={"code": f"ZZZZ{n:02d}"}).status_code for n in range(31)]
    assert answers == [404] * 30 + [429]


@pytest.mark.parametrize("forged", ["nope", "x" * 27, "{token}x", "{host}"])
def test_an_unknown_or_forged_join_token_is_not_found(client, session, cafe, forged):
    response = client.get("/t/" + forged.format(token=cafe.tables[0].join_token, host=cafe.tables[0].host_token))
    assert response.status_code == 404
    assert shows(response, message("not_found"))
    assert participant_of(session, cafe.cafe_id) == []


def test_a_cafe_that_is_not_open_lets_no_phone_join_and_says_to_wait(client, session, leader):
    setup = make_cafe(session, leader, phase="draft")
    response = client.get(f"/t/{setup.tables[0].join_token}")
    assert response.status_code == 200  # a page that waits for the café to open (tests/browser/test_evening_in_the_hall.py)
    assert 'id="note-form"' not in response.text
    assert shows(response, message("cafe_not_open"))
    assert participant_of(session, setup.cafe_id) == []


def test_a_closed_cafe_says_goodbye_and_lets_no_phone_join(client, session, leader):
    setup = make_cafe(session, leader, phase="round")
    run(session, setup.cafe_id, "close")
    response = client.get(f"/t/{setup.tables[0].join_token}")
    assert response.status_code == 200
    assert shows(response, translations("sv").gettext("The café in %(village)s is closed") % {"village": "Hallen"})
    assert participant_of(session, setup.cafe_id) == []


def test_a_note_posted_without_javascript_to_a_closed_cafe_stays_visible_and_is_said_not_sent(client, session, leader):
    setup = make_cafe(session, leader, phase="round")
    token = setup.tables[0].join_token
    client.get(f"/t/{token}")
    run(session, setup.cafe_id, "close")
    response = client.post(f"/t/{token}/notes", data={"text": "Halvskriven tanke om bussen", "client_id": new_client_id()})
    assert response.status_code == 200
    assert shows(response, translations("sv").gettext("Your text was not sent"))
    assert "Halvskriven tanke om bussen</textarea>" in response.text


def test_a_phone_moves_to_another_table_by_scanning_its_code(client, session, cafe):
    first, second = cafe.tables[0], cafe.tables[1]
    join(client, first.join_token)
    client_id = join(client, second.join_token)
    [participant] = participant_of(session, cafe.cafe_id)
    assert participant.table_id == second.id
    assert send_json(client, second.join_token, "Vid nya bordet", client_id).status_code == 201
    assert send_json(client, first.join_token, "Vid gamla bordet", new_client_id()).status_code == 403
    assert [n.table_id for n in notes(session)] == [second.id]


# Sending notes: the form


def test_a_note_sent_by_the_form_is_saved_and_shown_with_its_text(client, session, cafe, token):
    client_id = join(client, token)
    response = send_form(client, token, "  Bussen måste gå oftare  ", client_id)
    assert response.status_code == 303
    assert response.headers["location"] == f"/t/{token}?sent=1#my-notes"
    page = client.get(response.headers["location"])
    mine = re.search(r'<ul class="notes" id="my-notes-list">(.*?)</ul>', page.text, re.S).group(1)
    assert f'data-client-id="{client_id}"' in mine
    assert "Bussen måste gå oftare" in mine
    assert [n.text for n in notes(session)] == ["Bussen måste gå oftare"]


def test_the_same_note_sent_twice_by_the_form_is_stored_once(client, session, token):
    client_id = join(client, token)
    assert send_form(client, token, "Bredband till alla", client_id).status_code == 303
    assert send_form(client, token, "Bredband till alla", client_id).status_code == 303
    assert count(session, Note) == 1


def test_each_page_load_offers_a_new_client_id(client, token):
    assert join(client, token) != join(client, token)


def test_a_refused_form_note_keeps_the_text_to_send_again(client, session, token):
    client_id = join(client, token)
    response = send_form(client, token, "x" * (MAX_NOTE_LENGTH + 1), client_id)
    assert response.status_code == 422
    assert shows(response, message("too_long"))
    assert "x" * (MAX_NOTE_LENGTH + 1) in response.text
    assert client_id_from(response.text) == client_id
    assert count(session, Note) == 0


def test_a_form_note_without_a_client_id_is_refused(client, session, token):
    join(client, token)
    response = client.post(f"/t/{token}/notes", data={"text": "Ingen id"})
    assert response.status_code == 422
    assert shows(response, message("bad_client_id"))
    assert count(session, Note) == 0


def test_a_note_containing_a_script_is_shown_as_text(client, session, token):
    client_id = join(client, token)
    send_form(client, token, "<script>alert('hej')</script>", client_id)
    page = client.get(f"/t/{token}")
    assert "<script>alert(" not in page.text
    assert "&lt;script&gt;alert(" in page.text
    assert notes(session)[0].text == "<script>alert('hej')</script>"  # stored as written


# Sending notes: the JSON API


def test_a_note_sent_as_json_is_created_then_recognised_when_sent_again(client, session, cafe, token):
    client_id = join(client, token)
    first = send_json(client, token, "Fler bänkar vid sjön", client_id)
    assert first.status_code == 201
    assert first.json() | {"id": 0, "created_at": ""} == {
        "id": 0, "client_id": client_id, "text": "Fler bänkar vid sjön", "table": 1, "round": 1, "source": "phone",
        "created_at": "", "hidden": False, "saved": True,
    }
    again = send_json(client, token, "Fler bänkar vid sjön", client_id)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert count(session, Note) == 1


def test_a_stored_note_carries_its_cafe_table_round_device_and_time_but_no_address(client, session, cafe, token):
    client_id = join(client, token)
    send_json(client, token, "Bygg en lekplats", client_id)
    [note] = notes(session)
    [participant] = participant_of(session, cafe.cafe_id)
    round_one = session.exec(select(Round).where(Round.cafe_id == cafe.cafe_id, Round.number == 1)).one()
    assert (note.cafe_id, note.table_id, note.round_id) == (cafe.cafe_id, cafe.tables[0].id, round_one.id)
    assert (note.participant_id, note.device_pseudonym) == (participant.id, participant.pseudonym)
    assert note.source == "phone"
    assert note.client_id == client_id
    assert note.created_at is not None
    assert participant.pseudonym != participant.device_key


@pytest.mark.parametrize("model", [Note, Participant])
def test_no_table_about_phones_has_a_column_for_an_ip_address(model):
    words = {word for column in model.__table__.columns for word in column.name.lower().split("_")}
    assert not words & {"ip", "ipv4", "ipv6", "addr", "address", "remote", "useragent", "agent"}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": "", "client_id": "abcd1234"}, None),
        ({"text": " \n\t ", "client_id": "abcd1234"}, None),
        ({"text": "x" * (MAX_NOTE_LENGTH + 1), "client_id": "abcd1234"}, None),
        ({"text": 42, "client_id": "abcd1234"}, "text"),
        ({"text": ["lista"], "client_id": "abcd1234"}, "text"),
        ({"text": "Utan id"}, "client_id"),
        ({"text": "Kort id", "client_id": "abc"}, None),
        ({"client_id": "abcd1234"}, "text"),
    ],
)
def test_an_invalid_json_note_is_refused_and_nothing_is_stored(client, session, token, body, field):
    join(client, token)
    response = client.post(f"/api/v1/tables/{token}/notes", json=body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["message"]
    if field:
        assert answer["error"] == "invalid_fields"
        assert field in answer["fields"]
    assert count(session, Note) == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"content": "Bussen", "headers": {"content-type": "text/plain"}},
        {"data": {"text": "Bussen", "client_id": "abcd1234"}},
        {"content": b'{"text": "Bussen", "client_id": "abcd1234"}'},
    ],
)
def test_a_note_that_is_not_json_is_refused_as_the_wrong_content_type(client, session, token, kwargs):
    join(client, token)
    response = client.post(f"/api/v1/tables/{token}/notes", **kwargs)
    assert response.status_code == 415
    assert response.json()["error"] == "bad_content_type"
    assert count(session, Note) == 0


def test_a_phone_cannot_post_to_a_table_it_did_not_join(client, session, cafe, token):
    client_id = join(client, token)
    response = send_json(client, cafe.tables[1].join_token, "Fel bord", client_id)
    assert response.status_code == 403
    assert response.json()["error"] == "not_at_table"
    form = send_form(client, cafe.tables[1].join_token, "Fel bord", client_id)
    assert form.status_code == 403
    assert count(session, Note) == 0


def test_a_phone_cannot_post_to_another_cafe(client, session, leader, token):
    other = make_cafe(session, leader, phase="round")
    client_id = join(client, token)
    assert send_json(client, other.tables[0].join_token, "Fel kafé", client_id).status_code == 403
    assert count(session, Note) == 0


def test_a_phone_that_never_joined_cannot_post(client, session, token):
    assert send_json(client, token, "Utan plats", new_client_id()).status_code == 403
    assert send_form(client, token, "Utan plats", new_client_id()).status_code == 403
    assert count(session, Note) == 0


def test_a_note_to_an_unknown_table_is_not_found(client, session, token):
    join(client, token)
    assert send_json(client, "okand-token", "Vart?", new_client_id()).status_code == 404
    assert send_form(client, "okand-token", "Vart?", new_client_id()).status_code == 404


def test_a_note_between_rounds_is_refused_with_the_message_and_not_stored(client, session, cafe, token):
    client_id = join(client, token)
    run(session, cafe.cafe_id, "end_round")
    response = send_json(client, token, "För sent", client_id)
    assert response.status_code == 409
    assert response.json() == {"error": "no_round_running", "message": message("no_round_running")}
    form = send_form(client, token, "För sent", client_id)
    assert form.status_code == 409
    assert shows(form, message("no_round_running"))
    assert "För sent" in form.text  # kept in the text box
    assert count(session, Note) == 0


def test_a_note_after_the_cafe_closed_is_refused(client, session, cafe, token):
    client_id = join(client, token)
    run(session, cafe.cafe_id, "close")
    response = send_json(client, token, "Efteråt", client_id)
    assert response.status_code == 409
    assert response.json()["error"] == "cafe_closed"
    assert count(session, Note) == 0


def test_a_resent_note_is_recognised_even_after_the_round_ended(client, session, cafe, token):
    client_id = join(client, token)
    send_json(client, token, "Skickad en gång", client_id)
    run(session, cafe.cafe_id, "end_round")
    assert send_json(client, token, "Skickad en gång", client_id).status_code == 200
    assert count(session, Note) == 1


def test_a_phone_sending_faster_than_its_burst_is_slowed_down_and_others_are_not(client, app, session, settings, token):
    join(client, token)
    burst = settings.note_burst
    answers = [send_json(client, token, f"Lapp {n}", new_client_id()).status_code for n in range(burst + 1)]
    assert answers == [201] * burst + [429]
    other = TestClient(app)
    assert send_json(other, token, "Min första", join(other, token)).status_code == 201
    assert count(session, Note) == burst + 1


def test_a_rate_limited_phone_is_told_to_wait_in_its_language(client, settings, token):
    join(client, token)
    for n in range(settings.note_burst):
        send_json(client, token, f"Lapp {n}", new_client_id())
    response = send_json(client, token, "En till", new_client_id(), headers={"accept-language": "en"})
    assert response.status_code == 429
    assert response.json() == {"error": "rate_limited", "message": message("rate_limited", "en")}


# Languages


def swedish_differs(code: str) -> bool:
    return translations("sv").gettext(MESSAGES[code]) != translations("en").gettext(MESSAGES[code])


@pytest.mark.parametrize("english", [{"headers": {"accept-language": "en-GB,en;q=0.9"}}, {"params": {"lang": "en"}}])
def test_refusals_are_given_in_english_when_asked(client, session, cafe, token, english):
    client_id = join(client, token)
    run(session, cafe.cafe_id, "end_round")
    swedish = send_json(client, token, "För sent", client_id).json()
    response = client.post(f"/api/v1/tables/{token}/notes", json={"text": "För sent", "client_id": client_id},
                           **english)
    assert response.status_code == 409
    assert response.json()["error"] == swedish["error"] == "no_round_running"
    assert response.json()["message"] == message("no_round_running", "en")
    if swedish_differs("no_round_running"):
        assert response.json()["message"] != swedish["message"]


def test_a_page_asked_for_in_english_says_so(client, token):
    page = client.get(f"/t/{token}?lang=en")
    assert '<html lang="en">' in page.text
    assert '<html lang="en">' in client.get(f"/t/{token}").text  # remembered by a cookie


# The table's state as JSON


def test_the_api_gives_the_question_and_the_time_left(client, session, cafe, token):
    join(client, token)
    state = client.get(f"/api/v1/tables/{token}").json()
    assert (state["phase"], state["round"], state["round_count"], state["table"]) == ("round", 1, 2, 1)
    assert state["question"] == "Vad är bra här?"
    assert 19 * 60 <= state["seconds_left"] <= 20 * 60


def test_the_api_shows_no_question_between_rounds(client, session, cafe, token):
    join(client, token)
    run(session, cafe.cafe_id, "end_round")
    state = client.get(f"/api/v1/tables/{token}").json()
    assert (state["phase"], state["question"], state["seconds_left"]) == ("open", None, None)


def test_the_api_lists_only_this_phones_notes(client, app, session, token):
    send_json(client, token, "Min lapp", join(client, token))
    other = TestClient(app)
    send_json(other, token, "Någon annans lapp", join(other, token))
    assert [n["text"] for n in client.get(f"/api/v1/tables/{token}").json()["notes"]] == ["Min lapp"]


def test_a_phone_joins_through_the_api(client, session, cafe):
    response = client.post(f"/api/v1/tables/{cafe.tables[2].join_token}/join")
    assert response.status_code == 200
    assert response.json()["table"] == 3
    assert participant_of(session, cafe.cafe_id)[0].table_id == cafe.tables[2].id


def test_the_api_state_of_a_table_the_phone_is_not_at_is_refused(client, cafe, token):
    join(client, token)
    assert client.get(f"/api/v1/tables/{cafe.tables[1].join_token}").status_code == 403


def test_the_openapi_description_lists_the_api_paths(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/tables/{token}", "/api/v1/tables/{token}/notes", "/api/v1/tables/{token}/join",
                 "/api/v1/host/{token}/notes", "/api/v1/cafes/{cafe_id}/actions", "/api/v1/cafes/{cafe_id}/notes",
                 "/api/v1/notes/{note_id}/visibility"):
        assert path in paths
