"""A note's privacy over HTTP: its id answers only its sender, names are masked on the leader's
word, late paper cards have a limit, bundles are masked unless asked."""

import argparse
import json
import os
import stat
from datetime import timedelta

import pytest
from sqlmodel import select

from app import cli_bundle
from app.bundle import export_bundle
from app.models import Cafe, LiveEvent, ModerationEvent, Round
from app.services import cafes as cafe_service
from facilitation.notes import PAPER_CARDS_AFTER_CLOSING, new_client_id
from tests.app.helpers import card_form, fast_passwords, join, message, notes, phone, send_json, shows  # noqa: F401
from tests.builders import log_in, make_cafe, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")
SECRET = "Min granne har nyckeln, ring 070-123 45 67"


@pytest.fixture
def cafe(session):
    return make_cafe(session, make_leader(session), phase="round")


@pytest.fixture
def token(cafe):
    return cafe.tables[0].join_token


def test_a_second_phone_sending_another_phones_note_id_gets_a_conflict_without_the_text(app, session, token):
    first, second = phone(app), phone(app)
    client_id = join(first, token)
    join(second, token)
    assert send_json(first, token, SECRET, client_id).status_code == 201
    answer = send_json(second, token, "Något annat", client_id)
    assert answer.status_code == 409
    assert answer.json() == {"error": "client_id_taken", "message": message("client_id_taken")}
    assert "070" not in answer.text and "granne" not in answer.text
    assert [n.text for n in notes(session)] == [SECRET]
    assert send_json(first, token, SECRET, client_id).status_code == 200  # its own resend is still a repeat


def test_a_phone_without_javascript_gets_the_conflict_and_a_new_id_for_its_text(app, session, token):
    first, second = phone(app), phone(app)
    client_id = join(first, token)
    join(second, token)
    send_json(first, token, SECRET, client_id)
    page = second.post(f"/t/{token}/notes", data={"text": "Mitt inspel", "client_id": client_id})
    assert page.status_code == 409
    assert shows(page, message("client_id_taken")) and "granne" not in page.text
    assert "Mitt inspel" in page.text and f'value="{client_id}"' not in page.text


def test_a_host_cannot_take_a_phones_note_by_its_id_nor_another_tables_host(client, app, session, cafe, token):
    device = phone(app)
    client_id = join(device, token)
    send_json(device, token, SECRET, client_id)
    for table in cafe.tables:  # the phone's own table's host sees the note (masked) in the list, no more
        page = client.post(f"/h/{table.host_token}/notes", data={"text": "Kort", "client_id": client_id})
        assert page.status_code == 409 and shows(page, message("client_id_taken")) and "070-123" not in page.text
        answer = client.post(f"/api/v1/host/{table.host_token}/notes", json={"text": "Kort", "client_id": client_id})
        assert answer.status_code == 409 and "granne" not in answer.text
    assert "granne" not in client.get(f"/h/{cafe.tables[1].host_token}").text
    host_id = new_client_id()
    client.post(f"/h/{cafe.tables[0].host_token}/notes", data={"text": "Värdens", "client_id": host_id})
    other_host = client.post(f"/h/{cafe.tables[1].host_token}/notes", data={"text": "Annat", "client_id": host_id})
    assert other_host.status_code == 409
    assert sorted(n.text for n in notes(session)) == [SECRET, "Värdens"]


def test_what_a_phone_is_answered_and_shown_is_the_masked_text(app, session, token):
    device = phone(app)
    client_id = join(device, token)
    answer = send_json(device, token, SECRET, client_id)
    assert answer.json()["text"] == "Min granne har nyckeln, ring [telefonnummer borttaget]"
    assert "070-123" not in device.get(f"/t/{token}").text
    assert notes(session)[0].text == SECRET  # kept as written for the leader's moderation view


