"""The read API for a municipality's own systems, and the organisation keys a leader makes for it."""

import re

import pytest
from sqlmodel import select

from app.models import ApiKey, Process
from app.services import planning
from app.services import categories as category_service
from app.services import dashboard as dashboard_service
from app.services import responses as response_service
from tests.app.helpers import fast_passwords, other_organisation_cafe  # noqa: F401  (fixture)
from tests.app.test_planning import BUS_NOTES, add_notes, add_phones, add_theme
from tests.builders import csrf_from, log_in, make_cafe, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def leader(session):
    return make_leader(session)


@pytest.fixture
def setup(session, leader):
    return make_cafe(session, leader)


def make_key(client, name="Ärendesystemet") -> str:
    csrf = log_in(client)
    page = client.post("/leader/api-keys", data={"name": name, "csrf_token": csrf})
    assert page.status_code == 200
    return re.search(r'id="new-key" readonly value="([^"]+)"', page.text).group(1)


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_is_shown_once_and_only_its_hash_is_kept(client, session, leader):
    key = make_key(client)
    assert key.startswith("bk_") and len(key) > 40
    stored = session.exec(select(ApiKey)).one()
    assert stored.name == "Ärendesystemet"
    assert key not in (stored.key_hash, stored.prefix) and key.startswith(stored.prefix)
    listing = client.get("/leader/api-keys")
    assert "Ärendesystemet" in listing.text and stored.prefix in listing.text and key not in listing.text


def test_a_key_needs_a_name_and_the_leaders_csrf_token(client, session, leader):
    csrf = log_in(client)
    refused = client.post("/leader/api-keys", data={"name": "  ", "csrf_token": csrf})
    assert refused.status_code == 422 and "new-key" not in refused.text
    assert client.post("/leader/api-keys", data={"name": "GIS"}).status_code == 403
    assert session.exec(select(ApiKey)).all() == []


def test_the_api_answers_only_with_a_key_in_force(client, session, setup):
    assert client.get("/api/v1/processes").status_code == 401
    assert client.get("/api/v1/processes", headers=bearer("bk_guessed")).status_code == 401
    key = make_key(client)
    answer = client.get("/api/v1/processes", headers=bearer(key))
    assert answer.status_code == 200
    assert [p["id"] for p in answer.json()] == [setup.process_id]

    page = client.get("/leader/api-keys")
    key_id = session.exec(select(ApiKey.id)).one()
    client.post(f"/leader/api-keys/{key_id}/revoke", data={"csrf_token": csrf_from(page.text)})
    refused = client.get("/api/v1/processes", headers=bearer(key))
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"


def test_a_key_reads_its_own_organisation_only(client, session, setup):
    other = other_organisation_cafe(session)
    key = make_key(client)
    assert client.get(f"/api/v1/processes/{other.process_id}", headers=bearer(key)).status_code == 404
    assert client.get(f"/api/v1/processes/{other.process_id}/themes", headers=bearer(key)).status_code == 404
    assert other.process_id not in [p["id"] for p in client.get("/api/v1/processes", headers=bearer(key)).json()]


def test_a_leader_cannot_revoke_another_organisations_key(client, session, setup):
    make_key(client)
    key_id = session.exec(select(ApiKey.id)).one()
    other_organisation_cafe(session)
    client.cookies.clear()
    csrf = log_in(client, email="ledare@grannby.se")
    assert client.post(f"/leader/api-keys/{key_id}/revoke", data={"csrf_token": csrf}).status_code == 404
    assert session.exec(select(ApiKey)).one().revoked_at is None


def test_counts_are_those_of_the_public_pages_with_small_ones_left_out(client, session, setup):
    add_phones(session, setup, 7)
    add_notes(session, setup, ["Lapp 1", "Lapp 2", "Lapp 3"])
    key = make_key(client)

    detail = client.get(f"/api/v1/processes/{setup.process_id}", headers=bearer(key)).json()
    assert detail["phones"] == 7 and detail["notes"] is None  # 3 notes: fewer than 5
    assert detail["cafes"] == [
        {"id": setup.cafe_id, "village": "Hallen", "date": "2026-11-30", "phase": "draft", "phones": 7, "notes": None}
    ]
    assert detail["villages"] == [{"label": "Hallen", "phones": 7, "notes": None}]
    board = dashboard_service.dashboard(session, session.get(Process, setup.process_id), language="sv")
    assert (detail["phones"], detail["notes"]) == (board.cafes.phones, board.cafes.notes)


def test_themes_come_with_keywords_category_masked_quotes_and_the_response(client, session, leader, setup):
    notes = add_notes(session, setup, [*BUS_NOTES, "Ring Anna på 070-123 45 67 om bussen", "Buss på helger"])
    theme = add_theme(session, setup, notes, keywords=("buss", "kollektivtrafik"))
    add_theme(session, setup, add_notes(session, setup, ["Fiber till byn"]), label="Bredband", keywords=("fiber",))
    scope = planning.Scope(setup.process_id, setup.cafe_id)
    category = category_service.categories_of(session, session.get(Process, setup.process_id))[1]
    planning.set_category(session, user=leader, scope=scope, theme_id=theme.id, category_id=category.id)
    planning.set_public_quote(session, user=leader, scope=scope, theme_id=theme.id, note_id=notes[3].id, approved=True)
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id, theme_key=theme.key,
                     status="in_plan", text="Busslinjen finns med i planförslaget.")
    key = make_key(client)

    themes = {t["label"]: t for t in client.get(f"/api/v1/processes/{setup.process_id}/themes", headers=bearer(key)).json()}
    bus, fibre = themes["Bussarna"], themes["Bredband"]
    assert bus["keywords"] == ["buss", "kollektivtrafik"] and fibre["keywords"] == ["fiber"]
    assert bus["notes"] == 5 and fibre["notes"] is None
    assert bus["plan_category"] == category.name and fibre["plan_category"] is None
    assert bus["village"] == "Hallen" and bus["cafe_id"] == setup.cafe_id
    assert bus["response"]["status"] == "in_plan" and bus["response"]["text"] == "Busslinjen finns med i planförslaget."
    assert len(bus["quotes"]) == 1 and "070-123 45 67" not in bus["quotes"][0]
    assert fibre["response"] is None


def test_the_api_is_documented_with_examples_and_its_key(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/v1/processes", "/api/v1/processes/{process_id}", "/api/v1/processes/{process_id}/themes"):
        assert schema["paths"][path]["get"]["security"] == [{"HTTPBearer": []}]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for model in ("ProcessOut", "ProcessDetailOut", "ThemeOut"):
        assert schema["components"]["schemas"][model]["examples"]
    assert "/leader/api-keys" not in schema["paths"]
