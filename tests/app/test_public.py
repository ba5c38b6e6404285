"""The public feedback dashboard: published processes only, aggregates, approved quotes, masked."""

import json
from datetime import date

from sqlmodel import select

from app.models import Cafe, Participant, Process, Vote
from app.services import cafes as cafe_service
from app.services import planning
from app.services import categories as category_service
from app.services import dashboard as dashboard_service
from app.services import publishing as publishing_service
from app.services import responses as response_service
from facilitation.process import RoundPlan
from tests.app.test_planning import BUS_NOTES, add_notes, add_phones, add_theme, bus_theme
from tests.builders import CafeSetup, log_in, make_cafe, make_leader

PERSONNUMMER = "19811218-9876"
PHONE = "070-123 45 67"
EMAIL = "anna.andersson@example.se"


def publish(session, setup) -> Process:
    process = session.get(Process, setup.process_id)
    return publishing_service.set_published(session, process=process, published=True)


def test_nothing_is_public_until_the_leader_publishes(client, session):
    setup = make_cafe(session, make_leader(session))
    paths = [f"/p/{setup.process_id}", f"/p/{setup.process_id}/by/{setup.cafe_id}"]
    assert [client.get(path).status_code for path in paths] == [404, 404]
    publish(session, setup)
    assert [client.get(path).status_code for path in paths] == [200, 200]
    assert client.get("/p/999").status_code == 404


def test_an_organisation_with_nothing_published_says_what_will_appear_there(client, session):
    setup = make_cafe(session, make_leader(session))
    organisation_id = session.get(Process, setup.process_id).organisation_id
    empty = client.get(f"/o/{organisation_id}")
    assert empty.status_code == 200
    assert "När kommunen publicerar en dialogprocess" in empty.text and "Landsbygdsdialog" not in empty.text
    publish(session, setup)
    assert "Landsbygdsdialog" in client.get(f"/o/{organisation_id}").text


def test_an_unknown_public_page_is_not_found_without_the_phones_qr_advice(client, session):
    for path in ("/o/999", "/p/999"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Det finns ingen offentlig sida på den här adressen" in response.text
        assert "QR-kod" not in response.text


def test_a_trial_cafe_counts_in_no_public_page_or_chart(client, session):
    setup = make_cafe(session, make_leader(session))
    add_phones(session, setup, 6)
    trial = second_cafe(session, setup, village="Provbyn", municipality="")
    add_phones(session, trial, 9)
    add_notes(session, trial, ["Provlapp från kaféet som bara var ett test"])
    session.get(Cafe, trial.cafe_id).trial = True
    session.commit()
    process = publish(session, setup)

    board = dashboard_service.dashboard(session, process, language="sv")
    assert [row.label for row in board.cafes.rows] == ["Hallen"] and board.cafes.phones == 6
    assert board.villages.chart() == (["Hallen"], [6])
    page = client.get(f"/p/{setup.process_id}").text
    assert "Provbyn" not in page and "Provlapp" not in page
    assert client.get(f"/p/{setup.process_id}/by/{trial.cafe_id}").status_code == 404
    organisation = dashboard_service.organisation_page(session, process.organisation_id, language="sv")
    assert organisation.chart() == (["Landsbygdsdialog"], [6])


def test_a_cafe_of_another_process_is_not_found_under_this_one(client, session):
    leader = make_leader(session)
    setup, other = make_cafe(session, leader), make_cafe(session, leader)
    publish(session, setup)
    assert client.get(f"/p/{setup.process_id}/by/{other.cafe_id}").status_code == 404


def test_participation_is_shown_per_village_with_small_counts_suppressed(client, session):
    setup = make_cafe(session, make_leader(session))
    add_phones(session, setup, 7)
    add_notes(session, setup, [f"Lapp {i}" for i in range(3)])
    publish(session, setup)
    page = client.get(f"/p/{setup.process_id}?lang=en").text
    assert "Participation per village" in page
    assert "<td>7</td>" in page
    assert "<td>not shown</td>" in page  # 3 notes
    assert "<td>3</td>" not in page
    assert '<svg role="img"' in page and "Hallen: 7" in page  # the chart names its values


def test_themes_show_counts_votes_confirmed_category_and_the_current_response(client, session):
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    theme = add_theme(session, setup, add_notes(session, setup, BUS_NOTES + ["Buss på helger", "Bussar till skolan"]))
    small = add_theme(session, setup, add_notes(session, setup, ["Fiber till byn"]), label="Bredband", keywords=("fiber",))
    add_phones(session, setup, 6)
    participants = session.exec(select(Participant).where(Participant.cafe_id == setup.cafe_id)).all()
    session.add_all(Vote(cafe_id=setup.cafe_id, participant_id=p.id, theme_key=theme.key, dots=1) for p in participants)
    session.commit()
    category = category_service.categories_of(session, session.get(Process, setup.process_id))[1]
    scope = planning.Scope(setup.process_id, setup.cafe_id)
    planning.set_category(session, user=leader, scope=scope, theme_id=theme.id, category_id=category.id)
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id, theme_key=theme.key,
                     status="received", text="Mottaget.")
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id, theme_key=theme.key,
                     status="in_plan", text="Busslinjen finns med i planförslaget.")
    planning.suggest_categories(session, scope)  # the small theme gets a suggestion, not a confirmed category
    publish(session, setup)

    for path in (f"/p/{setup.process_id}?lang=en", f"/p/{setup.process_id}/by/{setup.cafe_id}?lang=en"):
        page = client.get(path).text
        assert "Bussarna" in page and "Notes: 5" in page and "Dots in the vote: 6" in page
        assert f"Plan category: {category.name}" in page
        assert "In the plan" in page and "Busslinjen finns med i planförslaget." in page
        assert "Mottaget." not in page  # history stays with the leader
        assert "Bredband" in page and "Notes: not shown" in page and "No response yet." in page
        assert page.count("Plan category:") == 1  # a suggestion is not shown as a decision
    session.refresh(small)
    assert small.category_id is not None and not small.category_confirmed


