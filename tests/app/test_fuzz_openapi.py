"""Schema fuzzing: schemathesis sends valid and invalid requests made from /openapi.json to every
operation, as a visitor and as a logged-in leader, and no answer may be a server error (5xx).

Bounded: a few examples per operation, derandomized, so the run is the same each time and short.
The event streams are left out: they answer with a stream that does not end.
"""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.python.asgi import get_client
from sqlmodel import Session

from app.main import create_app
from app.settings import Settings
from tests.app.test_public import publish
from tests.conftest import TEST_DATABASE_URL, _empty_postgres
from tests.builders import PASSWORD, csrf_from, make_cafe, make_leader

EXAMPLES_PER_OPERATION = 3  # per operation, for valid and again for invalid data


@pytest.fixture(scope="module")
def fuzzed_database(migrated_template, tmp_path_factory):
    """One database for the whole run (as tests/conftest.py makes one per test)."""
    if TEST_DATABASE_URL.startswith("postgresql"):
        yield TEST_DATABASE_URL
        _empty_postgres(TEST_DATABASE_URL)
        return
    path = tmp_path_factory.mktemp("fuzz") / "bykafe.db"
    shutil.copy(migrated_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture(scope="module")
def fuzzed_app(fuzzed_database):
    """A leader with a published process and a café in its first round, so that ids 1 name real
    rows and the leader's routes do real work."""
    settings = Settings.from_env(database_url=fuzzed_database, secret_key="f" * 40, public_url=None,
                                 embed_in_background=False)
    app = create_app(settings, migrate=False)
    with Session(app.state.engine) as session:
        publish(session, make_cafe(session, make_leader(session), phase="round"))
    return app


@pytest.fixture(scope="module")
def operations(fuzzed_app) -> list:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    # Streams never end; logging out would end the leader's session for the operations after it.
    return [result.ok() for result in schema.exclude(path_regex=r"/events$").exclude(path="/logout").get_all_operations()]


@pytest.fixture(scope="module")
def callers(fuzzed_app):
    """Who sends each request: a visitor, and a leader with a session cookie and its CSRF token."""
    visitor, leader = get_client(fuzzed_app), get_client(fuzzed_app)
    login = leader.post("/login", data={"email": "leader@storsjo.se", "password": PASSWORD,
                                        "csrf_token": csrf_from(leader.get("/login").text)}, allow_redirects=False)
    assert login.status_code == 303, login.text
    leader.headers["X-CSRF-Token"] = csrf_from(leader.get("/leader").text)  # as the leader's scripts send it
    return {"visitor": visitor, "leader": leader}


def test_no_request_made_from_the_schema_gets_a_server_error(operations, callers):
    server_errors = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def send(case):
                for who, caller in callers.items():
                    try:
                        response = case.call(session=caller)
                    except Exception as error:  # the app raised: the server would answer 500
                        server_errors.append(f"{who}: {case.method} {case.formatted_path}: {error!r}"[:300])
                        continue
                    if response.status_code >= 500:
                        server_errors.append(f"{who}: {case.method} {case.formatted_path} {response.status_code}: "
                                             f"{response.text[:200]}")
            try:
                send()
            except Unsatisfiable:  # no parameter or body to make invalid (GET /)
                assert mode == GenerationMode.NEGATIVE
    assert len(operations) > 60
    assert server_errors == [], "\n".join(server_errors)
