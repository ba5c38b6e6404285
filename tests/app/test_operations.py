"""What IT staff watch: the health check, Prometheus metrics and the request log."""

import io
import json
import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db import make_engine
from app.main import create_app
from app.observability import JsonLines
from app.routes.ops import code_heads, database_state
from tests.app.helpers import join, send_json
from tests.builders import make_cafe, make_leader

TOKEN = "m" * 32


@pytest.fixture
def cafe(session):
    return make_cafe(session, make_leader(session), phase="round")


@pytest.fixture
def metrics_client(settings):
    app = create_app(settings.model_copy(update=dict(metrics_token=TOKEN)), migrate=False)
    with TestClient(app) as client:
        yield client


def sample(metrics: str, name: str, **labels) -> float:
    """One sample's value from Prometheus text, 0 when it is not there yet."""
    for line in metrics.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and all(f'{k}="{v}"' in (match.group(1) or "") for k, v in labels.items()):
            return float(match.group(2))
    return 0.0


def scrape(client) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return response.text


def test_health_is_ok_with_the_database_migrated(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_health_fails_when_migrations_are_behind_the_code(client, app):
    def set_revision(revision):
        with app.state.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})

    set_revision("b3de69a7a298")  # the first migration only
    try:
        response = client.get("/healthz")
    finally:
        (head,) = code_heads()
        set_revision(head)  # the database may be shared with the next test (PostgreSQL)
    assert response.status_code == 503
    assert response.json() == {"database": "behind"}


def test_health_fails_when_the_database_cannot_be_reached(tmp_path):
    assert database_state(make_engine(f"sqlite:///{tmp_path}/no/such/folder/x.db")) == "unreachable"


def test_metrics_are_off_without_a_token(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_bearer_token(metrics_client):
    assert metrics_client.get("/metrics").status_code == 401
    assert metrics_client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert metrics_client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401


def test_metrics_count_requests_notes_batches_and_backlog(metrics_client, cafe):
    token = cafe.tables[0].join_token
    before = scrape(metrics_client)
    client_id = join(metrics_client, token)
    assert send_json(metrics_client, token, "Fler bussar till stan", client_id).status_code == 201
    assert send_json(metrics_client, token, "En lekplats vid skolan", client_id + "x").status_code == 201
    after = scrape(metrics_client)

    def grew(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("bykafe_http_requests_total", method="GET", route="/t/{token}", status="200") == 1
    assert grew("bykafe_http_requests_total", route="/api/v1/tables/{token}/notes", status="201") == 2
    assert grew("bykafe_http_request_duration_seconds_count", method="GET", route="/t/{token}") == 1
    assert grew("bykafe_intake_batch_size_count") == 2
    assert grew("bykafe_intake_batch_size_sum") == 2
    assert sample(after, "bykafe_notes_stored") == 2
    assert sample(after, "bykafe_embedding_backlog") == 2  # no background embedder in tests
    assert "bykafe_open_event_streams" in after


def test_each_request_is_one_json_line_without_address_token_or_note_text(client, cafe):
    token = cafe.tables[0].join_token
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("bykafe.request")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client_id = join(client, token)
        send_json(client, token, "Min granne Sven Svensson vill ha fiber", client_id)
        client.get("/no/such/page")
    finally:
        logger.removeHandler(handler)

    records = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert [(r["method"], r["route"], r["status"]) for r in records] == [
        ("GET", "/t/{token}", 200),
        ("POST", "/api/v1/tables/{token}/notes", 201),
        ("GET", "unmatched", 404),
    ]
    assert all(isinstance(r["duration_ms"], float) and r["duration_ms"] >= 0 for r in records)
    written = lines.getvalue()
    for secret in (token, "Sven", "fiber", "testclient", "127.0.0.1"):
        assert secret not in written
