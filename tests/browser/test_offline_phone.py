"""A phone on weak signal: notes written offline wait on the phone, are sent when the signal is
back (also after the page was closed), show as saved only once the server said so, and are
stored once however often they are sent."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.i18n import translations
from app.models import Note

pytestmark = pytest.mark.browser
SAVED = translations("sv").gettext("Saved")  # the browsers here ask for Swedish
NOTES = ["Bredband till hela byn", "Affären behöver öppet på lördagar"]




def send_note(phone: Page, text: str) -> None:
    phone.fill("#text", text)
    phone.click("#note-form button[type=submit]")


def stored_texts(site, cafe_id: int) -> list[str]:
    with site.session() as session:
        return sorted(session.exec(select(Note.text).where(Note.cafe_id == cafe_id)))


def queued(phone: Page) -> list[dict]:
    """The phone's queue of notes not yet saved (kept per café)."""
    queue = "localStorage.getItem('bykafe-queue-' + document.getElementById('phone').dataset.cafe) || '[]'"
    return json.loads(phone.evaluate(queue))


def write_offline(phone: Page, token: str) -> None:
    """Two notes written with no signal: listed as not sent yet, kept in the phone's storage."""
    phone.context.set_offline(True)
    for text in NOTES:
        send_note(phone, text)
    waiting = phone.locator("#i18n").get_attribute("data-waiting")
    expect(phone.locator("#my-notes-list li .pending")).to_have_text([waiting, waiting])
    expect(phone.locator("#my-notes-list li .saved")).to_have_count(0)
    assert [n["text"] for n in queued(phone)] == NOTES


def test_notes_written_offline_are_sent_once_when_the_signal_returns(site, phone):
    cafe = site.cafe(phase="round")
    token = cafe.tables[0].join_token
    phone.goto(f"/t/{token}")
    write_offline(phone, token)
    assert stored_texts(site, cafe.cafe_id) == []

    phone.context.set_offline(False)

    saved = phone.locator("#my-notes-list li .saved")
    expect(saved).to_have_count(2)
    expect(saved.first).to_contain_text(SAVED)
    expect(phone.locator("#my-notes-list .note-text")).to_have_text(NOTES)
    assert stored_texts(site, cafe.cafe_id) == sorted(NOTES)
    assert queued(phone) == []


def test_notes_kept_on_the_phone_are_sent_when_the_page_is_opened_again(site, new_page):
    cafe = site.cafe(phase="round")
    token = cafe.tables[0].join_token
    phone = new_page("phone")
    phone.goto(f"/t/{token}")
    write_offline(phone, token)
    context = phone.context
    phone.close()  # the battery saver closed the tab, or the person did

    context.set_offline(False)
    phone = context.new_page()
    phone.goto(f"/t/{token}")

    expect(phone.locator("#my-notes-list li .saved")).to_have_count(2)
    expect(phone.locator("#my-notes-list .note-text")).to_have_text(NOTES)
    assert stored_texts(site, cafe.cafe_id) == sorted(NOTES)
    phone.reload()  # and the page the server renders lists each once
    expect(phone.locator("#my-notes-list li .saved")).to_have_count(2)
    assert queued(phone) == []


def test_a_note_whose_answer_was_lost_shows_as_not_sent_is_sent_again_and_stored_once(site, phone):
    cafe = site.cafe(phase="round")
    token = cafe.tables[0].join_token
    answers = []

    def lose_the_first_answer(route):
        response = route.fetch()  # the server stores the note...
        answers.append(response.status)
        if len(answers) == 1:
            route.abort("connectionreset")  # ...but the phone never hears so
        else:
            route.fulfill(response=response)

    phone.route("**/api/v1/tables/*/notes", lose_the_first_answer)
    phone.goto(f"/t/{token}")
    send_note(phone, NOTES[0])

    waiting = phone.locator("#i18n").get_attribute("data-waiting")
    expect(phone.locator("#my-notes-list li .pending")).to_have_text(waiting)
    assert stored_texts(site, cafe.cafe_id) == [NOTES[0]]

    expect(phone.locator("#my-notes-list li .saved")).to_contain_text(SAVED)  # the retry, with backoff
    assert answers == [201, 200], "the retry carries the same id and is answered as already saved"
    assert stored_texts(site, cafe.cafe_id) == [NOTES[0]]
    expect(phone.locator("#my-notes-list li")).to_have_count(1)
