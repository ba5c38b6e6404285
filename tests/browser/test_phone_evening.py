"""An evening as a phone lives it: nothing typed is lost across rounds, tables and the close; the
first screen has the question and the box; the leader closes with a confirmation and can reopen;
the wall speaks the process's language and counts phones live; one clock everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.i18n import translations
from app.models import Cafe, CafeTable, Note, Round

pytestmark = pytest.mark.browser
SV = translations("sv").gettext
SHOTS = Path("/tmp/phone-shots")
LONG_QUESTION = "Vad behöver byn för att unga familjer ska vilja flytta hit och stanna kvar de kommande tio åren?"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def stored(site, cafe_id: int) -> list[tuple[str, int, int]]:
    """(text, table number, round number) of every note stored in the café."""
    with site.session() as session:
        cafe = session.get(Cafe, cafe_id)
        rounds = {r.id: r.number for r in session.exec(select(Round).where(Round.cafe_id == cafe.id))}
        tables = {t.id: t.number for t in session.exec(select(CafeTable).where(CafeTable.cafe_id == cafe.id))}
        notes = session.exec(select(Note).where(Note.cafe_id == cafe_id).order_by(Note.id))
        return [(n.text, tables[n.table_id], rounds[n.round_id]) for n in notes]


def queue(phone: Page, cafe_id: int) -> list[dict]:
    return json.loads(phone.evaluate(f"localStorage.getItem('bykafe-queue-{cafe_id}') || '[]'"))


def send(phone: Page, text: str) -> None:
    phone.fill("#text", text)
    phone.click("#note-form button[type=submit]")


# 6. The first screen


def test_the_first_screen_of_a_small_phone_shows_table_question_time_and_the_note_box(site, phone):
    cafe = site.cafe(phase="round", rounds=(LONG_QUESTION, "Vad behövs?"))
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    shot(phone, "phone-first-visit")

    box = phone.locator("#text").bounding_box()
    assert box["y"] + box["height"] <= 740, f"the note box ends at {box['y'] + box['height']} px"
    send_button = phone.locator("#note-form button[type=submit]").bounding_box()
    assert send_button["y"] + send_button["height"] <= 740
    for heading in (phone.locator("h1"), phone.locator(".question"), phone.locator("[data-countdown]")):
        expect(heading).to_be_in_viewport()
        assert heading.bounding_box()["y"] < box["y"]
    records = phone.locator("#records")
    expect(records).to_have_text(SV("What you write becomes a public record that anyone may ask to read: "
                                    "do not write names or anything else that points to a person."))
    assert records.bounding_box()["y"] < box["y"]
    purpose = phone.locator("details.purpose")
    expect(purpose).not_to_have_attribute("open", re.compile(".*"))
    expect(purpose.locator("summary")).to_have_text("Vad händer med dina inspel?")
    assert purpose.bounding_box()["y"] > box["y"]


# 1. Nothing typed or refused is lost


def test_a_note_refused_between_rounds_is_sent_by_itself_when_the_round_starts(site, phone):
    cafe = site.cafe(phase="open")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    send(phone, "Bredband till hela byn")
    held = phone.locator("#my-notes-list li .pending")
    held_text = SV("Not sent yet: no round is running. It is sent by itself when the next round starts.")
    expect(held).to_have_text(held_text)
    expect(phone.locator("#note-form .js-status")).to_have_text(held_text)  # by the button, in the first screen
    phone.fill("#text", "Halvskrivet om affären")  # typed, not sent
    assert stored(site, cafe.cafe_id) == []
    shot(phone, "phone-held-between-rounds")

    phone.reload()  # a reload keeps both
    expect(phone.locator("#text")).to_have_value("Halvskrivet om affären")
    expect(held).to_have_count(1)

    site.act(cafe, "start_round")  # the page reloads itself on the new phase

    expect(phone.locator("#round-panel .question")).to_have_text("Vad är bra här?")
    expect(phone.locator("#my-notes-list li .saved")).to_contain_text(SV("Saved"))
    expect(phone.locator("#text")).to_have_value("Halvskrivet om affären")
    assert stored(site, cafe.cafe_id) == [("Bredband till hela byn", 1, 1)]
    assert queue(phone, cafe.cafe_id) == []


def test_without_javascript_a_refused_note_stays_in_the_box(site, new_page):
    cafe = site.cafe(phase="open")
    phone = new_page("phone", java_script_enabled=False)
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    send(phone, "Bredband till hela byn")
    expect(phone.locator("#text")).to_have_value("Bredband till hela byn")
    expect(phone.locator("#form-error")).to_contain_text(SV(
        "No round is running right now, so the note was not sent. "
        "The text stays in the box: send it when the next round starts."))


def test_text_written_at_one_table_is_offered_in_the_box_at_the_next(site, phone):
    cafe = site.cafe(tables=3, phase="round")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    site.act(cafe, "end_round")
    expect(phone.locator("#move h2")).to_be_visible()  # "Gå till bord N"
    send(phone, "Skolskjutsen måste gå tidigare")  # refused: no round is running
    expect(phone.locator("#my-notes-list li .pending")).to_have_count(1)
    phone.fill("#text", "Och en lekplats")

    phone.goto(f"/t/{cafe.tables[2].join_token}")  # scanned table 3's code

    expect(phone.locator("#text")).to_have_value("Och en lekplats\n\nSkolskjutsen måste gå tidigare")
    expect(phone.locator("#note-form .js-status")).to_have_text(SV(
        "The text you had not sent at your last table is in the box: send it here, or change it first."))
    expect(phone.locator("#my-notes-list li .pending")).to_have_count(0)
    assert queue(phone, cafe.cafe_id) == []
    phone.reload()  # as a new phase does: the box still says where its text came from
    expect(phone.locator("#note-form .js-status")).to_have_text(SV(
        "The text you had not sent at your last table is in the box: send it here, or change it first."))

    site.act(cafe, "start_round")
    expect(phone.locator("#round-panel .question")).to_have_text("Vad behövs?")
    expect(phone.locator("#text")).to_have_value("Och en lekplats\n\nSkolskjutsen måste gå tidigare")
    phone.click("#note-form button[type=submit]")
    expect(phone.locator("#my-notes-list li .saved")).to_have_count(1)
    assert stored(site, cafe.cafe_id) == [("Och en lekplats\n\nSkolskjutsen måste gå tidigare", 3, 2)]
    phone.reload()  # sent: nothing left to explain
    expect(phone.locator("#note-form .js-status")).to_have_text("")


def test_a_closed_cafe_says_goodbye_and_keeps_the_text_that_was_not_sent(site, new_page):
    cafe = site.cafe(phase="round")
    phone = new_page("phone")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    send(phone, "Fler bussar på kvällen")
    expect(phone.locator("#my-notes-list li .saved")).to_have_count(1)
    phone.context.set_offline(True)
    send(phone, "Skickat utan signal")  # queued on the phone
    phone.fill("#text", "Halvskriven tanke om vägen")
    phone.route("**/api/v1/tables/*/notes", lambda route: route.abort("internetdisconnected"))  # still no luck
    phone.context.set_offline(False)

    site.act(cafe, "close")

    expect(phone.locator("h1")).to_have_text(SV("The café in %(village)s is closed") % {"village": "Hallen"})
    expect(phone.locator("#unsent h2")).to_have_text(SV("Your text was not sent"))
    expect(phone.locator("#unsent-text")).to_have_value("Skickat utan signal\n\nHalvskriven tanke om vägen")
    expect(phone.get_by_text(SV("Something went wrong"))).to_have_count(0)
    expect(phone.locator("#my-notes-list")).to_contain_text("Fler bussar på kvällen")
    shot(phone, "phone-goodbye")
    assert [t for t, _, _ in stored(site, cafe.cafe_id)] == ["Fler bussar på kvällen"]


# 2. Closing asks first; reopening for a set time; wall, phones and vote agree


def test_closing_asks_first_and_a_closed_cafe_can_open_again_for_the_vote(site, new_page):
    harvest = site.harvest()  # between rounds, the dot vote open
    cafe_id = harvest.cafe.cafe_id
    leader = new_page("leader")
    wall = new_page("leader")
    phone = new_page("phone")
    wall.goto(f"/leader/cafes/{cafe_id}/wall")
    vote_heading = SV("Vote on your phone: put your dots on the themes")
    expect(wall.get_by_text(vote_heading)).to_be_visible()

    leader.goto(f"/leader/cafes/{cafe_id}")
    expect(leader.locator("#run form button", has_text=SV("Close the café"))).to_have_count(0)
    leader.locator("#close").scroll_into_view_if_needed()
    shot(leader, "leader-cafe-close-section")
    leader.click("text=" + SV("Close the café…"))
    expect(leader.locator("h1")).to_have_text(SV("Close the café in %(village)s?") % {"village": "Hallen"})
    expect(leader.locator("main ul")).to_contain_text(SV("The harvest vote on the phones closes."))
    shot(leader, "leader-close-confirmation")
    leader.click("text=" + SV("No, keep it open"))
    expect(leader).to_have_url(re.compile(rf"/leader/cafes/{cafe_id}$"))
    with site.session() as session:
        assert session.get(Cafe, cafe_id).phase == "open"

    leader.click("text=" + SV("Close the café…"))
    leader.click("text=" + SV("Yes, close the café"))
    expect(leader.locator("#run .phase")).to_contain_text(SV("Closed"))

    # The wall stops inviting phones to vote, and a new phone gets a goodbye, not an error.
    expect(wall.get_by_text(vote_heading)).to_have_count(0)
    phone.goto(f"/t/{harvest.cafe.tables[1].join_token}")
    expect(phone.locator("h1")).to_have_text(SV("The café in %(village)s is closed") % {"village": "Hallen"})
    phone.goto(f"/t/{harvest.cafe.tables[1].join_token}/vote")  # and the vote agrees
    expect(phone.locator("h1")).to_have_text(SV("The café in %(village)s is closed") % {"village": "Hallen"})

    leader.select_option("#reopen-minutes", "15")
    leader.click("text=" + SV("Open again"))
    with site.session() as session:
        until = session.get(Cafe, cafe_id).reopened_until
    clock = until.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%H:%M")
    expect(leader.locator("#run")).to_contain_text(
        SV("Open again until %(time)s: phones can join and vote, but no round runs.") % {"time": clock})
    expect(wall.get_by_text(vote_heading)).to_be_visible()
    expect(wall.locator("#wall")).to_contain_text(
        SV("Open again until %(time)s for the vote on your phone.") % {"time": clock})
    shot(leader, "leader-reopened")
    shot(wall, "wall-reopened")

    phone.goto(f"/t/{harvest.cafe.tables[1].join_token}")
    phone.click("text=" + SV("The harvest vote is open: vote on the themes"))
    phone.locator("form.inline button", has_text="+").first.click()
    expect(phone.locator(".lead")).to_contain_text("2")  # 3 dots, one placed


# 3. One clock


def test_a_saved_note_and_its_export_show_the_same_swedish_clock_time(site, phone, leader):
    cafe = site.cafe(phase="round")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    send(phone, "Laddstolpe vid affären")
    expect(phone.locator("#my-notes-list li .saved")).to_have_count(1)
    with site.session() as session:
        note = session.exec(select(Note).where(Note.cafe_id == cafe.cafe_id)).one()
    swedish = note.created_at.astimezone(ZoneInfo("Europe/Stockholm"))
    assert swedish.strftime("%H:%M") != note.created_at.strftime("%H:%M"), "Swedish time differs from UTC"

    phone.reload()
    expect(phone.locator("#my-notes-list li .saved")).to_have_text(f"✓ {SV('Saved')} {swedish:%H:%M}")
    leader.goto(f"/leader/cafes/{cafe.cafe_id}")
    expect(leader.locator(f"#note-{note.id}")).to_contain_text(f"{swedish:%H:%M}")
    export = leader.request.get(f"/leader/cafes/{cafe.cafe_id}/export.csv")
    assert export.ok
    assert f"{swedish:%Y-%m-%d %H:%M}" in export.text()


# 4. Languages


def test_the_wall_speaks_the_process_language_whatever_the_browser_and_a_phone_its_own(site, new_page):
    cafe = site.cafe(phase="round")
    wall = new_page("leader", locale="en-US", viewport={"width": 1280, "height": 720})
    wall.goto(f"/leader/cafes/{cafe.cafe_id}/wall")
    expect(wall.locator("html")).to_have_attribute("lang", "sv")
    expect(wall.get_by_text(SV("Phones at each table"))).to_be_visible()
    expect(wall.get_by_text("Phones at each table")).to_have_count(0)
    expect(wall.locator("#wall-step")).to_have_text(SV("Talk at your table. Write one idea per note."))
    shot(wall, "wall-english-browser")

    cards = new_page("leader", locale="en-US")
    cards.goto(f"/leader/cafes/{cafe.cafe_id}/cards")
    expect(cards.locator("#card-1")).to_have_text(SV("Table %(n)s") % {"n": 1})

    phone = new_page("phone", locale="en-US")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    expect(phone.locator("#my-notes-heading")).to_have_text("Your notes")


# 5. Live phone counts


def test_the_wall_counts_phones_at_each_table_as_they_sit_down_and_move(site, new_page):
    cafe = site.cafe(tables=3, phase="open")
    wall = new_page("leader")
    wall.goto(f"/leader/cafes/{cafe.cafe_id}/wall")
    counts = wall.locator(".wall-tables li strong")
    expect(counts).to_have_text(["0", "0", "0"])

    first, second = new_page("phone"), new_page("phone")
    first.goto(f"/t/{cafe.tables[1].join_token}")
    expect(counts).to_have_text(["0", "1", "0"])
    second.goto(f"/t/{cafe.tables[1].join_token}")
    expect(counts).to_have_text(["0", "2", "0"])
    second.goto(f"/t/{cafe.tables[2].join_token}")  # moved to table 3
    expect(counts).to_have_text(["0", "1", "1"])
