"""From the printed table card to a saved note: the QR code is read by a real decoder, as a
phone camera would, and the phone sends its notes with and without JavaScript."""

from __future__ import annotations

import io
import json
from datetime import datetime, UTC

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pyzbar.pyzbar import decode

from app.i18n import translations
from app.settings import VAR

pytestmark = pytest.mark.browser
SAVED = translations("sv").gettext("Saved")  # the browsers here ask for Swedish


def scan_card(leader: Page, cafe_id: int, index: int = 0) -> str:
    """The address in the QR code of a printed table card, read from its pixels."""
    leader.goto(f"/leader/cafes/{cafe_id}/cards")
    image = leader.locator("img.card-qr").nth(index)
    expect(image).to_be_visible()
    image.evaluate("img => img.decode()")  # painted, not just laid out
    codes = decode(Image.open(io.BytesIO(image.screenshot())))
    assert len(codes) == 1, f"expected one QR code on card {index + 1}, decoded {codes}"
    return codes[0].data.decode()


def send_note(phone: Page, text: str) -> None:
    phone.fill("#text", text)
    phone.click("#note-form button[type=submit]")


def test_a_phone_scans_the_table_card_sends_two_notes_and_the_leader_sees_them(site, leader, phone):
    cafe = site.cafe(phase="round")
    address = scan_card(leader, cafe.cafe_id)
    assert address == site.url(f"/t/{cafe.tables[0].join_token}")

    phone.goto(address)
    notes = ["Bussen till stan måste gå oftare", "Bygdegården behöver ett nytt tak"]
    for text in notes:
        send_note(phone, text)

    saved = phone.locator("#my-notes-list li .saved")
    expect(saved).to_have_count(2)
    expect(saved.first).to_contain_text(SAVED)
    expect(phone.locator("#my-notes-list li .pending")).to_have_count(0)
    expect(phone.locator("#my-notes-list .note-text")).to_have_text(notes)
    assert "sent=1" not in phone.url, "with JavaScript the note goes by fetch, without reloading the page"

    leader.goto(f"/leader/cafes/{cafe.cafe_id}")
    for text in notes:
        expect(leader.locator("main .notes .note-text", has_text=text)).to_have_count(1)


def test_without_javascript_the_form_posts_and_the_note_shows_as_saved(site, leader, new_page):
    cafe = site.cafe(phase="round")
    address = scan_card(leader, cafe.cafe_id, index=1)
    assert address == site.url(f"/t/{cafe.tables[1].join_token}")

    phone = new_page("phone", java_script_enabled=False)
    phone.goto(address)
    send_note(phone, "Skolan måste finnas kvar i byn")

    phone.wait_for_url("**/t/*?sent=1*")
    expect(phone.locator(".notice.ok[role=status]")).to_be_visible()
    item = phone.locator("#my-notes-list li")
    expect(item).to_have_count(1)
    expect(item.locator(".note-text")).to_have_text("Skolan måste finnas kvar i byn")
    expect(item.locator(".saved")).to_contain_text(SAVED)

    phone.reload()  # the redirect means a reload never posts the note twice
    expect(phone.locator("#my-notes-list li")).to_have_count(1)


MEASURED_TYPES = ("document", "stylesheet", "script")


def test_page_weight_of_the_phone_page(site, new_page, capsys):
    """Bytes a phone downloads for its table page with its CSS and JS, on a cold cache.
    Reported, not asserted: village halls have weak signal, so watch the number grow."""
    cafe = site.cafe(phase="round")
    path = f"/t/{cafe.tables[0].join_token}"
    phone = new_page("phone")
    requests = []
    phone.on("request", lambda request: requests.append(request))
    phone.goto(path, wait_until="load")

    resources = []
    for request in requests:
        if request.resource_type not in MEASURED_TYPES:
            continue  # the event stream never ends, and the favicon is not the page
        sizes = request.sizes()
        body = request.response().body()
        resources.append({
            "path": request.url.removeprefix(site.base_url).replace(cafe.tables[0].join_token, "<token>"),
            "type": request.resource_type,
            "transferred_bytes": sizes["responseHeadersSize"] + sizes["responseBodySize"],
            "body_bytes": len(body),
        })
    assert {r["type"] for r in resources} == set(MEASURED_TYPES)
    total = sum(r["transferred_bytes"] for r in resources)
    report = {
        "page": "/t/<token>",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "viewport": "360x740 phone, cold cache, no compression",
        "total_transferred_bytes": total,
        "total_body_bytes": sum(r["body_bytes"] for r in resources),
        "resources": resources,
    }
    (VAR / "bench").mkdir(parents=True, exist_ok=True)
    (VAR / "bench" / "page_weight.json").write_text(json.dumps(report, indent=2) + "\n")
    with capsys.disabled():
        lines = [f"    {r['transferred_bytes']:>7,} B  {r['path']}" for r in resources]
        print(f"\nPhone page weight: {total:,} bytes transferred\n" + "\n".join(lines))
