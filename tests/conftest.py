"""A fresh database for every test: SQLite by default, PostgreSQL when TEST_DATABASE_URL says so.

The schema is built once per run with Alembic (the real migrations), then copied (SQLite) or
emptied (PostgreSQL) for each test.
"""

from __future__ import annotations

import os
import secrets
import shutil

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from app.db import make_engine, upgrade_database
from app.main import create_app
from app.settings import Settings

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    if TEST_DATABASE_URL.startswith("postgresql"):
        upgrade_database(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(migrated_template, tmp_path):
    if TEST_DATABASE_URL.startswith("postgresql"):
        yield TEST_DATABASE_URL
        _empty_postgres(TEST_DATABASE_URL)
        return
    path = tmp_path / "bykafe.db"
    shutil.copy(migrated_template, path)
    yield f"sqlite:///{path}"


def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings.from_env(
        database_url=database_url, secret_key="t" * 40, public_url=None, embed_in_background=False
    )


@pytest.fixture
def app(settings):
    return create_app(settings, migrate=False)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def session(app):
    with Session(app.state.engine, info={"live_hub": app.state.live_hub}) as db_session:
        yield db_session


@pytest.fixture
def new_postgres_database():
    """Makes empty databases of their own on the test server, dropped afterwards: a test that runs
    servers beside it needs one, since the database of TEST_DATABASE_URL is emptied between tests."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(TEST_DATABASE_URL).set(drivername="postgresql", database="postgres")
    admin = server.render_as_string(hide_password=False)
    made = []

    def new() -> str:
        name = f"bykafe_test_{secrets.token_hex(4)}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    yield new
    with psycopg.connect(admin, autocommit=True) as connection:
        for name in made:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
