"""The participant and public pages in Finnish, whose words run longer than Swedish ones: WCAG
2.1 AA by axe-core, and at 320 px with text at 200 % without sideways scrolling."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import (
    PHONE_PAGES, TOO_WIDE, at_320_px_with_200_percent_text, describe, open_page, run_axe,
)

pytestmark = pytest.mark.browser


def in_finnish(path_for):
    """The page as a phone that chose Finnish earlier sees it: by the remembered `lang` cookie."""
    def path(site, page):
        page.context.add_cookies([{"name": "lang", "value": "fi", "url": site.base_url}])
        return path_for(site, page)
    return path


FINNISH_PAGES = [(name, kind, in_finnish(path_for)) for name, kind, path_for in PHONE_PAGES]


@pytest.mark.parametrize(("name", "kind", "path_for"), FINNISH_PAGES, ids=[p[0] for p in FINNISH_PAGES])
def test_finnish_page_meets_wcag_21_aa_and_reflows_at_320_px(site, new_page, name, kind, path_for):
    page = at_320_px_with_200_percent_text(new_page, site, kind, path_for)
    assert page.evaluate("document.documentElement.lang") == "fi"
    scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll <= client + 1, f"{name}: scrolls sideways ({scroll} px wide in {client} px): " + ", ".join(
        page.evaluate(TOO_WIDE)
    )
    violations = run_axe(page)
    assert not violations, f"{name} ({page.url}):\n{describe(violations)}"


def test_the_phone_keeps_the_language_chosen_in_the_header(site, new_page):
    page = open_page(new_page, site, "phone", lambda site, page: f"/t/{site.cafe(phase='round').tables[0].join_token}")
    page.get_by_role("navigation", name="Språk").get_by_role("link", name="Suomi").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "fi"
    assert page.get_by_role("button", name="Lähetä kommentti").is_visible()
    page.goto(page.url.split("?")[0])  # the address without ?lang=: the cookie remembers
    assert page.evaluate("document.documentElement.lang") == "fi"
