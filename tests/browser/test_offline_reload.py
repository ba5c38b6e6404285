"""A page reloaded, or opened again, with no signal: the copy the service worker kept
(static/js/sw.js) shows the phone's table, its notes not sent yet and the note box, and what is
written there goes once, when the signal is back. A host's page likewise. A leader's page is
never kept: with no signal it is the browser's own error."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.browser.test_offline_phone import queued, send_note, stored_texts

pytestmark = pytest.mark.browser
NOTES = ["Bredband till hela byn", "Affären behöver öppet på lördagar", "Fler bänkar vid sjön"]
KEPT = "caches.open('bykafe-offline-v1').then(c => c.keys()).then(ks => ks.map(k => new URL(k.url).pathname))"
WORKER = dict(service_workers="allow")  # the other browser tests run without it (conftest.CONTEXTS)


@pytest.fixture
def phone(new_page) -> Page:
    return new_page("phone", **WORKER)


@pytest.fixture
def leader(new_page) -> Page:
    return new_page("leader", **WORKER)


def kept_paths(page: Page) -> list[str]:
    return page.evaluate(KEPT)


def wait_until_kept(page: Page) -> None:
    """The worker has kept the page now shown (on a first visit it fetches it once more)."""
    path = page.evaluate("location.pathname")
    deadline = time.monotonic() + 10
    while path not in kept_paths(page):
        assert time.monotonic() < deadline, f"{path} was not kept: {kept_paths(page)}"
        time.sleep(0.1)


def offline_notice(page: Page):
    return page.locator("#offline-copy")


def test_a_phone_reloaded_with_no_signal_shows_its_table_and_unsent_notes_and_takes_more(site, phone):
    cafe = site.cafe(phase="round")
    token = cafe.tables[0].join_token
    phone.goto(f"/t/{token}")  # the first visit, from the QR code: the worker is not yet there
    expect(offline_notice(phone)).to_be_hidden()
    wait_until_kept(phone)
    kept_files = {p.rsplit(".", 2)[0] for p in kept_paths(phone) if p.startswith("/static/")}
    assert kept_files == {"/static/css/site", "/static/js/countdown", "/static/js/phone", "/static/js/offline"}

    phone.context.set_offline(True)
    send_note(phone, NOTES[0])
    for written, text in enumerate(NOTES[1:], start=1):
        phone.reload()  # no signal: the kept copy, not "No internet"
        expect(phone.locator("h1")).to_contain_text("Bord 1")
        expect(phone.locator(".question")).to_have_text("Vad är bra här?")
        expect(offline_notice(phone)).to_be_visible()
        expect(offline_notice(phone)).to_contain_text("Ingen täckning: du ser sidan som den var kl. ")
        expect(phone.locator("#my-notes-list .note-text")).to_have_text(NOTES[:written])
        send_note(phone, text)  # a fresh id each time: the copy's own id may be a sent note's
    waiting = phone.locator("#i18n").get_attribute("data-waiting")
    expect(phone.locator("#my-notes-list li .pending")).to_have_text([waiting] * 3)
    # Three notes, three ids, kept on the phone. (Not checked: that the server has none yet.
    # Chromium's offline emulation now and then lets a request of a page the worker controls
    # through, see test_offline_phone.py; a phone with no signal sends nothing.)
    assert [n["text"] for n in queued(phone)] == NOTES and len({n["client_id"] for n in queued(phone)}) == 3

    phone.context.set_offline(False)
    expect(phone.locator("#my-notes-list li .saved")).to_have_count(3)
    assert stored_texts(site, cafe.cafe_id) == sorted(NOTES)
    assert queued(phone) == []

    site.act(cafe, "end_round")
    phone.reload()  # the network answers: the page as it is now, never the copy
    expect(offline_notice(phone)).to_be_hidden()
    expect(phone.locator("#question-heading")).to_have_text("Väntar på nästa samtalsrunda")
    expect(phone.locator("#my-notes-list li .saved")).to_have_count(3)
    assert stored_texts(site, cafe.cafe_id) == sorted(NOTES)


def kept_minutes_ago(page: Page, minutes: int) -> None:
    """As if the copy of the page shown had been kept `minutes` ago."""
    page.evaluate("""async ([path, minutes]) => {
        const cache = await caches.open('bykafe-offline-v1');
        const copy = await cache.match(path);
        const then = Date.now() - minutes * 60 * 1000;
        const headers = new Headers(copy.headers);
        headers.set('x-bykafe-saved-at', String(then));
        const html = (await copy.text()).replace(/data-saved-at="\\d+"/, 'data-saved-at="' + then + '"');
        await cache.put(path, new Response(html, {headers}));
    }""", [page.evaluate("location.pathname"), minutes])


def test_the_copy_counts_the_round_down_from_when_it_was_kept(site, phone):
    cafe = site.cafe(phase="round")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    wait_until_kept(phone)
    phone.context.set_offline(True)
    kept_minutes_ago(phone, 5)
    phone.reload()
    expect(offline_notice(phone)).to_be_visible()
    expect(phone.locator("[data-countdown]")).to_contain_text("14:")  # 20 minutes, kept 5 minutes ago


def test_a_copy_older_than_twelve_hours_is_dropped_not_shown(site, phone):
    cafe = site.cafe(phase="round")
    path = f"/t/{cafe.tables[0].join_token}"
    phone.goto(path)
    wait_until_kept(phone)
    kept_minutes_ago(phone, 12 * 60 + 1)
    phone.context.set_offline(True)
    with pytest.raises(PlaywrightError, match="net::ERR_FAILED"):  # the browser's own error page
        phone.reload()
    phone.context.set_offline(False)
    phone.goto("/om")  # a page of the site, to look into the device's store
    assert path not in kept_paths(phone)


def test_a_server_behind_a_proxy_that_does_not_answer_shows_the_copy_and_a_page_gone_is_dropped(site, phone):
    cafe = site.cafe(phase="round")
    path = f"/t/{cafe.tables[0].join_token}"
    phone.goto(path)
    wait_until_kept(phone)

    phone.context.route(site.url(path), lambda route: route.fulfill(status=503, body="Service Unavailable"))
    phone.reload()  # the proxy answers for a server that is restarting
    expect(offline_notice(phone)).to_be_visible()
    expect(phone.locator("h1")).to_contain_text("Bord 1")

    phone.context.unroute(site.url(path))
    phone.context.route(site.url(path), lambda route: route.fulfill(status=404, body="Not Found"))
    phone.reload()  # the server no longer knows this page: neither does the device
    expect(phone.locator("body")).to_have_text("Not Found")
    phone.context.unroute(site.url(path))
    phone.goto("/om")
    assert path not in kept_paths(phone)


def test_a_host_page_reloaded_with_no_signal_shows_the_tables_notes_and_the_text_being_written(site, new_page):
    cafe = site.cafe(phase="round")
    table = cafe.tables[0]
    site.host_notes(table, ["Skolan måste finnas kvar"])
    host = new_page("phone", **WORKER)  # the host's own phone
    host.goto(f"/h/{table.host_token}")
    wait_until_kept(host)

    host.context.set_offline(True)
    host.fill("#text", NOTES[0])
    host.click("#host-note-form button[type=submit]")  # refused at once with no signal: kept in the box
    expect(host.locator("#host-note-form .js-status")).to_contain_text("Ingen täckning just nu")
    host.reload()
    expect(host.locator("h1")).to_contain_text("Bordsvärd, bord 1")
    expect(offline_notice(host)).to_be_visible()
    expect(host.locator("#notes .note-text")).to_have_text(["Skolan måste finnas kvar"])
    expect(host.locator("#text")).to_have_value(NOTES[0])
    assert stored_texts(site, cafe.cafe_id) == ["Skolan måste finnas kvar"]

    host.context.set_offline(False)
    host.click("#host-note-form button[type=submit]")
    expect(host.locator("#saved")).to_be_visible()
    expect(offline_notice(host)).to_be_hidden()
    host.fill("#text", NOTES[1])
    host.click("#host-note-form button[type=submit]")
    expect(host.locator("#notes .note-text")).to_have_count(3)
    assert stored_texts(site, cafe.cafe_id) == sorted(["Skolan måste finnas kvar", *NOTES[:2]])


def test_the_leaders_pages_and_the_wall_are_never_kept(site, leader):
    cafe = site.cafe(phase="round")
    leader.goto(f"/h/{cafe.tables[0].host_token}")  # the leader tries a host link on the laptop
    wait_until_kept(leader)
    leader.goto(f"/t/{cafe.tables[1].join_token}")  # and a table's page
    wait_until_kept(leader)
    send_note(leader, NOTES[0])
    expect(leader.locator("#my-notes-list li .saved")).to_have_count(1)

    for path in (f"/leader/cafes/{cafe.cafe_id}", f"/leader/cafes/{cafe.cafe_id}/wall"):
        leader.goto(path)
        assert leader.evaluate("navigator.serviceWorker.controller") is None  # no worker sees it
    kept = kept_paths(leader)
    assert sorted(p for p in kept if not p.startswith("/static/")) == sorted(
        [f"/h/{cafe.tables[0].host_token}", f"/t/{cafe.tables[1].join_token}"])
    assert {p.rsplit(".", 2)[0] for p in kept if p.startswith("/static/")} <= {
        "/static/css/site", "/static/js/countdown", "/static/js/live", "/static/js/host", "/static/js/phone",
        "/static/js/offline"}

    leader.context.set_offline(True)
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        leader.reload()
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        leader.goto(f"/leader/cafes/{cafe.cafe_id}")


def test_the_worker_is_served_from_the_root_under_the_sites_content_policy(site, phone):
    response = phone.request.get("/sw.js")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert json.dumps("bykafe-offline-v1") in response.text()