def test_the_leader_masks_a_flagged_name_with_one_click_and_it_is_logged(client, app, session, cafe, token):
    device = phone(app)
    send_json(device, token, "Gunnar på nummer 3 kör för fort", join(device, token))
    csrf = log_in(client)
    page = client.get(f"/leader/cafes/{cafe.cafe_id}").text
    assert "Gunnar" in page and "/mask-name" in page
    note = notes(session)[0]
    response = client.post(f"/leader/notes/{note.id}/mask-name", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    note = notes(session)[0]
    assert (note.text, note.public_text) == ("Gunnar på nummer 3 kör för fort", "[namn borttaget] på nummer 3 kör för fort")
    assert [e.action for e in session.exec(select(ModerationEvent))] == ["mask_name"]
    event = session.exec(select(LiveEvent).where(LiveEvent.kind == "note_masked")).one()
    assert "Gunnar" not in event.data
    assert "Gunnar" not in client.get(f"/leader/cafes/{cafe.cafe_id}/wall").text
    assert "/mask-name" not in client.get(f"/leader/cafes/{cafe.cafe_id}").text  # nothing left to flag


def test_the_leader_keeps_a_flagged_word_that_names_no_person_and_can_still_mask_it(client, app, session, cafe, token):
    device = phone(app)
    send_json(device, token, "Anna kapell behöver ny ramp", join(device, token))
    csrf = log_in(client)
    assert "/keep-names" in client.get(f"/leader/cafes/{cafe.cafe_id}").text
    note = notes(session)[0]
    for _ in range(2):  # a second click changes nothing
        response = client.post(f"/leader/notes/{note.id}/keep-names", data={"csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 303
    assert notes(session)[0].public_text == "Anna kapell behöver ny ramp"
    assert [e.action for e in session.exec(select(ModerationEvent))] == ["keep_names"]
    page = client.get(f"/leader/cafes/{cafe.cafe_id}").text
    assert "/keep-names" not in page and "Behålls som det står skrivet: Anna" in page
    client.post(f"/leader/notes/{note.id}/mask-name", data={"csrf_token": csrf})  # a wrong tap is mended
    assert notes(session)[0].public_text == "[namn borttaget] kapell behöver ny ramp"


def test_screens_that_reconnect_are_not_sent_a_masked_name_or_a_hidden_note_again(client, app, session, cafe, token):
    device = phone(app)
    client_id = join(device, token)
    send_json(device, token, "Gunnar på nummer 3 kör för fort", client_id)
    send_json(device, token, "Grannens hund skäller hela natten", new_client_id())
    csrf = log_in(client)
    named, barking = sorted(notes(session), key=lambda n: "hund" in n.text)
    client.post(f"/leader/notes/{named.id}/mask-name", data={"csrf_token": csrf})
    client.post(f"/leader/notes/{barking.id}/visibility", data={"hidden": "true", "csrf_token": csrf})
    sent = [e.data for e in session.exec(select(LiveEvent).where(LiveEvent.cafe_id == cafe.cafe_id))]
    assert any("[namn borttaget] p" in data and "nummer 3" in data for data in sent)  # what replays show now
    assert not any("Gunnar" in data or "hund" in data for data in sent), sent


@pytest.mark.parametrize("action", ["mask-name", "keep-names"])
def test_masking_or_keeping_a_name_needs_the_leaders_form_token_and_own_note(client, app, session, cafe, token, action):
    device = phone(app)
    send_json(device, token, "Fråga Anna Lind om bryggan", join(device, token))
    log_in(client)
    note = notes(session)[0]
    assert client.post(f"/leader/notes/{note.id}/{action}", data={"csrf_token": "wrong"}).status_code == 403
    assert client.post(f"/leader/notes/999999/{action}", data={"csrf_token": "wrong"}).status_code in (403, 404)
    assert notes(session)[0].public_text == "Fråga Anna Lind om bryggan"
    assert list(session.exec(select(ModerationEvent))) == []


def close_cafe_ended(session, cafe_id, ago: timedelta) -> None:
    cafe_service.run_action(session, cafe=session.get(Cafe, cafe_id), action="close")
    for round_ in session.exec(select(Round).where(Round.cafe_id == cafe_id, Round.ended_at.is_not(None))):
        round_.ended_at -= ago
        session.add(round_)
    session.commit()


def test_paper_cards_are_taken_for_three_days_after_the_cafe_closed(client, session, cafe):
    close_cafe_ended(session, cafe.cafe_id, PAPER_CARDS_AFTER_CLOSING - timedelta(hours=1))
    rows = [("Skrivet på duken nästa morgon", 1, new_client_id())]
    assert client.post(f"/h/{cafe.tables[0].host_token}/cards", data=card_form(rows),
                       follow_redirects=False).status_code == 303
    assert [n.text for n in notes(session)] == ["Skrivet på duken nästa morgon"]


def test_paper_cards_are_refused_with_a_message_later_than_that(client, session, cafe):
    close_cafe_ended(session, cafe.cafe_id, PAPER_CARDS_AFTER_CLOSING + timedelta(hours=1))
    rows = [("För sent", 1, new_client_id())]
    page = client.post(f"/h/{cafe.tables[0].host_token}/cards", data=card_form(rows))
    assert page.status_code == 422 and shows(page, message("paper_cards_too_late"))
    answer = client.post(f"/api/v1/host/{cafe.tables[0].host_token}/notes",
                         json={"text": "För sent", "client_id": new_client_id(), "round": 1})
    assert answer.status_code == 422 and answer.json()["error"] == "paper_cards_too_late"
    assert notes(session) == []


def test_a_bundle_is_masked_unless_raw_is_asked_and_a_raw_file_is_for_its_owner_only(app, session, cafe, token,
                                                                                      tmp_path, monkeypatch):
    device = phone(app)
    send_json(device, token, SECRET, join(device, token))
    assert "070-123" not in json.dumps(export_bundle(session, cafe.cafe_id), ensure_ascii=False)
    assert "070-123" in json.dumps(export_bundle(session, cafe.cafe_id, raw=True), ensure_ascii=False)
    monkeypatch.setenv("DATABASE_URL", str(app.state.engine.url))
    out = tmp_path / "raw.json"
    args = argparse.Namespace(bundle_command="export", cafe=cafe.cafe_id, out=str(out), raw=True)
    assert cli_bundle.run(args) == 0
    assert "070-123" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_the_goodbye_page_of_a_closed_cafe_lists_the_phones_notes_masked_like_everywhere_else(
        app, session, cafe, token):
    """It listed the text as typed, so a phone number stood on a screen that anyone picking up the
    phone (or a shared one) could read, while the open café's page showed it masked."""
    device = phone(app)
    send_json(device, token, SECRET, join(device, token))
    cafe_service.run_action(session, cafe=session.get(Cafe, cafe.cafe_id), action="close")

    page = device.get(f"/t/{token}")
    assert shows(page, "Min granne har nyckeln")
    assert "070" not in page.text and "45 67" not in page.text
