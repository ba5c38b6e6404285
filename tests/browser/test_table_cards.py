"""The printed table cards: every QR code on the A4 pages decodes (read by zbar) to its table's
join link or host link, table QR codes are centred, host cards fit the printable width and carry
the host link as a typed fallback."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

pytestmark = pytest.mark.browser

# A4 is 210 mm wide; the cards print with 15 mm margins (@page in site.css): 180 mm at 96 px/inch.
PRINTABLE_WIDTH = round(180 / 25.4 * 96)  # 680 CSS px


def test_printed_cards_decode_to_every_table_and_host_link_and_fit_the_page(site, new_page):
    cafe = site.cafe(tables=3)
    leader = new_page("leader", viewport={"width": PRINTABLE_WIDTH, "height": 1000})
    leader.goto(f"/leader/cafes/{cafe.cafe_id}/cards")
    leader.emulate_media(media="print")
    leader.evaluate("Promise.all([...document.images].map(img => img.decode()))")  # painted, not just laid out

    shot = Image.open(io.BytesIO(leader.screenshot(full_page=True)))
    found = sorted(code.data.decode() for code in decode(shot))
    expected = sorted([site.url(f"/t/{t.join_token}") for t in cafe.tables]
                      + [site.url(f"/h/{t.host_token}") for t in cafe.tables])
    assert found == expected

    for card in leader.locator(".table-card").all():
        box, qr = card.bounding_box(), card.locator("img").bounding_box()
        assert abs((qr["x"] + qr["width"] / 2) - (box["x"] + box["width"] / 2)) <= 2, "QR code not centred"
    hosts = leader.locator(".host-card").all()
    assert len(hosts) == 3
    for table, card in zip(cafe.tables, hosts):
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PRINTABLE_WIDTH, f"host card {box} outside the page"
        assert site.url(f"/h/{table.host_token}") in card.inner_text()  # typed fallback address

    pdf = leader.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= len(cafe.tables) + 1  # a page per table card, then the host cards
