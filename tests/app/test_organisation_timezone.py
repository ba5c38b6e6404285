"""The leader picks the organisation's time zone; every screen then shows clock time in it."""

from datetime import datetime, UTC

from app.models import Organisation
from app.services import notes as note_service
from tests.builders import log_in, make_cafe, make_leader


def test_a_leader_sets_the_time_zone_and_the_leaders_screens_show_it(client, session):
    leader = make_leader(session)
    setup = make_cafe(session, leader, phase="round")
    note = note_service.submit_note(session, table=setup.tables[0], client_id="note-tz-0001", text="Bussen").note
    note.created_at = datetime(2026, 12, 1, 17, 5, tzinfo=UTC)  # 18:05 in Stockholm, 19:05 in Helsinki
    session.commit()
    csrf = log_in(client)
    assert "18:05" in client.get(f"/leader/cafes/{setup.cafe_id}").text

    response = client.post("/leader/timezone", data={"csrf_token": csrf, "timezone": "Europe/Helsinki"},
                           follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Organisation, leader.organisation_id).timezone == "Europe/Helsinki"
    assert "19:05" in client.get(f"/leader/cafes/{setup.cafe_id}").text


def test_an_unknown_time_zone_is_refused_with_a_message_and_changes_nothing(client, session):
    leader = make_leader(session)
    csrf = log_in(client)
    response = client.post("/leader/timezone", data={"csrf_token": csrf, "timezone": "Mars/Olympus"},
                           headers={"Accept-Language": "sv"})
    assert response.status_code == 422
    assert "tidszon" in response.text.lower()
    session.expire_all()
    assert session.get(Organisation, leader.organisation_id).timezone == "Europe/Stockholm"


def test_setting_the_time_zone_needs_the_forms_csrf_token(client, session):
    leader = make_leader(session)
    log_in(client)
    client.post("/leader/timezone", data={"timezone": "Europe/Helsinki"})
    session.expire_all()
    assert session.get(Organisation, leader.organisation_id).timezone == "Europe/Stockholm"
