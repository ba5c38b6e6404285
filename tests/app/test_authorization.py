"""Authorization on every route: a sweep over the OpenAPI description, so a route added later
without a login check, or without checking whose café it is, fails here."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from app.models import Note, PlanCategory, Round, Theme, utcnow
from tests.app.helpers import other_organisation_cafe
from tests.builders import csrf_from, log_in, make_leader

# Routes for anyone: pages, a phone or host by its unguessable token, public dashboards.
PUBLIC = re.compile(r"^/($|k\b|t/|h/|api/v1/(tables|host)/|p/|o/|om$|tillganglighet$|login$|logout$|setup/|openapi)")


def leader_routes(app) -> list[tuple[str, str]]:
    routes = [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if not PUBLIC.match(path)
    ]
    assert len(routes) > 50  # the sweep sees the routes (not an empty list that passes)
    return sorted(routes)


@pytest.fixture
def foreign_ids(session):
    """Real ids of another organisation's café, process, note, theme and category."""
    setup = other_organisation_cafe(session, phase="round")
    round_id = session.exec(select(Round.id).where(Round.cafe_id == setup.cafe_id)).first()
    note = Note(cafe_id=setup.cafe_id, table_id=setup.tables[0].id, round_id=round_id, source="host",
                client_id="foreign-note-1", text="Bussen", created_at=utcnow())
    theme = Theme(process_id=setup.process_id, cafe_id=setup.cafe_id, key="foreign", label="Bussen",
                  keywords=json.dumps(["buss"]), quotes="[]")
    session.add_all([note, theme])
    session.commit()
    category = session.exec(select(PlanCategory).where(PlanCategory.process_id == setup.process_id)).first()
    return {
        "cafe_id": setup.cafe_id, "process_id": setup.process_id, "note_id": note.id, "theme_id": theme.id,
        "category_id": category.id if category else 1, "number": 1, "extension": "xlsx", "fmt": "svg",
        "kind": "cafes", "scope_id": setup.cafe_id,
    }


def filled(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def test_without_a_login_no_leader_route_answers(client, app, foreign_ids):
    csrf = csrf_from(client.get("/login").text)  # a valid form token: only the login is missing
    for method, path in leader_routes(app):
        url = filled(path, foreign_ids)
        api = path.startswith("/api/")
        form = {}
        if method == "POST":
            form = {"json": {}, "headers": {"x-csrf-token": csrf}} if api else {"data": {"csrf_token": csrf}}
        response = client.request(method, url, follow_redirects=False, **form)
        if api:
            assert response.status_code == 401, f"{method} {url}: {response.status_code}"
        else:
            assert response.status_code == 303, f"{method} {url}: {response.status_code}"
            assert response.headers["location"].startswith("/login"), url


def test_a_leader_of_another_organisation_sees_none_of_it(client, app, session, foreign_ids):
    make_leader(session)
    log_in(client)
    # The integrations' read API takes an organisation key, never a leader's login (its own
    # organisation check: tests/app/test_integrations.py).
    keyed = {path for path, operations in app.openapi()["paths"].items() if operations.get("get", {}).get("security")}
    for method, path in leader_routes(app):
        if method != "GET" or "{" not in path:
            continue
        url = filled(path, foreign_ids)
        response = client.get(url, follow_redirects=False)
        assert response.status_code == (401 if path in keyed else 404), f"GET {url}: {response.status_code}"
    # …and with a café under both kinds of scope
    assert client.get(filled("/leader/processes/{process_id}/themes", foreign_ids)).status_code == 404
