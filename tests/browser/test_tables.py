"""Tables and lists on a 320 px screen, in Chromium: words in a cell wrap only between words, a
wide table scrolls sideways in its own box (with a shadow at the edge that has more), its title is
whole on the screen, and a list's bullet stands at the first line of a link that wraps."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from app.settings import ROOT
from tests.browser.test_village_map import dashboard  # noqa: F401  (a published process with villages on the map)

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"

# Words (runs without a space) whose letters stand on more than one line.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""

# Each scrolling box: is its table wider than the box, and does the box draw edge shadows.
SCROLL_BOXES = """() => [...document.querySelectorAll('.table-scroll')].map(box => ({
  overflows: box.scrollWidth > box.clientWidth + 1,
  shadows: (getComputedStyle(box).backgroundImage.match(/radial-gradient/g) || []).length,
}))"""


def at_320_px(new_page, kind: str, path: str) -> Page:
    page = new_page(kind, viewport={"width": 320, "height": 640})
    page.goto(path)
    return page


def assert_tables_scroll_and_keep_words_whole(page: Page, name: str) -> None:
    broken = page.evaluate(BROKEN_WORDS, "main table :is(th, td)")
    assert not broken, f"{name}: words broken across lines in a table: {broken}"
    scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll <= client + 1, f"{name}: the whole page scrolls sideways"
    boxes = page.evaluate(SCROLL_BOXES)
    assert any(box["overflows"] for box in boxes), f"{name}: no table is wider than 320 px, so this proves nothing"
    assert all(box["shadows"] == 2 for box in boxes), f"{name}: a scrolling box shows no edge shadow"


def test_public_tables_keep_words_whole_and_scroll_in_their_box(new_page, dashboard):  # noqa: F811
    process_id, _ = dashboard
    page = at_320_px(new_page, "phone", f"/p/{process_id}")
    assert_tables_scroll_and_keep_words_whole(page, "public page")
    # The table's title is outside the scrolling box: every word of it on the screen.
    for title in page.locator(".table-title").all():
        box = title.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, title.text_content()
        assert title.evaluate("t => t.nextElementSibling.getAttribute('aria-labelledby')") == title.get_attribute("id")
    assert page.locator("#reach-table").get_attribute("aria-labelledby") == "reach-table-title"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section[aria-labelledby=map-heading]").screenshot(path=str(SCREENSHOTS / "tables-public-320.png"))


def test_leader_process_and_exports_tables_keep_words_whole_and_scroll_in_their_box(site, new_page):
    cafe = site.cafe()
    for path in (f"/leader/processes/{cafe.process_id}", f"/leader/processes/{cafe.process_id}/exports"):
        page = at_320_px(new_page, "leader", path)
        assert_tables_scroll_and_keep_words_whole(page, path)
    page.locator("#cafes-heading + .table-scroll").screenshot(path=str(SCREENSHOTS / "tables-exports-320.png"))


def test_a_bullet_stands_at_the_first_line_of_a_link_that_wraps(site, new_page):
    cafe = site.cafe()
    page = at_320_px(new_page, "leader", f"/leader/processes/{cafe.process_id}/exports")
    link = page.locator("a[href$='export.redogorelse.docx']").first
    # A list item's bullet stands on its first line box, like a (zero-width) word put before the link.
    first_line, link_top, probe = link.evaluate("""a => {
      const probe = document.createElement('span'); probe.textContent = '\u200b';
      a.before(probe);
      const range = document.createRange(); range.selectNodeContents(a);
      const lines = [...range.getClientRects()], at = probe.getBoundingClientRect();
      probe.remove();
      return [lines.length, lines[0].bottom, at.bottom];
    }""")
    assert first_line > 1, "the link does not wrap at 320 px, so this proves nothing"
    assert abs(probe - link_top) < 4, f"the bullet is {probe - link_top:.0f} px below the link's first line"
