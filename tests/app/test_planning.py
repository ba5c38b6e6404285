"""The planner's screens: plan categories, a theme's category, department and response."""

import json
import secrets

import pytest
from sqlmodel import select

from app.models import (
    Cafe, CurationEvent, Note, Participant, PlanCategory, Process, Round, Theme, ThemeNote, ThemeResponse, utcnow,
)
from app.services import planning
from app.services import categories as category_service
from app.services import responses as response_service
from app.services.themes import Scope
from facilitation.categories import DEFAULT_CATEGORIES
from app.services import cafes as cafe_service
from facilitation.process import RoundPlan
from tests.builders import log_in, make_cafe, make_leader



@pytest.fixture(autouse=True)
def english(client):
    """These tests read the planner's screens in English (message ids); Swedish is tested elsewhere."""
    client.headers["Accept-Language"] = "en"


BUS_NOTES = ["Bussen går för sällan", "Fler bussturer till stan", "Kollektivtrafiken måste bli bättre"]


# --- builders for themes without running the theme engine -----------------------------------

def add_notes(session, setup, texts, *, hidden=False) -> list[Note]:
    round_id = session.exec(select(Round.id).where(Round.cafe_id == setup.cafe_id)).first()
    notes = [
        Note(cafe_id=setup.cafe_id, table_id=setup.tables[0].id, round_id=round_id, source="host",
             client_id=secrets.token_hex(8), text=text, hidden_at=utcnow() if hidden else None)
        for text in texts
    ]
    session.add_all(notes)
    session.commit()
    return notes


def add_phones(session, setup, count) -> None:
    session.add_all(
        Participant(cafe_id=setup.cafe_id, device_key=secrets.token_hex(8), pseudonym=f"p{i}", table_id=setup.tables[0].id)
        for i in range(count)
    )
    session.commit()


def add_theme(session, setup, notes, *, label="Bussarna", keywords=("buss", "kollektivtrafik"), cafe=True, key=None) -> Theme:
    theme = Theme(
        process_id=setup.process_id, cafe_id=setup.cafe_id if cafe else None, key=key or secrets.token_hex(6),
        label=label, keywords=json.dumps(list(keywords)), quotes=json.dumps([n.id for n in notes[:2]]),
    )
    session.add(theme)
    session.flush()
    session.add_all(ThemeNote(theme_id=theme.id, note_id=n.id) for n in notes)
    session.commit()
    return theme


def bus_theme(session, setup, **kwargs) -> Theme:
    return add_theme(session, setup, add_notes(session, setup, BUS_NOTES), **kwargs)


def board(setup) -> str:
    return f"/leader/cafes/{setup.cafe_id}/themes"


# --- categories ------------------------------------------------------------------------------

def test_a_process_gets_the_default_categories_when_it_has_none(session):
    setup = make_cafe(session, make_leader(session))
    process = session.get(Process, setup.process_id)
    assert [c.name for c in category_service.categories_of(session, process)] == list(DEFAULT_CATEGORIES)
    assert len(category_service.categories_of(session, process)) == 10  # created once


def test_the_leader_adds_renames_reorders_and_removes_categories(client, session):
    setup = make_cafe(session, make_leader(session))
    csrf = log_in(client)
    page = client.get(f"/leader/processes/{setup.process_id}/categories")
    assert page.status_code == 200 and "Kulturmiljö" in page.text
    base = f"/leader/processes/{setup.process_id}/categories"

    assert client.post(base, data={"name": "Turism", "csrf_token": csrf}, follow_redirects=False).status_code == 303
    turism = session.exec(select(PlanCategory).where(PlanCategory.name == "Turism")).one()
    client.post(f"{base}/{turism.id}/rename", data={"name": "Turism och besöksnäring", "csrf_token": csrf})
    client.post(f"{base}/{turism.id}/move", data={"direction": "up", "csrf_token": csrf})
    session.expire_all()
    names = [c.name for c in session.exec(select(PlanCategory).order_by(PlanCategory.position))]
    assert names[-2:] == ["Turism och besöksnäring", DEFAULT_CATEGORIES[-1]]

    duplicate = client.post(base, data={"name": "kulturmiljö", "csrf_token": csrf})
    assert "There is already a plan category with that name." in duplicate.text

    client.post(f"{base}/{turism.id}/delete", data={"csrf_token": csrf})
    assert session.exec(select(PlanCategory).where(PlanCategory.id == turism.id)).first() is None


