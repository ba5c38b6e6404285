"""A phone's note budget holds across app processes that share one database."""

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.shared_limiter import DatabaseRateLimiter
from app.models import Note
from tests.app.helpers import count, join, send_json
from tests.builders import make_cafe, make_leader


def test_two_limiters_on_one_database_share_one_budget(app):
    one = DatabaseRateLimiter(app.state.engine, capacity=3, refill_per_second=0.001)
    other = DatabaseRateLimiter(app.state.engine, capacity=3, refill_per_second=0.001)
    answers = [one.allow("phone-a", 0), other.allow("phone-a", 0), one.allow("phone-a", 0), other.allow("phone-a", 0)]
    assert answers == [True, True, True, False]
    assert other.allow("phone-b", 0) is True  # each phone its own bucket


def test_a_batch_takes_from_the_same_budget_and_keeps_it_only_when_its_notes_are_stored(app):
    from sqlmodel import Session

    limiter = DatabaseRateLimiter(app.state.engine, capacity=2, refill_per_second=0.001)
    with Session(app.state.engine) as batch:
        assert limiter.within(batch).allow("phone-a", 0) is True
        batch.rollback()  # the batch failed: its notes were not stored, nor the tokens taken
    with Session(app.state.engine) as batch:
        taken = [limiter.within(batch).allow("phone-a", 0) for _ in range(2)]
        batch.commit()
    assert taken == [True, True]
    assert limiter.allow("phone-a", 0) is False


def test_the_budget_refills_with_time(app, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("app.shared_limiter.time.time", lambda: clock[0])
    limiter = DatabaseRateLimiter(app.state.engine, capacity=1, refill_per_second=0.5)
    assert [limiter.allow("p", 0), limiter.allow("p", 0)] == [True, False]
    clock[0] += 1.0  # half a token: still no
    assert limiter.allow("p", 0) is False
    clock[0] += 1.0
    assert limiter.allow("p", 0) is True


def test_two_app_processes_on_postgresql_hold_one_phone_to_its_burst(settings, session):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite serves one process only; the in-memory limit is the shared one")
    token = make_cafe(session, make_leader(session), phase="round").tables[0].join_token
    small = settings.model_copy(update=dict(note_burst=4, note_per_minute=1))
    first, second = create_app(small, migrate=False), create_app(small, migrate=False)
    with TestClient(first) as phone_on_first, TestClient(second) as phone_on_second:
        client_id = join(phone_on_first, token)
        phone_on_second.cookies = phone_on_first.cookies  # the same phone, sent to the other process
        statuses = [
            send_json(client, token, f"Lapp {n}", f"{client_id}-{n}").status_code
            for n, client in enumerate([phone_on_first, phone_on_second] * 3)
        ]
    assert statuses == [201, 201, 201, 201, 429, 429]
    assert count(session, Note) == 4