def test_only_approved_quotes_of_visible_notes_are_shown(client, session):
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    notes = add_notes(session, setup, ["Godkänt citat om bussen", "Ej godkänt citat om bussen"])
    hidden = add_notes(session, setup, ["Dold lapp om grannen"], hidden=True)
    theme = add_theme(session, setup, notes + hidden)
    scope = planning.Scope(setup.process_id, setup.cafe_id)
    planning.set_public_quote(session, user=leader, scope=scope, theme_id=theme.id, note_id=notes[0].id, approved=True)
    theme.public_quotes = json.dumps([notes[0].id, hidden[0].id])  # approved before it was hidden
    session.add(theme)
    session.commit()
    publish(session, setup)
    for path in (f"/p/{setup.process_id}", f"/p/{setup.process_id}/by/{setup.cafe_id}"):
        page = client.get(path).text
        assert "Godkänt citat om bussen" in page
        assert "Ej godkänt citat" not in page and "Dold lapp" not in page


def test_planted_personal_data_never_reaches_a_public_page(client, session):
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    planted = f"Ring mig på {PHONE} eller skriv till {EMAIL}, mitt personnummer är {PERSONNUMMER}"
    notes = add_notes(session, setup, [planted, "Bussen går för sällan"])
    theme = add_theme(session, setup, notes, label=f"Bussen {PHONE}")
    scope = planning.Scope(setup.process_id, setup.cafe_id)
    planning.set_public_quote(session, user=leader, scope=scope, theme_id=theme.id, note_id=notes[0].id, approved=True)
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id, theme_key=theme.key,
                     status="looking_into", text=f"Vi har pratat med {EMAIL}.")
    process = publish(session, setup)
    process.description = f"Frågor: {EMAIL}"
    session.add(process)
    session.commit()

    organisation_id = process.organisation_id
    for path in (f"/p/{setup.process_id}", f"/p/{setup.process_id}/by/{setup.cafe_id}", f"/o/{organisation_id}",
                 f"/p/{setup.process_id}?lang=en"):
        page = client.get(path).text
        for secret in (PERSONNUMMER, "19811218", PHONE, "070-123", EMAIL, "anna.andersson"):
            assert secret not in page, (path, secret)
    swedish = client.get(f"/p/{setup.process_id}?lang=sv").text
    assert "[personnummer borttaget]" in swedish and "[telefonnummer borttaget]" in swedish
    assert "[e-post borttagen]" in swedish
    assert "[e-mail removed]" in client.get(f"/p/{setup.process_id}?lang=en").text
    finnish = client.get(f"/p/{setup.process_id}?lang=fi").text
    assert "[sähköposti poistettu]" in finnish and "borttag" not in finnish


def test_process_themes_are_shown_instead_of_the_cafes_when_the_planner_made_them(client, session):
    setup = make_cafe(session, make_leader(session))
    notes = add_notes(session, setup, BUS_NOTES)
    add_theme(session, setup, notes, label="Kvällens bussar")
    add_theme(session, setup, notes, label="Kollektivtrafik i hela kommunen", cafe=False)
    publish(session, setup)
    page = client.get(f"/p/{setup.process_id}").text
    assert "Kollektivtrafik i hela kommunen" in page and "Kvällens bussar" not in page
    village = client.get(f"/p/{setup.process_id}/by/{setup.cafe_id}").text
    assert "Kvällens bussar" in village and "Kollektivtrafik i hela kommunen" not in village