def test_a_category_a_theme_is_placed_under_cannot_be_removed(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    csrf = log_in(client)
    client.get(board(setup) + f"/{theme.id}/plan")
    category = session.exec(select(PlanCategory).where(PlanCategory.name == DEFAULT_CATEGORIES[1])).one()
    client.post(board(setup) + f"/{theme.id}/category", data={"category": category.id, "csrf_token": csrf})
    removed = client.post(f"/leader/processes/{setup.process_id}/categories/{category.id}/delete", data={"csrf_token": csrf})
    assert "Themes are placed under this plan category." in removed.text
    assert session.get(PlanCategory, category.id) is not None


def test_the_planners_page_of_a_theme_shows_its_summary_and_where_to_write_it(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    csrf = log_in(client)
    assert "No summary yet." in client.get(board(setup) + f"/{theme.id}/plan").text

    client.post(board(setup) + f"/{theme.id}/summary",
                data={"csrf_token": csrf, "summary": "Bussen ska gå varje timme <även> på kvällen."})
    page = client.get(board(setup) + f"/{theme.id}/plan").text
    assert '<p class="summary">Bussen ska gå varje timme &lt;även&gt; på kvällen.</p>' in page
    assert "written by a person" in page
    assert f'href="{board(setup)}?open={theme.id}#summary-{theme.id}"' in page
    assert f'id="summary-{theme.id}"' in client.get(board(setup) + f"?open={theme.id}").text  # where the link goes


# --- a theme's category ------------------------------------------------------------------------

def test_a_bus_theme_is_suggested_kommunikationer_and_a_person_confirms_it(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    csrf = log_in(client)

    page = client.get(board(setup) + f"/{theme.id}/plan")
    session.refresh(theme)
    kommunikationer = session.get(PlanCategory, theme.category_id)
    assert kommunikationer.name == DEFAULT_CATEGORIES[1] and not theme.category_confirmed
    assert f'<option value="{kommunikationer.id}" selected>{kommunikationer.name} (suggested)</option>' in page.text
    assert "Confirm category" in page.text

    client.post(board(setup) + f"/{theme.id}/category", data={"category": kommunikationer.id, "csrf_token": csrf})
    session.refresh(theme)
    assert theme.category_id == kommunikationer.id and theme.category_confirmed
    assert "(suggested)" not in client.get(board(setup) + f"/{theme.id}/plan").text


def test_a_person_changes_the_category_and_a_confirmed_one_is_not_suggested_over(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    csrf = log_in(client)
    client.get(board(setup) + f"/{theme.id}/plan")
    service = session.exec(select(PlanCategory).where(PlanCategory.name == DEFAULT_CATEGORIES[2])).one()
    response = client.post(
        board(setup) + f"/{theme.id}/category", data={"category": service.id, "csrf_token": csrf, "back": "board"},
        follow_redirects=False,
    )
    assert response.headers["location"] == board(setup) + f"?open={theme.id}#theme-{theme.id}"  # the theme open
    session.expire_all()
    assert planning.suggest_categories(session, Scope(setup.process_id, setup.cafe_id)) == 0
    session.refresh(theme)
    assert theme.category_id == service.id and theme.category_confirmed


def test_no_plan_category_can_be_chosen(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    csrf = log_in(client)
    client.post(board(setup) + f"/{theme.id}/category", data={"category": "none", "csrf_token": csrf})
    session.refresh(theme)
    assert theme.category_id is None and theme.category_confirmed


def test_a_category_decision_is_a_curation_step_that_undo_takes_back(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup, key="bus")
    csrf = log_in(client)
    client.post(board(setup) + f"/{theme.id}/category", data={"category": "none", "csrf_token": csrf})
    assert "category" in client.get(board(setup)).text  # in the curation log
    client.post(board(setup) + "/undo", data={"csrf_token": csrf})
    session.expire_all()
    restored = session.exec(select(Theme).where(Theme.key == "bus")).one()
    assert not restored.category_confirmed


# --- departments --------------------------------------------------------------------------------

def test_themes_and_notes_passed_on_appear_on_the_department_list(client, session):
    setup = make_cafe(session, make_leader(session))
    school_notes = add_notes(session, setup, ["Skolmaten är dålig", "Fler lärare på fritids"])
    theme = add_theme(session, setup, school_notes, label="Skolmaten", keywords=("skolmat",))
    bus = bus_theme(session, setup)
    csrf = log_in(client)

    client.post(board(setup) + f"/{theme.id}/department", data={"department": " Skola  och förskola ", "csrf_token": csrf})
    note = session.exec(select(Note).where(Note.text == BUS_NOTES[0])).one()
    client.post(board(setup) + f"/{bus.id}/notes/{note.id}/department",
                data={"department": "Regionen (kollektivtrafik, vård)", "csrf_token": csrf})

    page = client.get(f"/leader/processes/{setup.process_id}/departments")
    assert page.status_code == 200
    assert "Skola och förskola" in page.text and "Skolmaten" in page.text
    assert "Regionen (kollektivtrafik, vård)" in page.text and BUS_NOTES[0] in page.text
    assert '<option value="Skola och förskola">' in client.get(board(setup) + f"/{bus.id}/plan").text  # suggested

    client.post(board(setup) + f"/{theme.id}/department", data={"department": "", "csrf_token": csrf})
    session.refresh(theme)
    assert theme.department is None


# --- responses ----------------------------------------------------------------------------------

def test_responses_keep_their_history_and_the_newest_is_current(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    csrf = log_in(client)
    url = board(setup) + f"/{theme.id}/response"
    client.post(url, data={"status": "received", "text": "Tack, vi har tagit emot det.", "csrf_token": csrf})
    client.post(url, data={"status": "in_plan", "text": "Ny busslinje i planförslaget.", "csrf_token": csrf, "back": "plan"})

    current = response_service.current_responses(session, setup.process_id)
    assert current[(setup.cafe_id, theme.key)].status == "in_plan"
    history = response_service.response_history(session, process_id=setup.process_id, cafe_id=setup.cafe_id, theme_key=theme.key)
    assert [r.status for r in history] == ["in_plan", "received"]
    page = client.get(board(setup) + f"/{theme.id}/plan").text
    assert "Tack, vi har tagit emot det." in page and "Ny busslinje i planförslaget." in page


def test_not_in_the_plan_needs_a_reason(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    csrf = log_in(client)
    refused = client.post(board(setup) + f"/{theme.id}/response",
                          data={"status": "not_in_plan", "text": "  ", "csrf_token": csrf})
    assert "a reason is required" in refused.text
    assert session.exec(select(ThemeResponse)).first() is None
    client.post(board(setup) + f"/{theme.id}/response",
                data={"status": "not_in_plan", "text": "Regionen beslutar om busstrafiken.", "csrf_token": csrf})
    assert session.exec(select(ThemeResponse)).one().status == "not_in_plan"


def test_an_unknown_status_is_refused(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    csrf = log_in(client)
    refused = client.post(board(setup) + f"/{theme.id}/response", data={"status": "done", "csrf_token": csrf})
    assert "Choose a status for the response." in refused.text


# --- quotes, publishing, the poster -------------------------------------------------------------

def test_the_leader_approves_and_withdraws_a_quote(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    note = session.exec(select(Note).where(Note.text == BUS_NOTES[0])).one()
    csrf = log_in(client)
    url = board(setup) + f"/{theme.id}/quotes/{note.id}"
    client.post(url, data={"approved": "true", "csrf_token": csrf})
    session.refresh(theme)
    assert json.loads(theme.public_quotes) == [note.id]
    assert "Withdraw from public pages" in client.get(board(setup) + f"/{theme.id}/plan").text
    client.post(url, data={"approved": "false", "csrf_token": csrf})
    session.refresh(theme)
    assert json.loads(theme.public_quotes) == []
    log = [e.detail for e in session.exec(select(CurationEvent).order_by(CurationEvent.id))][-2:]
    assert log == [f"Bussarna: + ”{BUS_NOTES[0]}”", f"Bussarna: − ”{BUS_NOTES[0]}”"]  # which quote, in words


def test_a_hidden_note_cannot_be_approved_as_a_quote(client, session):
    setup = make_cafe(session, make_leader(session))
    notes = add_notes(session, setup, ["Synlig lapp om bussen"]) + add_notes(session, setup, ["Dold lapp"], hidden=True)
    theme = add_theme(session, setup, notes)
    csrf = log_in(client)
    response = client.post(board(setup) + f"/{theme.id}/quotes/{notes[1].id}", data={"approved": "true", "csrf_token": csrf})
    assert "That note is not among these themes." in response.text
    session.refresh(theme)
    assert theme.public_quotes in ("", "[]")


def test_withdrawing_a_quote_of_another_organisation_reads_nothing_and_logs_nothing(client, session):
    setup = make_cafe(session, make_leader(session))
    secret = add_notes(session, setup, ["Hemlig lapp från en annan kommun"], hidden=True)[0]
    other = make_cafe(session, make_leader(session, email="other@bergby.se", organisation="Bergby kommun"))
    theme = add_theme(session, other, add_notes(session, other, ["Bussen går sällan"]))
    csrf = log_in(client, "other@bergby.se")
    for note_id in (secret.id, 999_999):
        response = client.post(board(other) + f"/{theme.id}/quotes/{note_id}", data={"approved": "false", "csrf_token": csrf})
        assert "That note is not among these themes." in response.text
    assert "Hemlig" not in client.get(board(other)).text
    assert all("Hemlig" not in e.detail for e in session.exec(select(CurationEvent)))


def test_the_leader_publishes_and_unpublishes_the_dashboard(client, session):
    setup = make_cafe(session, make_leader(session))
    csrf = log_in(client)
    url = f"/leader/processes/{setup.process_id}/publish"
    assert "Publish the dashboard" in client.get(f"/leader/processes/{setup.process_id}").text
    client.post(url, data={"published": "true", "csrf_token": csrf})
    assert client.get(f"/p/{setup.process_id}").status_code == 200
    assert "Unpublish the dashboard" in client.get(f"/leader/processes/{setup.process_id}").text
    client.post(url, data={"published": "false", "csrf_token": csrf})
    assert client.get(f"/p/{setup.process_id}").status_code == 404


def test_the_village_poster_has_a_qr_code_to_the_village_page(client, session):
    setup = make_cafe(session, make_leader(session))
    log_in(client)
    poster = client.get(f"/leader/cafes/{setup.cafe_id}/feedback-poster")
    assert poster.status_code == 200 and f"/p/{setup.process_id}/by/{setup.cafe_id}" in poster.text
    qr = client.get(f"/leader/cafes/{setup.cafe_id}/feedback-qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml" and b"<svg" in qr.content


def test_a_cafe_records_whose_municipality_its_village_is(session):
    setup = make_cafe(session, make_leader(session))
    cafe = session.get(Cafe, setup.cafe_id)
    rounds = [RoundPlan(r.question, r.minutes) for r in cafe_service.rounds_of(session, cafe)]
    edit = dict(cafe=cafe, village="Hallen", venue="", on=cafe.date, table_count=3, rounds=rounds)
    cafe_service.update_cafe(session, **edit, municipality=" Bergby kommun ")
    assert session.get(Cafe, setup.cafe_id).municipality == "Bergby kommun"
    cafe_service.update_cafe(session, **edit)
    assert session.get(Cafe, setup.cafe_id).municipality == "Bergby kommun"  # not given: kept


# --- who may do it ------------------------------------------------------------------------------

def test_another_organisations_leader_can_change_nothing(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    make_leader(session, email="other@bergby.se", organisation="Bergby kommun")
    csrf = log_in(client, "other@bergby.se")
    process_urls = [
        (f"/leader/processes/{setup.process_id}/categories", {"name": "Intrång"}),
        (f"/leader/processes/{setup.process_id}/publish", {"published": "true"}),
    ]
    theme_urls = [
        (board(setup) + f"/{theme.id}/category", {"category": "none"}),
        (board(setup) + f"/{theme.id}/department", {"department": "Socialtjänst"}),
        (board(setup) + f"/{theme.id}/response", {"status": "received", "text": "x"}),
        (board(setup) + f"/{theme.id}/quotes/1", {"approved": "true"}),
    ]
    for url, data in process_urls + theme_urls:
        assert client.post(url, data=data | {"csrf_token": csrf}).status_code == 404, url
    for url in (f"/leader/processes/{setup.process_id}/categories", f"/leader/processes/{setup.process_id}/departments",
                board(setup) + f"/{theme.id}/plan", f"/leader/cafes/{setup.cafe_id}/feedback-poster"):
        assert client.get(url).status_code == 404, url
    session.refresh(theme)
    assert theme.department is None and not theme.category_confirmed
    assert session.exec(select(ThemeResponse)).first() is None


def test_changes_need_the_csrf_token(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    log_in(client)
    for url, data in [
        (f"/leader/processes/{setup.process_id}/publish", {"published": "true"}),
        (f"/leader/processes/{setup.process_id}/categories", {"name": "Turism"}),
        (board(setup) + f"/{theme.id}/response", {"status": "received"}),
        (board(setup) + f"/{theme.id}/category", {"category": "none", "csrf_token": "wrong"}),
    ]:
        assert client.post(url, data=data).status_code == 403, url
    assert client.get(f"/p/{setup.process_id}").status_code == 404


def test_the_planning_pages_need_a_login(client, session):
    setup = make_cafe(session, make_leader(session))
    response = client.get(f"/leader/processes/{setup.process_id}/categories", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
