"""The villages' map on the public dashboard, in Chromium: drawn, clickable, WCAG 2.1 AA by axe,
usable at 320 px with text at 200 %; and a screenshot for a person to look at
(var/screenshots/village-map-*.png)."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlmodel import select

from app.models import CafeTable, Process, User
from app.services import cafes as cafe_service
from app.services import publishing as publishing_service
from app.settings import ROOT
from facilitation.process import RoundPlan
from tests.app.test_planning import add_notes, add_phones, add_theme
from tests.browser.test_accessibility import CONTROLS, TOO_WIDE, describe, run_axe
from tests.builders import CafeSetup

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
# Two real municipalities in Västerbotten, so borders are drawn: (village, municipality, lat, lon, people, phones)
VILLAGES = [
    ("Bastuträsk", "Norsjö kommun", 64.789, 20.036, 640, 32),
    ("Kusfors", "Norsjö kommun", 64.938, 19.867, 85, 3),  # too few to show
    ("Adak", "Malå kommun", 65.333, 18.600, 120, 14),
    ("Rentjärn", "Malå kommun", None, None, 60, 9),  # no location: in the text, not on the map
]


@pytest.fixture(scope="module")
def dashboard(site) -> tuple[int, list[int]]:
    with site.session() as session:
        leader = session.get(User, site.leader_id)
        process = cafe_service.save_process(
            session, user=leader, name="Landsbygdsdialog Norsjö och Malå", municipalities="Norsjö kommun, Malå kommun",
            plan="Fördjupad översiktsplan", participation_level="consultation", description="",
        )
        cafe_ids = []
        for number, (village, municipality, lat, lon, people, phones) in enumerate(VILLAGES):
            cafe = cafe_service.create_cafe(
                session, process=process, village=village, venue="Bygdegården", on=date(2026, 3, 10 + number),
                table_count=2, rounds=[RoundPlan("Vad är bra här?", 20)], municipality=municipality,
            )
            cafe.latitude, cafe.longitude, cafe.population = lat, lon, people
            session.add(cafe)
            session.commit()
            tables = list(session.exec(select(CafeTable).where(CafeTable.cafe_id == cafe.id)))
            setup = CafeSetup(cafe_id=cafe.id, process_id=process.id, tables=tables)
            add_phones(session, setup, phones)
            add_theme(session, setup, add_notes(session, setup, [f"Bussen i {village} {i}" for i in range(phones + 2)]))
            cafe_ids.append(cafe.id)
        publishing_service.set_published(session, process=session.get(Process, process.id), published=True)
        return process.id, cafe_ids


def test_the_map_is_drawn_and_meets_wcag_21_aa(new_page, dashboard, capsys):
    process_id, cafe_ids = dashboard
    page = new_page("desktop")
    started = time.perf_counter()
    page.goto(f"/p/{process_id}")
    page.locator("svg.village-map").wait_for()
    loaded = time.perf_counter() - started
    drawn = page.locator("svg.village-map")
    assert drawn.get_attribute("role") == "img"
    assert page.locator("svg.village-map > title").text_content() == "Karta över byarna där kaféerna hölls"
    assert drawn.locator("path").count() == 2  # Norsjö and Malå
    assert drawn.locator("circle").count() == 3
    box = drawn.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    assert page.locator("#map-table tbody tr").count() == 3
    assert "Rentjärn" in page.locator("text=Inte med på kartan").text_content()
    violations = run_axe(page)
    assert not violations, describe(violations)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section[aria-labelledby=map-heading]").screenshot(path=str(SCREENSHOTS / "village-map-desktop.png"))
    timing = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                           " return [n.responseEnd - n.requestStart, n.loadEventEnd - n.startTime]; })()")
    with capsys.disabled():
        print(f"\n/p/{process_id} with the map: server answered in {timing[0]:.0f} ms, page loaded in "
              f"{timing[1]:.0f} ms, map visible after {loaded * 1000:.0f} ms (shared machine, noisy)")


def test_a_village_on_the_map_opens_its_page(new_page, dashboard):
    process_id, cafe_ids = dashboard
    page = new_page("desktop")
    page.goto(f"/p/{process_id}")
    page.locator(f'svg.village-map-links a[href="/p/{process_id}/by/{cafe_ids[2]}"]').click()
    page.wait_for_url(f"**/p/{process_id}/by/{cafe_ids[2]}")
    assert "Adak" in page.locator("h1").text_content()
    assert page.locator("dt:text-is('Invånare') + dd").text_content() == "120"


def test_the_map_fits_a_small_phone_with_large_text(new_page, dashboard):
    process_id, _ = dashboard
    page = new_page("phone", viewport={"width": 320, "height": 640})
    page.goto(f"/p/{process_id}")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll <= client + 1, page.evaluate(TOO_WIDE)
    small = [c for c in page.evaluate(CONTROLS) if not c["inline"] and (c["height"] < 44 or c["width"] < 44)
             and c["name"].startswith("a")]
    assert not small, small
    assert not run_axe(page)
    page.locator("section[aria-labelledby=map-heading]").screenshot(path=str(SCREENSHOTS / "village-map-phone.png"))


def test_the_leaders_villages_page_meets_wcag_21_aa(new_page, dashboard):
    process_id, _ = dashboard
    page = new_page("leader")
    page.goto(f"/leader/processes/{process_id}/villages")
    page.set_input_files("#file", files=[{"name": "byar.csv", "mimeType": "text/csv",
                                          "buffer": b"by;latitud;longitud\nAdak;95;18,6\n"}])
    page.click("main form button[type=submit]")
    assert "Rad 2: Latitud" in page.locator("#import-error").text_content()
    violations = run_axe(page)
    assert not violations, describe(violations)