def second_cafe(session, setup, *, village, municipality) -> CafeSetup:
    process = session.get(Process, setup.process_id)
    cafe = cafe_service.create_cafe(
        session, process=process, village=village, venue="", on=date(2026, 12, 5), table_count=2,
        rounds=[RoundPlan("Vad behövs?", 20)], municipality=municipality,
    )
    tables = cafe_service.tables_of(session, cafe)
    return CafeSetup(cafe_id=cafe.id, process_id=process.id, tables=tables)


def joint_process_cafe(session) -> CafeSetup:
    """A café in Storsjö kommun, of a process that Storsjö and Bergby run together."""
    setup = make_cafe(session, make_leader(session))
    session.get(Process, setup.process_id).municipalities = "Storsjö kommun, Bergby kommun"
    session.get(Cafe, setup.cafe_id).municipality = "Storsjö kommun"
    session.commit()
    return setup


def test_a_region_sees_participation_and_themes_per_municipality(client, session):
    setup = joint_process_cafe(session)
    bergby = second_cafe(session, setup, village="Åsen", municipality="Bergby kommun")
    add_phones(session, setup, 8)
    add_phones(session, bergby, 6)
    notes = add_notes(session, setup, BUS_NOTES * 2) + add_notes(session, bergby, BUS_NOTES * 2)
    add_theme(session, setup, notes, label="Kollektivtrafik i regionen", cafe=False)
    publish(session, setup)

    page = client.get(f"/p/{setup.process_id}?lang=en").text
    assert "Participation per municipality" in page
    assert "Bergby kommun" in page and "Storsjö kommun" in page and "Åsen" in page
    assert "Came up in: Storsjö kommun (6), Bergby kommun (6)" in page
    assert "Bergby kommun: 6" in page  # the municipality chart
    # A village lies in one municipality: its page names none under each theme.
    add_theme(session, setup, notes[:len(BUS_NOTES) * 2], label="Bussar i byn")
    village = client.get(f"/p/{setup.process_id}/by/{setup.cafe_id}?lang=en").text
    assert "Bussar i byn" in village and "Came up in" not in village


def test_a_joint_process_whose_cafes_are_all_in_one_municipality_names_none_under_its_themes(client, session):
    setup = joint_process_cafe(session)
    add_phones(session, setup, 8)
    add_theme(session, setup, add_notes(session, setup, BUS_NOTES * 2), label="Kollektivtrafik i regionen", cafe=False)
    publish(session, setup)
    page = client.get(f"/p/{setup.process_id}?lang=en").text
    assert "Kollektivtrafik i regionen" in page and "Came up in" not in page


def test_the_public_page_shows_the_themes_before_the_participation_figures(client, session):
    setup = make_cafe(session, make_leader(session))
    add_phones(session, setup, 6)
    add_theme(session, setup, add_notes(session, setup, BUS_NOTES), label="Kvällens bussar")
    publish(session, setup)
    page = client.get(f"/p/{setup.process_id}?lang=en").text
    assert page.index('id="themes-heading"') < page.index("Kvällens bussar") < page.index('id="participation-heading"')
    assert page.index("What came up in the village cafés") < page.index('id="themes-heading"')


def test_the_organisation_page_lists_only_published_processes(client, session):
    leader = make_leader(session)
    published, hidden = make_cafe(session, leader), make_cafe(session, leader)
    session.get(Process, hidden.process_id).name = "Hemlig dialog"
    session.commit()
    process = publish(session, published)
    add_phones(session, published, 5)
    page = client.get(f"/o/{process.organisation_id}").text
    assert f'href="/p/{published.process_id}"' in page and "Hemlig dialog" not in page
    assert "Landsbygdsdialog" in page


def test_a_department_a_theme_was_passed_on_to_is_shown(client, session):
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    theme = bus_theme(session, setup)
    planning.set_department(session, user=leader, scope=planning.Scope(setup.process_id, setup.cafe_id),
                            theme_id=theme.id, department="Regionen (kollektivtrafik, vård)")
    publish(session, setup)
    page = client.get(f"/p/{setup.process_id}?lang=en").text
    assert "passed on to Regionen (kollektivtrafik, vård)" in page


def test_public_pages_need_no_login_and_a_leader_sees_the_same(client, session):
    setup = make_cafe(session, make_leader(session))
    publish(session, setup)
    anonymous = client.get(f"/p/{setup.process_id}")
    assert anonymous.status_code == 200 and "Log out" not in anonymous.text
    log_in(client)
    assert client.get(f"/p/{setup.process_id}").status_code == 200


def test_a_suggested_category_is_not_shown_as_a_decision(session):
    setup = make_cafe(session, make_leader(session))
    bus_theme(session, setup)
    assert planning.suggest_categories(session, planning.Scope(setup.process_id, setup.cafe_id)) == 1
    board = dashboard_service.dashboard(session, publish(session, setup), language="sv")
    assert [t.category for t in board.themes] == [None]
