"""The theme board in Chromium: every theme at a glance, a note moved by drag and drop and by
its keyboard alternative (which also works without JavaScript), and a process board of eight
themes that fits on two laptop screens."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.models import Note, Theme, ThemeNote
from app.services import notes as note_service
from facilitation.notes import new_client_id
from tests.browser.conftest import HARVEST_NOTES
from tests.browser.test_accessibility import describe, run_axe

pytestmark = pytest.mark.browser

LAPTOP_SCREEN = 900  # CSS pixels of a 1280×900 laptop screen

EIGHT_THEMES = [
    ("Bussen, arbetstider, vintermorgnarna", ["bussen", "arbetstider", "vintermorgnarna", "stan", "plogas"]),
    ("Fiber, stöd, hemifrån", ["fiber", "stöd", "hemifrån", "hushållen"]),
    ("Hus, bygga, köpa", ["hus", "bygga", "köpa", "folk"]),
    ("Skolan, barn, förskolan", ["skolan", "barn", "förskolan", "flyttar"]),
    ("Sjön, båten, vatten", ["sjön", "båten", "vatten", "brunn"]),
    ("Åldrar, föreningslivet, ungdomarna", ["åldrar", "föreningslivet", "ungdomarna", "engagera"]),
    ("Vindkraft, allmänhetens, planen", ["vindkraft", "allmänhetens", "planen", "stränderna"]),
    ("Servicestöd, affären, paket", ["servicestöd", "affären", "paket", "information"]),
]


def theme_of(site, cafe_id: int, note_text: str) -> str:
    """The label of the theme a note of the café is in now."""
    with site.session() as session:
        note = session.exec(select(Note).where(Note.cafe_id == cafe_id, Note.text == note_text)).one()
        link = session.exec(select(ThemeNote).where(ThemeNote.note_id == note.id)).one()
        return session.get(Theme, link.theme_id).label


def card(page, label: str):
    return page.locator(".theme-card").filter(has=page.locator(".theme-title", has_text=label))


def process_with_eight_themes(site) -> int:
    """A process whose cross-village board has eight themes of six notes each."""
    cafe = site.cafe(phase="round")
    with site.session() as session:
        notes = [
            note_service.submit_note(session, table=cafe.tables[i % 3], client_id=new_client_id(),
                                     text=f"{label.split(',')[0]} är viktigt för byn, inspel {i}").note.id
            for label, _words in EIGHT_THEMES for i in range(6)
        ]
        for position, (label, words) in enumerate(EIGHT_THEMES):
            members = notes[position * 6:(position + 1) * 6]
            theme = Theme(process_id=cafe.process_id, cafe_id=None, key=f"eight{position}", label=label,
                          keywords=json.dumps(words), quotes=json.dumps(members[:2]), position=position)
            session.add(theme)
            session.flush()
            session.add_all(ThemeNote(theme_id=theme.id, note_id=n) for n in members)
        session.commit()
    return cafe.process_id


def test_the_process_board_shows_eight_themes_at_a_glance_on_two_screens(site, leader):
    process_id = process_with_eight_themes(site)
    leader.goto(f"/leader/processes/{process_id}/themes")
    cards = leader.locator(".theme-card[data-theme]:not([data-theme=other])")
    assert cards.count() == 8
    first = cards.first.locator("summary")
    assert "Bussen, arbetstider, vintermorgnarna" in first.inner_text()
    assert "6 inspel" in first.inner_text() and "vintermorgnarna" in first.inner_text()
    assert "Hallen 6" in first.inner_text()  # the villages it came up in
    assert not leader.locator("#category-" + cards.first.get_attribute("data-theme")).is_visible()
    height = leader.evaluate("document.documentElement.scrollHeight")
    assert height <= 2 * LAPTOP_SCREEN, f"the board of eight themes is {height} px high"

    first.click()  # one theme's controls, on demand
    assert leader.locator("#category-" + cards.first.get_attribute("data-theme")).is_visible()


def test_a_note_dragged_onto_another_theme_moves_there(site, leader):
    harvest = site.harvest()
    leader.goto(f"/leader/cafes/{harvest.cafe.cafe_id}/themes")
    bus = card(leader, "Buss, tåg, turer")
    bus.locator("summary").click()
    note = bus.locator("li[data-note]", has_text=HARVEST_NOTES[0])
    assert note.get_attribute("draggable") == "true"
    assert not leader.locator(".drop-bar").is_visible()
    note.scroll_into_view_if_needed()
    start = note.locator(".note-text").bounding_box()
    leader.mouse.move(start["x"] + 10, start["y"] + start["height"] / 2)
    leader.mouse.down()
    leader.mouse.move(start["x"] + 40, start["y"] + start["height"] / 2 + 10, steps=5)
    zone = leader.locator(".drop-bar li", has_text="Skola, byn")  # shown at the top while dragging
    assert zone.is_visible()
    end = zone.bounding_box()
    leader.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=10)
    with leader.expect_navigation():
        leader.mouse.up()
    assert theme_of(site, harvest.cafe.cafe_id, HARVEST_NOTES[0]) == "Skola, byn"
    # Back on the board, the theme the note went to is open and holds it.
    assert card(leader, "Skola, byn").locator("li[data-note]", has_text=HARVEST_NOTES[0]).is_visible()
    assert f"«{HARVEST_NOTES[0]}» → Skola, byn" in leader.locator("#log").text_content()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_keyboard_alternative_moves_a_note(site, new_page, javascript):
    harvest = site.harvest()
    leader = new_page("leader", java_script_enabled=javascript)
    leader.goto(f"/leader/cafes/{harvest.cafe.cafe_id}/themes")
    summary = card(leader, "Skola, byn").locator("summary")
    summary.focus()
    leader.keyboard.press("Enter")  # opens the theme
    note = leader.locator("li[data-note]", has_text=HARVEST_NOTES[2])
    select = note.locator("select")
    select.focus()
    select.select_option(label="Buss, tåg, turer")
    button = note.get_by_role("button", name="Flytta till tema")
    button.focus()
    with leader.expect_navigation():
        leader.keyboard.press("Enter")
    assert theme_of(site, harvest.cafe.cafe_id, HARVEST_NOTES[2]) == "Buss, tåg, turer"


def test_the_leader_writes_a_summary_on_the_board_and_sees_it(site, leader):
    harvest = site.harvest()
    leader.goto(f"/leader/cafes/{harvest.cafe.cafe_id}/themes")
    bus = card(leader, "Buss, tåg, turer")
    bus.locator("summary").click()
    bus.get_by_label("Sammanfattning").fill("Byn vill ha bussar varje timme, även på kvällen.")
    with leader.expect_navigation():
        bus.get_by_role("button", name="Spara sammanfattning").click()

    bus = card(leader, "Buss, tåg, turer")  # open again after the save
    assert bus.locator("p.summary").inner_text() == "Byn vill ha bussar varje timme, även på kvällen."
    assert bus.locator("label", has_text="Sammanfattning").locator(".tag").inner_text() == "skriven av en person"
    assert "Byn vill ha bussar varje timme" in leader.locator("#log").text_content()
    violations = run_axe(leader)
    assert not violations, describe(violations)


def test_an_open_theme_at_320_px_with_200_percent_text_keeps_its_long_words_and_its_text_on_the_screen(
        site, new_page):
    """Long Swedish keywords wrap inside their tag, and the padding (in rem, doubled with the
    text) leaves the theme's forms most of a 320 px screen: before, a keyword pushed the page
    sideways and the summary box was 196 px wide, six short words a line."""
    harvest = site.harvest()
    with site.session() as session:
        theme = session.get(Theme, harvest.theme_id)
        theme.keywords = json.dumps(["anslutningsavgifter", "skoterveckorna", "buss"])
        session.add(theme)
        session.commit()
    page = new_page("leader", viewport={"width": 320, "height": 640})
    page.goto(f"/leader/cafes/{harvest.cafe.cafe_id}/themes?open={harvest.theme_id}")
    page.evaluate("document.documentElement.style.fontSize = '200%'")

    scroll, width = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll <= width + 1, f"the board scrolls sideways ({scroll} px wide in {width} px)"
    tag = page.locator(f"#theme-{harvest.theme_id} .keywords .tag", has_text="anslutningsavgifter")
    box = tag.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    summary_box = page.locator(f"#summary-{harvest.theme_id}").bounding_box()
    assert summary_box["width"] >= 0.75 * width, f"the summary box is {summary_box['width']} px wide"


def test_the_public_theme_list_keeps_a_small_phone_for_its_text(site, new_page):
    """At 320 px with 200 % text the list's number sits in each theme's heading: as a marker
    beside it, it took 40 px of indent (the text was 214 px wide) or was cut off at the edge."""
    harvest = site.harvest()
    page = new_page("public", viewport={"width": 320, "height": 640})
    page.goto(f"/p/{harvest.cafe.process_id}")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    width = page.evaluate("document.scrollingElement.clientWidth")
    first = page.locator("ol.public-themes > li").first
    assert first.bounding_box()["width"] >= 0.85 * width
    heading = first.locator("h3")
    assert heading.bounding_box()["x"] >= 0
    assert heading.evaluate("h => getComputedStyle(h, '::before').content") == 'counter(theme) ". "'
