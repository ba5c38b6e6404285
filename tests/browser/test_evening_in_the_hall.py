"""The evening in the hall, as its people see it: a phone at 320 px with text at 200 % is told by
the button that its note was saved (the list of notes is screens below), a send that hears nothing
on a weak signal is tried again and stored once, the next table fits the screen with every word
whole, and the projector wall shows the same picture on a 1920 px projector as on a 1280 px one."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.i18n import translations
from app.models import Cafe, Note, Theme, ThemeNote
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services import votes as vote_service
from facilitation.notes import new_client_id

pytestmark = pytest.mark.browser
SV = translations("sv").gettext
SMALL_PHONE = {"width": 320, "height": 640}

# Words of an element that the browser split over two lines (it breaks a word only when the word
# alone is wider than the line).
SPLIT_WORDS = """(element) => {
  const split = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


def small_phone_with_large_text(new_page, path: str) -> Page:
    phone = new_page("phone", viewport=SMALL_PHONE)
    phone.goto(path)
    # The person's own text size; the page's CSP refuses inline styles, not this.
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    return phone


def send(phone: Page, text: str) -> None:
    phone.fill("#text", text)
    phone.click("#note-form button[type=submit]")


def stored_texts(site, cafe_id: int) -> list[str]:
    with site.session() as session:
        return list(session.exec(select(Note.text).where(Note.cafe_id == cafe_id).order_by(Note.id)))


def test_the_button_says_a_note_was_saved_or_kept_where_a_small_phone_with_large_text_sees_it(site, new_page):
    cafe = site.cafe(phase="round")
    phone = small_phone_with_large_text(new_page, f"/t/{cafe.tables[0].join_token}")
    status = phone.locator("#note-form .js-status")

    send(phone, "Bredband till hela byn")
    expect(status).to_have_text(SV("Saved. Thank you! Write another note whenever you like."))
    expect(status).to_be_in_viewport()
    assert not phone.locator("#my-notes-list li").first.evaluate(
        "(li) => li.getBoundingClientRect().top < innerHeight"), "the list is in view: this proves nothing"

    phone.context.set_offline(True)
    send(phone, "Affären behöver öppet på lördagar")
    expect(status).to_have_text(SV("Not sent yet: kept on this phone, will be sent when the connection is back."))
    expect(status).to_be_in_viewport()

    phone.context.set_offline(False)
    expect(status).to_have_text(SV("Saved. Thank you! Write another note whenever you like."))
    assert stored_texts(site, cafe.cafe_id) == ["Bredband till hela byn", "Affären behöver öppet på lördagar"]


def test_a_send_that_hears_nothing_is_given_up_tried_again_and_the_note_stored_once(site, phone):
    """A weak signal can leave a request hanging with no answer and no error: the note reached
    the server, the phone never hears so. The phone gives up after a while and sends again."""
    cafe = site.cafe(phase="round")
    answers, stalled = [], []

    def stall_the_first_answer(route):
        if not stalled:
            answers.append(route.fetch().status)  # stored on the server...
            stalled.append(route)  # ...and the answer never comes
        else:
            response = route.fetch()
            answers.append(response.status)
            route.fulfill(response=response)

    phone.clock.install()
    phone.route("**/api/v1/tables/*/notes", stall_the_first_answer)
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    send(phone, "Bredband till hela byn")
    expect(phone.locator("#my-notes-list li .pending")).to_have_text(SV("Sending…"))
    for _ in range(100):  # the route handler runs while Playwright waits
        if answers:
            break
        phone.wait_for_timeout(50)
    assert answers == [201] and stored_texts(site, cafe.cafe_id) == ["Bredband till hela byn"]

    phone.clock.run_for(30_000)  # the time to give up, and the pause before the next try

    expect(phone.locator("#my-notes-list li .saved")).to_contain_text(SV("Saved"))
    assert answers == [201, 200], "the second send carries the same id and is answered as already saved"
    assert stored_texts(site, cafe.cafe_id) == ["Bredband till hela byn"]


def test_the_next_table_fits_a_small_phone_with_large_text_with_every_word_whole(site, new_page):
    """At 3rem (96 px with 200 % text) in 48 px of padding a side, "Gå till bord 2" stood as
    "Gå / till / bor / d 2", and the card was taller than the screen."""
    cafe = site.cafe(tables=2, phase="round")
    phone = small_phone_with_large_text(new_page, f"/t/{cafe.tables[0].join_token}")  # seated at table 1
    phone.goto("about:blank")  # no page left to reload itself on the new phase while the test looks

    with site.session() as session:
        cafe_service.run_action(session, cafe=session.get(Cafe, cafe.cafe_id), action="end_round")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    heading = phone.locator("#move h2")
    expect(heading).to_have_text(SV("Go to table %(n)s") % {"n": 2})
    phone.locator("#move").screenshot(path="/tmp/evening-move-320.png")

    assert heading.evaluate(SPLIT_WORDS) == [], "a word of the next table is split over two lines"
    card = phone.locator("#move section").bounding_box()
    assert card["height"] <= SMALL_PHONE["height"], f"the one step takes {card['height']} px, more than a screen"
    scroll, width = phone.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll <= width


def test_the_wall_on_a_1920_px_projector_shows_what_a_1280_px_one_does(site, new_page):
    cafe = site.cafe(phase="round")
    site.host_notes(cafe.tables[0], ["Buss", "Vi behöver en bensinmack i byn, annars måste alla köra "
                                              "fyra mil för att tanka bilen och snöskotern varje vecka"])
    sizes = {}
    for width, height in ((1280, 720), (1920, 1080)):
        wall = new_page("leader", viewport={"width": width, "height": height})
        wall.goto(f"/leader/cafes/{cafe.cafe_id}/wall")
        sizes[width] = wall.evaluate("""() => ({
            question: parseFloat(getComputedStyle(document.getElementById('wall-question')).fontSize),
            address: parseFloat(getComputedStyle(document.querySelector('.wall-join p')).fontSize),
            qr: document.querySelector('.wall-join img').getBoundingClientRect().width,
            notes: [...document.querySelectorAll('#wall-notes li')].map((li) => li.getBoundingClientRect().height),
        })""")
        wall.screenshot(path=f"/tmp/evening-wall-{width}.png")
    small, large = sizes[1280], sizes[1920]
    for what in ("question", "address", "qr"):
        assert large[what] == pytest.approx(1.5 * small[what], rel=0.02), (what, small[what], large[what])
    long_note, short_note = small["notes"]  # newest first, side by side
    assert short_note < long_note / 2, "the short note is stretched to the height of the long one beside it"


def test_a_host_typing_for_others_sees_the_note_saved_and_the_empty_box_for_the_next(site, new_page):
    """After saving, the page opened at the table's notes, below the box: the "saved" line was
    a screen above, and the note itself at the end of a list that grows all evening."""
    cafe = site.cafe(phase="round")
    site.host_notes(cafe.tables[0], [f"Tidigare inspel nummer {n}" for n in range(8)])
    host = new_page("phone", viewport=SMALL_PHONE)
    host.goto(f"/h/{cafe.tables[0].host_token}")

    host.fill("#text", "Anna har ingen mobil: en lekplats vid skolan")
    host.click("form[action$='/notes'] button[type=submit]")

    saved = host.locator("#saved")
    expect(saved).to_have_text(SV("%(num)s note saved.") % {"num": 1})
    expect(saved).to_be_in_viewport()
    expect(host.locator("#text")).to_be_in_viewport()
    expect(host.locator("#text")).to_have_value("")
    expect(host.locator("#notes")).to_contain_text("Anna har ingen mobil: en lekplats vid skolan")


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed colours, 'rgb(r, g, b)'."""
    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_keyboard_focus_ring_stands_out_on_the_header_as_on_the_page(site, phone):
    """WCAG 1.4.11: a focus indicator needs 3:1 against what is next to it."""
    cafe = site.cafe(phase="round")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    for element in (phone.locator(".site-header .languages a").first, phone.locator("#note-form button")):
        element.focus()
        ring, background = element.evaluate("""(e) => {
            let around = e.parentElement;
            while (getComputedStyle(around).backgroundColor === 'rgba(0, 0, 0, 0)') around = around.parentElement;
            return [getComputedStyle(e).outlineColor, getComputedStyle(around).backgroundColor];
        }""")
        assert contrast(ring, background) >= 3, (element, ring, background)


THEMES = ["Bussen och tåget", "Skolan och förskolan", "Bredband och mobiltäckning", "Affären och bensinmacken",
          "Vägarna på vintern", "Bostäder för unga", "Båthamnen och badplatsen", "Föreningslivet och bygdegården"]


def test_the_wall_shows_a_cafes_eight_themes_for_the_vote_on_one_720_px_projector_screen(site, new_page):
    cafe = site.cafe(phase="round")
    with site.session() as session:
        phone = note_service.join_table(session, table=cafe.tables[0], device_key=new_client_id())
        for position, label in enumerate(THEMES):
            note = note_service.submit_note(session, table=cafe.tables[0], client_id=new_client_id(),
                                            text=f"{label} är viktigt", participant=phone).note
            theme = Theme(process_id=cafe.process_id, cafe_id=cafe.cafe_id, key=f"wall{position}", label=label,
                          keywords=json.dumps(label.split(" och ")), quotes=json.dumps([note.id]), position=position)
            session.add(theme)
            session.flush()
            session.add(ThemeNote(theme_id=theme.id, note_id=note.id))
        session.commit()
        cafe_row = session.get(Cafe, cafe.cafe_id)
        cafe_service.run_action(session, cafe=cafe_row, action="end_round")
        vote_service.open_vote(session, cafe=cafe_row, dots=3)

    wall = new_page("leader", viewport={"width": 1280, "height": 720})
    wall.goto(f"/leader/cafes/{cafe.cafe_id}/wall")
    themes = wall.locator(".wall-themes li")
    expect(themes).to_have_count(len(THEMES))
    wall.screenshot(path="/tmp/evening-wall-vote-1280.png")
    for index in range(len(THEMES)):
        expect(themes.nth(index)).to_be_in_viewport(ratio=1)


def test_a_phone_that_scans_before_the_cafe_opens_waits_and_gets_its_table_when_it_opens(site, new_page):
    """Early arrivals scan while the leader sets up: they got "Something went wrong" and had to
    scan again once the café was open."""
    cafe = site.cafe(phase="draft")
    phone = small_phone_with_large_text(new_page, f"/t/{cafe.tables[0].join_token}")
    expect(phone.locator("h1")).to_have_text(SV("Table %(n)s") % {"n": 1} + " · Hallen")
    expect(phone.locator("#wait-heading")).to_have_text(SV("Not open yet"))
    expect(phone.get_by_text(SV("Something went wrong"))).to_have_count(0)
    expect(phone.locator("#round-panel")).to_contain_text(
        SV("Keep this page open: your table opens here by itself when the café opens."))
    phone.screenshot(path="/tmp/evening-not-open-320.png")

    site.act(cafe, "open")

    expect(phone.locator("#question-heading")).to_have_text(SV("Waiting for the next round"))
    expect(phone.locator("#text")).to_be_visible()


def test_a_phone_over_its_note_budget_is_told_the_note_goes_by_itself_not_to_find_signal(site, phone):
    """A phone back in signal with a dozen notes queued goes over its budget: it was told the
    note waits for signal, which it has."""
    cafe = site.cafe(phase="round")
    answers = []

    def refuse_the_first_as_too_fast(route):
        if not answers:
            answers.append(429)
            route.fulfill(status=429, content_type="application/json",
                          body=json.dumps({"error": "rate_limited", "message": "…"}))
        else:
            response = route.fetch()
            answers.append(response.status)
            route.fulfill(response=response)

    phone.clock.install()
    phone.route("**/api/v1/tables/*/notes", refuse_the_first_as_too_fast)
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    send(phone, "Bredband till hela byn")

    busy = SV("Not sent yet: many notes at once. It is sent by itself in a moment.")
    expect(phone.locator("#my-notes-list li .pending")).to_have_text(busy)
    expect(phone.locator("#note-form .js-status")).to_have_text(busy)

    phone.clock.run_for(3_000)  # the first pause before trying again
    expect(phone.locator("#my-notes-list li .saved")).to_contain_text(SV("Saved"))
    assert answers == [429, 201] and stored_texts(site, cafe.cafe_id) == ["Bredband till hela byn"]


def host_texts(site, cafe_id: int) -> list[str]:
    with site.session() as session:
        return list(session.exec(select(Note.text).where(Note.cafe_id == cafe_id, Note.source == "host")))


def test_a_host_saving_without_signal_keeps_the_text_in_the_box(site, new_page):
    """The host's form posts without JavaScript's help: with no signal the browser showed its own
    error page, and going back or reloading brought an empty box: the note was lost."""
    cafe = site.cafe(phase="round")
    host = small_phone_with_large_text(new_page, f"/h/{cafe.tables[0].host_token}")
    host.fill("#text", "Greta har ingen mobil: bussen till stan på lördagar")

    host.context.set_offline(True)
    host.click("#host-note-form button[type=submit]")
    status = host.locator("#host-note-form .js-status")
    expect(status).to_have_text(
        SV("No connection: the text is still in the box. Save it again when the connection is back."))
    expect(status).to_be_in_viewport()
    expect(host.locator("#text")).to_have_value("Greta har ingen mobil: bussen till stan på lördagar")

    host.context.set_offline(False)
    host.reload()  # or the battery saver closed the tab meanwhile
    expect(host.locator("#text")).to_have_value("Greta har ingen mobil: bussen till stan på lördagar")
    host.click("#host-note-form button[type=submit]")
    expect(host.locator("#saved")).to_have_text(SV("%(num)s note saved.") % {"num": 1})
    expect(host.locator("#text")).to_have_value("")
    host.reload()
    expect(host.locator("#text")).to_have_value("")
    assert host_texts(site, cafe.cafe_id) == ["Greta har ingen mobil: bussen till stan på lördagar"]


def test_a_host_save_whose_answer_was_lost_is_in_the_box_again_and_stored_once(site, new_page):
    cafe = site.cafe(phase="round")
    host = new_page("phone")
    host.route("**/h/*/notes", lambda route: (route.fetch(), route.abort("internetdisconnected")))
    host.goto(f"/h/{cafe.tables[0].host_token}")
    host.fill("#text", "Skriven åt Olle: en bänk vid affären")
    host.click("#host-note-form button[type=submit]")  # stored, but the browser shows its error page
    host.wait_for_url(lambda url: "/notes" in url or url.startswith("chrome-error"))
    assert host_texts(site, cafe.cafe_id) == ["Skriven åt Olle: en bänk vid affären"]

    host.unroute("**/h/*/notes")
    host.goto(f"/h/{cafe.tables[0].host_token}")  # the host opens the page again
    expect(host.locator("#text")).to_have_value("Skriven åt Olle: en bänk vid affären")
    host.click("#host-note-form button[type=submit]")
    expect(host.locator("#saved")).to_be_visible()
    assert host_texts(site, cafe.cafe_id) == ["Skriven åt Olle: en bänk vid affären"]


def test_a_host_going_back_after_a_lost_answer_finds_the_newer_text_in_the_box(site, new_page):
    """The page before a save whose answer was lost is an older answer page ("?saved=1"): going
    back to it must not take the newer text for stored."""
    cafe = site.cafe(phase="round")
    host = new_page("phone")
    host.goto(f"/h/{cafe.tables[0].host_token}")
    host.fill("#text", "Första: fler soptunnor")
    host.click("#host-note-form button[type=submit]")
    expect(host.locator("#saved")).to_be_visible()

    host.route("**/h/*/notes", lambda route: route.abort("internetdisconnected"))  # no signal, no answer
    host.fill("#text", "Andra: en bänk vid affären")
    host.click("#host-note-form button[type=submit]")
    host.wait_for_url(lambda url: "/notes" in url or url.startswith("chrome-error"))
    host.unroute("**/h/*/notes")
    host.go_back()
    host.reload()  # as the host would, to be sure
    expect(host.locator("#text")).to_have_value("Andra: en bänk vid affären")
    host.click("#host-note-form button[type=submit]")
    expect(host.locator("#saved")).to_be_visible()
    assert host_texts(site, cafe.cafe_id) == ["Första: fler soptunnor", "Andra: en bänk vid affären"]


def test_more_minutes_for_the_round_move_the_clock_without_taking_the_box_from_someone_typing(site, phone):
    """Every phone reloaded when the leader gave the round five more minutes: the keyboard closed
    under the fingers of whoever was writing."""
    cafe = site.cafe(phase="round")  # 20 minutes
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    phone.evaluate("window.sameDocument = true")
    phone.click("#text")
    phone.keyboard.type("Jag skriver om bussen")

    site.act(cafe, "extend_round", minutes=5)

    expect(phone.locator("[data-countdown]")).to_have_text(re.compile(r"^2[45]:\d\d "))
    assert phone.evaluate("window.sameDocument === true"), "the page was loaded again"
    assert phone.evaluate("document.activeElement.id") == "text"
    phone.keyboard.type(" på kvällen")
    expect(phone.locator("#text")).to_have_value("Jag skriver om bussen på kvällen")


def test_the_header_leaves_a_small_phone_with_large_text_most_of_its_screen(site, new_page):
    """The three language names stacked one per line took 270 of 640 px: codes on a narrow screen."""
    cafe = site.cafe(phase="round")
    phone = new_page("phone")
    phone.set_viewport_size({"width": 320, "height": 640})
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    assert phone.locator(".site-header").bounding_box()["height"] <= 170
    expect(phone.get_by_role("link", name="English")).to_be_visible()  # heard as its name, shown as "EN"
    english = phone.get_by_role("link", name="English")
    expect(english.locator(".language-code")).to_be_visible()
    assert english.locator(".language-name").bounding_box()["width"] <= 1
