"""The host's and the leader's pages follow the café live, and keep what is being typed."""

from __future__ import annotations

import html
import json
import re

import httpx2
import pytest
from playwright.sync_api import expect

from app.models import Cafe
from app.services import cafes as cafe_service

pytestmark = pytest.mark.browser


def test_the_host_sees_new_notes_at_the_table_and_keeps_a_note_being_typed(site, new_page):
    cafe = site.cafe(tables=2, phase="round")
    host = new_page("phone")
    host.goto(f"/h/{cafe.tables[0].host_token}")
    host.fill("#text", "Halvskrivet inspel")

    site.host_notes(cafe.tables[1], ["Inte vid det här bordet"])
    site.host_notes(cafe.tables[0], ["Fler bussar på kvällen"], hide_first=False)

    expect(host.locator("#notes")).to_contain_text("Fler bussar på kvällen")
    expect(host.locator("#notes")).not_to_contain_text("Inte vid det här bordet")
    expect(host.locator("#text")).to_have_value("Halvskrivet inspel")


def test_the_host_page_follows_the_end_of_the_round(site, new_page):
    cafe = site.cafe(tables=2, phase="round")
    host = new_page("phone")
    host.goto(f"/h/{cafe.tables[0].host_token}")
    expect(host.locator("#text")).to_be_visible()

    with site.session() as session:
        cafe_service.run_action(session, cafe=session.get(Cafe, cafe.cafe_id), action="end_round")

    expect(host.locator("#text")).to_have_count(0)  # no round: nothing to type into


def test_the_leader_sees_notes_arrive_and_a_hidden_note_marked(site, leader):
    cafe = site.cafe(tables=2, phase="round")
    leader.goto(f"/leader/cafes/{cafe.cafe_id}")

    site.host_notes(cafe.tables[1], ["Skolan måste vara kvar", "Affären behöver öppet på lördagar"], hide_first=True)

    notes = leader.locator("#tables .notes li")
    expect(notes).to_have_count(2)
    expect(leader.locator("#tables .hidden-note")).to_contain_text("Skolan måste vara kvar")


def events_seen(url: str, wanted: str, headers=None) -> list[tuple[str, str]]:
    """(id, note text) of the events a stream sends, until the note `wanted`."""
    seen, event_id = [], None
    with httpx2.stream("GET", url, headers=headers or {}, timeout=httpx2.Timeout(5.0, read=10.0)) as response:
        for line in response.iter_lines():
            if line.startswith("id: "):
                event_id = line[4:]
            elif line.startswith("data: "):
                seen.append((event_id, json.loads(line[6:]).get("text", "")))
                if seen[-1][1] == wanted:
                    return seen
    return seen


def test_a_stream_opened_after_the_page_sends_what_happened_in_between_and_resumes_after_a_drop(site):
    cafe = site.cafe(tables=1, phase="round")
    page = httpx2.get(site.url(f"/h/{cafe.tables[0].host_token}"))
    events_url = site.url(html.unescape(re.search(r'data-events="([^"]+)"', page.text).group(1)))

    site.host_notes(cafe.tables[0], ["Skrivet innan strömmen öppnades"])  # the page is loaded, its stream not yet
    first = events_seen(events_url, "Skrivet innan strömmen öppnades")
    assert first[-1][1] == "Skrivet innan strömmen öppnades"

    site.host_notes(cafe.tables[0], ["Skrivet medan mobilen tappade nätet"])
    again = events_seen(events_url, "Skrivet medan mobilen tappade nätet", headers={"Last-Event-ID": first[-1][0]})
    assert [text for _, text in again] == ["Skrivet medan mobilen tappade nätet"]  # the first is not sent twice
