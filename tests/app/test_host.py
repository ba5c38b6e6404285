"""The table host: every note at the table, notes typed for others, paper cards typed in."""

import re

import pytest
from fastapi.testclient import TestClient

from app.i18n import translations
from app.models import Cafe, Note, Round
from app.services import cafes as cafe_service
from facilitation.notes import MAX_NOTE_LENGTH, new_client_id
from tests.app.helpers import (  # noqa: F401  (fast_passwords is a fixture)
    card_form,
    count,
    fast_passwords,
    join,
    message,
    notes,
    send_json,
    shows,
)
from tests.builders import client_id_from, make_cafe, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def cafe(session):
    return make_cafe(session, make_leader(session), rounds=("Vad är bra här?", "Vad behövs?", "Vem gör vad?"),
                     phase="round")


@pytest.fixture
def table(cafe):
    return cafe.tables[0]


def run(session, cafe_id, action):
    cafe_service.run_action(session, cafe=session.get(Cafe, cafe_id), action=action)


def round_number(session, note: Note) -> int:
    return session.get(Round, note.round_id).number


def host_note(client, host_token, text, client_id=None):
    client_id = client_id or new_client_id()
    return client.post(f"/h/{host_token}/notes", data={"text": text, "client_id": client_id}, follow_redirects=False)


def test_the_host_sees_every_note_at_the_table_from_every_round_and_none_from_other_tables(app, client, session,
                                                                                            cafe, table):
    phone = TestClient(app)
    send_json(phone, table.join_token, "Runda ett vid bord ett", join(phone, table.join_token))
    run(session, cafe.cafe_id, "end_round")
    run(session, cafe.cafe_id, "start_round")
    send_json(phone, table.join_token, "Runda två vid bord ett", join(phone, table.join_token))
    elsewhere = cafe.tables[1].join_token
    send_json(phone, elsewhere, "Bord två", join(phone, elsewhere))

    page = client.get(f"/h/{table.host_token}")
    assert page.status_code == 200
    assert "Runda ett vid bord ett" in page.text
    assert "Runda två vid bord ett" in page.text
    assert "Bord två" not in page.text
    assert page.text.index("Vad är bra här?") < page.text.index("Runda ett vid bord ett")  # under its question


def test_a_note_typed_by_the_host_is_a_host_note_without_a_device(client, session, cafe, table):
    response = host_note(client, table.host_token, "Från Greta, som inte har mobil")
    assert response.status_code == 303
    [note] = notes(session)
    assert (note.source, note.participant_id, note.device_pseudonym) == ("host", None, None)
    assert (note.table_id, round_number(session, note)) == (table.id, 1)
    assert "Från Greta, som inte har mobil" in client.get(response.headers["location"]).text


def test_a_host_note_sent_twice_is_stored_once(client, session, table):
    client_id = client_id_from(client.get(f"/h/{table.host_token}").text)
    host_note(client, table.host_token, "Två gånger", client_id)
    host_note(client, table.host_token, "Två gånger", client_id)
    assert count(session, Note) == 1


def test_a_host_note_between_rounds_is_refused_with_the_message(client, session, cafe, table):
    run(session, cafe.cafe_id, "end_round")
    response = host_note(client, table.host_token, "Mellan rundorna")
    assert response.status_code == 422
    assert shows(response, message("no_round_running"))
    assert count(session, Note) == 0


