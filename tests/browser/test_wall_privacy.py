"""The projector wall shows notes with personal data masked, as they arrive and after a reload."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WRITTEN = "Ring mig på 070-123 45 67 eller mejla ordf.byaforeningen@hotmail.se om bryggan"
SHOWN = "Ring mig på [telefonnummer borttaget] eller mejla [e-post borttagen] om bryggan"


def test_the_wall_shows_a_note_with_its_phone_number_and_address_masked(site, leader: Page, phone: Page):
    cafe = site.cafe(phase="round")
    site.host_notes(cafe.tables[1], ["Personnummer 19650412-1234 till bygdegården"])
    leader.goto(f"/leader/cafes/{cafe.cafe_id}/wall")
    wall = leader.locator("#wall-notes")
    expect(wall).to_contain_text("Personnummer [personnummer borttaget] till bygdegården")

    phone.goto(f"/t/{cafe.tables[0].join_token}")
    phone.fill("#text", WRITTEN)
    phone.click("#note-form button[type=submit]")
    expect(wall.locator("li", has_text="om bryggan")).to_have_text(SHOWN)  # arrived by the event stream
    expect(phone.locator("#my-notes-list .note-text")).to_have_text([SHOWN])  # what others see, once saved

    leader.reload()
    expect(wall.locator("li", has_text="om bryggan")).to_have_text(SHOWN)
    for secret in ("070-123", "hotmail", "ordf.", "19650412"):
        assert secret not in leader.content()


def test_the_leader_masks_a_flagged_name_and_the_wall_follows(site, leader: Page, new_page):
    from tests.browser.test_accessibility import describe, run_axe

    cafe = site.cafe(phase="round")
    site.host_notes(cafe.tables[0], ["Gunnar på nummer 3 kör för fort genom byn"])
    wall = new_page("leader")
    wall.goto(f"/leader/cafes/{cafe.cafe_id}/wall")
    expect(wall.locator("#wall-notes")).to_contain_text("Gunnar på nummer 3")

    leader.goto(f"/leader/cafes/{cafe.cafe_id}")
    note = leader.locator("main .notes li", has_text="kör för fort")
    expect(note.locator(".name-flag")).to_contain_text("Gunnar")
    violations = run_axe(leader)
    assert not violations, describe(violations)
    note.get_by_role("button", name="Ta bort namnet").click()

    expect(wall.locator("#wall-notes")).to_contain_text("[namn borttaget] på nummer 3")  # by the event stream
    expect(wall.locator("#wall-notes")).not_to_contain_text("Gunnar")
    note = leader.locator("main .notes li", has_text="kör för fort")
    expect(note.locator(".note-text")).to_have_text("Gunnar på nummer 3 kör för fort genom byn")  # as written
    expect(note).to_contain_text("[namn borttaget] på nummer 3")
    expect(note.locator(".name-flag")).to_have_count(0)


def test_the_leader_keeps_a_flagged_word_that_names_no_person(site, leader: Page):
    cafe = site.cafe(phase="round")
    site.host_notes(cafe.tables[0], ["Anna kapell behöver en ny ramp"])
    leader.set_viewport_size({"width": 320, "height": 800})
    leader.goto(f"/leader/cafes/{cafe.cafe_id}")
    note = leader.locator("main .notes li", has_text="ramp")
    expect(note.locator(".name-flag")).to_contain_text("Anna")
    keep = note.get_by_role("button", name="Inte en person")
    box = keep.bounding_box()
    assert box and box["height"] >= 44  # a tap target on a phone
    note.screenshot(path=str(Path(__file__).resolve().parents[2] / "var" / "screenshots" / "leader-name-flag-320.png"))
    keep.click()
    note = leader.locator("main .notes li", has_text="ramp")
    expect(note.locator(".name-flag")).to_have_count(0)
    expect(note.locator(".note-text")).to_have_text("Anna kapell behöver en ny ramp")
    expect(note).to_contain_text("Behålls som det står skrivet: Anna")
    note.screenshot(path=str(Path(__file__).resolve().parents[2] / "var" / "screenshots" / "leader-name-kept-320.png"))
