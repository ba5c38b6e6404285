"""WCAG 2.1 A and AA on every page, checked by axe-core in Chromium; every page at 320 px with
text at 200 % without sideways scrolling; and 44 px tap targets on the phone pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from facilitation.notes import new_client_id
from tests.browser.conftest import add_axe

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# Each page: how to get there (test data, then the path) -> path. `site` puts data in the
# database, `page` is the browser tab that will open the path (for data only a browser makes).

def participant_in_round_with_notes(site, page: Page) -> str:
    token = site.cafe(phase="round").tables[0].join_token
    page.goto(f"/t/{token}")
    for text in ("Bussen måste gå oftare", "En lekplats vid skolan\nmed gungor"):
        sent = page.request.post(f"/api/v1/tables/{token}/notes", data={"client_id": new_client_id(), "text": text})
        assert sent.ok, sent.text()
    return f"/t/{token}"


def participant_between_rounds(site, page: Page) -> str:
    return f"/t/{site.cafe(phase='open').tables[0].join_token}"


def host_in_round_with_notes(site, page: Page) -> str:
    table = site.cafe(phase="round").tables[0]
    site.host_notes(table, ["Fler bussar på kvällen", "Bredband till alla gårdar"])
    return f"/h/{table.host_token}"  # the paper-card form is in a <details>, which run_axe opens


def cafe_in_round_with_notes(site, page: Page):
    cafe = site.cafe(phase="round")
    site.host_notes(cafe.tables[0], ["Personnummer hör inte hit", "Mer kollektivtrafik"], hide_first=True)
    return cafe


def closed_cafe(site, page: Page):
    cafe = site.cafe(phase="round")
    page.goto(f"/t/{cafe.tables[0].join_token}")
    page.fill("#text", "Halvskriven tanke")
    site.act(cafe, "close")
    page.locator("#unsent").wait_for()  # the page has followed the close by itself
    return cafe


def vote_page(site, page: Page) -> str:
    token = site.harvest().cafe.tables[0].join_token
    page.goto(f"/t/{token}")  # sit down at the table first
    return f"/t/{token}/vote"


def api_keys_one_revoked(site, page: Page) -> str:
    page.goto("/leader/api-keys")
    for name in ("Ärendesystemet i Storsjö kommun", "Kartan"):
        page.fill("#name", name)
        page.click("form[action='/leader/api-keys'] button")
    page.click("form[action$='/revoke'] button >> nth=0")
    return "/leader/api-keys"


# Add new pages here: (name, context, path function). Contexts: "phone" and "desktop" are
# anonymous; "leader" is the desktop logged in as a process leader.
PAGES = [
    ("start", "phone", lambda site, page: "/"),
    ("code", "phone", lambda site, page: "/k"),
    ("code with error", "phone", lambda site, page: "/k/FEL123"),
    ("participant, café not open yet", "phone", lambda site, page: f"/t/{site.cafe().tables[0].join_token}"),
    ("participant, round with notes", "phone", participant_in_round_with_notes),
    ("participant, between rounds", "phone", participant_between_rounds),
    ("participant, café closed with text not sent", "phone",
     lambda site, page: f"/t/{closed_cafe(site, page).tables[0].join_token}"),
    ("host with paper-card form", "phone", host_in_round_with_notes),
    ("login", "desktop", lambda site, page: "/login"),
    ("setup", "desktop", lambda site, page: site.setup_link()),
    ("accessibility statement", "phone", lambda site, page: "/tillganglighet"),
    ("about", "phone", lambda site, page: "/om"),
    ("error 404", "phone", lambda site, page: "/finns-inte"),
    ("leader: processes", "leader", lambda site, page: "/leader"),
    ("leader: new process", "leader", lambda site, page: "/leader/processes/new"),
    ("leader: API keys", "leader", api_keys_one_revoked),
    ("leader: process", "leader", lambda site, page: f"/leader/processes/{site.cafe().process_id}"),
    ("leader: new café", "leader", lambda site, page: f"/leader/processes/{site.cafe().process_id}/cafes/new"),
    ("leader: edit café", "leader", lambda site, page: f"/leader/cafes/{site.cafe().cafe_id}/edit"),
    ("leader: run café", "leader", lambda site, page: f"/leader/cafes/{cafe_in_round_with_notes(site, page).cafe_id}"),
    ("leader: end a round early?", "leader",
     lambda site, page: f"/leader/cafes/{site.cafe(phase='round').cafe_id}?confirm=end_round"),
    ("leader: close confirmation", "leader", lambda site, page: f"/leader/cafes/{site.cafe(phase='round').cafe_id}/close"),
    ("leader: closed café, reopened", "leader",
     lambda site, page: f"/leader/cafes/{site.act(site.act(site.cafe(phase='open'), 'close'), 'reopen').cafe_id}"),
    ("leader: table cards", "leader", lambda site, page: f"/leader/cafes/{site.cafe().cafe_id}/cards"),
    ("leader: wall, round", "leader",
     lambda site, page: f"/leader/cafes/{cafe_in_round_with_notes(site, page).cafe_id}/wall"),
    ("leader: wall, harvest", "leader", lambda site, page: f"/leader/cafes/{site.harvest().cafe.cafe_id}/wall"),
    ("leader: café themes", "leader", lambda site, page: f"/leader/cafes/{site.harvest().cafe.cafe_id}/themes"),
    ("leader: café themes, asking before finding them again", "leader",
     lambda site, page: f"/leader/cafes/{site.harvest().cafe.cafe_id}/themes?confirm_run=3"),
    ("leader: café themes, no notes yet", "leader",
     lambda site, page: f"/leader/cafes/{site.cafe(phase='round').cafe_id}/themes"),
    ("leader: process themes, none yet", "leader",
     lambda site, page: f"/leader/processes/{site.cafe().process_id}/themes"),
    ("leader: theme for the plan", "leader",
     lambda site, page: (h := site.harvest()) and f"/leader/cafes/{h.cafe.cafe_id}/themes/{h.theme_id}/plan"),
    ("leader: plan categories", "leader", lambda site, page: f"/leader/processes/{site.cafe().process_id}/categories"),
    ("leader: departments", "leader", lambda site, page: f"/leader/processes/{site.cafe().process_id}/departments"),
    ("leader: feedback poster", "leader",
     lambda site, page: f"/leader/cafes/{site.harvest().cafe.cafe_id}/feedback-poster"),
    ("leader: exports", "leader", lambda site, page: f"/leader/processes/{site.cafe().process_id}/exports"),
    ("leader: delete café data", "leader", lambda site, page: f"/leader/cafes/{site.cafe().cafe_id}/delete"),
    ("participant: vote", "phone", vote_page),
    ("participant, harvest with vote open", "phone", lambda site, page: f"/t/{site.harvest().cafe.tables[0].join_token}"),
    ("public: process dashboard", "phone", lambda site, page: f"/p/{site.harvest().cafe.process_id}"),
    ("public: village", "phone",
     lambda site, page: (h := site.harvest()) and f"/p/{h.cafe.process_id}/by/{h.cafe.cafe_id}"),
    ("public: organisation", "phone", lambda site, page: f"/o/{site.harvest().organisation_id}"),
]
PHONE_PAGES = [entry for entry in PAGES if entry[1] == "phone"]


def open_page(new_page, site, kind, path_for, **context) -> Page:
    page = new_page(kind, **context)
    path = path_for(site, page)
    response = page.goto(path)
    assert response.ok or path == "/finns-inte" or path.startswith("/k/"), f"{path}: HTTP {response.status}"
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # check folded parts too
    return page


def run_axe(page: Page) -> list[dict]:
    add_axe(page)
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations)",
        WCAG_21_AA,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}  {node['html'][:120]}")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "kind", "path_for"), PAGES, ids=[p[0] for p in PAGES])
def test_page_meets_wcag_21_aa(site, new_page, name, kind, path_for):
    page = open_page(new_page, site, kind, path_for)
    violations = run_axe(page)
    assert not violations, f"{name} ({page.url}):\n{describe(violations)}"


def test_the_check_finds_a_field_without_a_label(site, phone):
    """The check itself works: axe is loaded, runs the WCAG rules, and reports what it finds."""
    phone.goto("/")
    phone.evaluate("document.querySelector('label[for=code]').remove()")
    assert "label" in {v["id"] for v in run_axe(phone)}


def at_320_px_with_200_percent_text(new_page, site, kind, path_for) -> Page:
    page = open_page(new_page, site, kind, path_for, viewport={"width": 320, "height": 640})
    # Like the phone's larger-text setting: the site sizes text in rem, so this scales it all.
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    return page


@pytest.mark.parametrize(("name", "kind", "path_for"), PAGES, ids=[p[0] for p in PAGES])
def test_page_reflows_at_320_px_with_200_percent_text(site, new_page, name, kind, path_for):
    """WCAG 1.4.4 and 1.4.10: larger text on a small screen, and no scrolling sideways."""
    page = at_320_px_with_200_percent_text(new_page, site, kind, path_for)
    scroll, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert scroll <= client + 1, f"{name}: scrolls sideways ({scroll} px wide in {client} px): " + ", ".join(
        page.evaluate(TOO_WIDE)
    )


TOO_WIDE = """() => {
  // Elements, and text that overflows its element (a long Swedish compound), past the right edge.
  const edge = document.scrollingElement.clientWidth + 1, range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), wide = [];
  for (let node; (node = walker.nextNode());) {
    range.selectNodeContents(node);
    if (node.textContent.trim() && range.getBoundingClientRect().right > edge) wide.push(node.parentElement);
  }
  const describe = el => `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}`;
  return [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > edge)
    .map(el => `${describe(el)} to ${Math.round(el.getBoundingClientRect().right)} px`)
    .concat(wide.map(el => `text in ${describe(el)}: "${el.textContent.trim().slice(0, 40)}"`)).slice(0, 8);
}"""

# Tap targets: WCAG 2.5.5 (44 x 44 CSS px), which cold hands in a village hall need. Inline
# links in running text are exempt; they are listed, not failed.
CONTROLS = """() => {
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const name = el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} `
    + `"${(el.textContent || el.name || '').trim().slice(0, 30)}"`;
  return [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, summary, main a[href]')]
    .filter(shown).map(el => {
      const r = el.getBoundingClientRect(), p = el.tagName === 'A' && el.closest('p');
      return {name: name(el), width: Math.round(r.width), height: Math.round(r.height), button: el.tagName === 'BUTTON',
              inline: !!p && p.textContent.trim() !== el.textContent.trim()};
    });
}"""


@pytest.mark.parametrize(("name", "kind", "path_for"), PHONE_PAGES, ids=[p[0] for p in PHONE_PAGES])
def test_phone_page_tap_targets_at_320_px_with_200_percent_text(site, new_page, name, kind, path_for, capsys):
    page = at_320_px_with_200_percent_text(new_page, site, kind, path_for)
    controls = page.evaluate(CONTROLS)
    inline = [c for c in controls if c["inline"]]
    small = [c for c in controls if not c["inline"] and (c["height"] < 44 or (c["button"] and c["width"] < 44))]
    if inline:
        with capsys.disabled():
            print(f"\n{name}: inline links (exempt from 44 px): " + ", ".join(c["name"] for c in inline))
    assert not small, f"{name}: targets under 44 px: " + "; ".join(
        f"{c['name']} {c['width']}x{c['height']}" for c in small
    )