def test_a_refused_host_note_comes_back_in_its_box_marked_and_tied_to_the_message(client, session, cafe, table):
    """A screen reader on the box hears why (the phone's box already did so)."""
    response = host_note(client, table.host_token, "x" * 1001)
    assert response.status_code == 422
    assert shows(response, message("too_long"))
    box = re.search(r'<textarea id="text"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in box and 'aria-describedby="form-error"' in box
    assert 'id="form-error"' in response.text
    assert count(session, Note) == 0


def test_paper_cards_are_saved_each_with_its_round_and_empty_rows_skipped(client, session, cafe, table):
    run(session, cafe.cafe_id, "end_round")
    run(session, cafe.cafe_id, "start_round")
    rows = [("Kort från runda ett", 1, new_client_id()), ("", 1, new_client_id()),
            ("Kort från runda två", 2, new_client_id()), ("   ", 2, new_client_id())]
    response = client.post(f"/h/{table.host_token}/cards", data=card_form(rows), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/h/{table.host_token}?saved=2#saved"
    saved = notes(session)
    assert [(n.text, round_number(session, n), n.source, n.table_id) for n in saved] == [
        ("Kort från runda ett", 1, "host", table.id), ("Kort från runda två", 2, "host", table.id),
    ]


def test_paper_cards_can_be_typed_in_after_the_cafe_closed(client, session, cafe, table):
    run(session, cafe.cafe_id, "close")
    rows = [("Skrivet på duken", 1, new_client_id())]
    assert client.post(f"/h/{table.host_token}/cards", data=card_form(rows), follow_redirects=False).status_code == 303
    assert [n.text for n in notes(session)] == ["Skrivet på duken"]


def test_posting_the_same_cards_again_saves_nothing_twice(client, session, table):
    rows = [("Första kortet", 1, new_client_id()), ("Andra kortet", 1, new_client_id())]
    client.post(f"/h/{table.host_token}/cards", data=card_form(rows))
    client.post(f"/h/{table.host_token}/cards", data=card_form(rows))
    assert sorted(n.text for n in notes(session)) == ["Andra kortet", "Första kortet"]


@pytest.mark.parametrize(
    "bad_row, code",
    [
        (("Till en runda som inte börjat", 3), "round_not_started"),
        (("Till en runda som inte finns", 9), "round_not_started"),
        (("Utan runda", ""), "round_not_started"),
        (("x" * (MAX_NOTE_LENGTH + 1), 1), "too_long"),
    ],
)
def test_a_bad_card_is_reported_and_the_rest_are_saved(client, session, table, bad_row, code):
    rows = [("Bra kort", 1, new_client_id()), (*bad_row, new_client_id()), ("Också bra", 1, new_client_id())]
    response = client.post(f"/h/{table.host_token}/cards", data=card_form(rows))
    assert response.status_code == 422
    assert shows(response, message(code))
    assert bad_row[0] in response.text  # kept in the form, to correct and send again
    assert sorted(n.text for n in notes(session)) == ["Bra kort", "Också bra"]


def test_cards_cannot_be_typed_in_before_the_cafe_opens(client, session):
    draft = make_cafe(session, make_leader(session, email="annan@storsjo.se"), phase="draft")
    rows = [("För tidigt", 1, new_client_id())]
    response = client.post(f"/h/{draft.tables[0].host_token}/cards", data=card_form(rows))
    assert response.status_code == 422
    assert count(session, Note) == 0


def test_an_unknown_host_token_is_not_found(client):
    assert client.get("/h/okand-vardlank").status_code == 404
    assert host_note(client, "okand-vardlank", "Hej").status_code == 404


def test_a_join_token_does_not_open_the_host_page(client, session, table):
    assert client.get(f"/h/{table.join_token}").status_code == 404
    assert host_note(client, table.join_token, "Smög in").status_code == 404
    rows = [("Smög in", 1, new_client_id())]
    assert client.post(f"/h/{table.join_token}/cards", data=card_form(rows)).status_code == 404
    assert client.get(f"/api/v1/host/{table.join_token}/notes").status_code == 404
    assert count(session, Note) == 0


def test_the_host_api_lists_the_tables_notes_and_takes_a_card_for_a_round(client, session, cafe, table):
    run(session, cafe.cafe_id, "end_round")
    response = client.post(f"/api/v1/host/{table.host_token}/notes",
                           json={"text": "Från pappret", "client_id": new_client_id(), "round": 1})
    assert response.status_code == 201
    assert (response.json()["source"], response.json()["round"]) == ("host", 1)
    listed = client.get(f"/api/v1/host/{table.host_token}/notes").json()
    assert [n["text"] for n in listed] == ["Från pappret"]


def test_a_text_far_too_long_for_the_host_api_is_refused_as_a_note_too_long_and_stores_nothing(client, table):
    address = f"/api/v1/host/{table.host_token}/notes"
    for length in (MAX_NOTE_LENGTH + 1, 20_000):  # the note's own limit, and more than any note field takes
        response = client.post(address, json={"text": "x" * length, "client_id": new_client_id()})
        assert response.status_code == 422
        assert response.json()["error"] == "too_long", response.json()
    assert client.get(f"/api/v1/host/{table.host_token}/notes").json() == []


def test_the_saved_count_in_the_host_address_is_shown_and_a_malformed_one_gets_a_message(client, table):
    notice = translations("sv").ngettext("%(num)s note saved.", "%(num)s notes saved.", 3) % {"num": 3}
    assert shows(client.get(f"/h/{table.host_token}?saved=3"), notice)
    response = client.get(f"/h/{table.host_token}?saved=abc")
    assert response.status_code == 422
    assert shows(response, message("invalid_fields") % {"fields": "antal sparade inspel"})
