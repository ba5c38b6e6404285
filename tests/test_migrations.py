"""The migrations build exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)
from app.db import make_engine, upgrade_database


def test_upgrading_an_empty_database_to_head_creates_every_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_the_migrated_schema_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == [], "models and migrations differ; run `alembic revision --autogenerate`"


def test_the_trial_flag_is_added_to_a_database_that_already_holds_cafes(tmp_path):
    """Existing cafés (with tables, which point at them) become ordinary, non-trial cafés."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from app.settings import ROOT

    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["database_url"] = url
    command.upgrade(config, "5f16fcd57458")  # the schema before the trial flag
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO organisation (id, name, created_at) VALUES (1, 'Storsjö', '2026-11-01')"))
            connection.execute(text(
                "INSERT INTO process (id, organisation_id, name, municipalities, plan, participation_level, description,"
                " published, created_at) VALUES (1, 1, 'Dialog', '', '', 'consultation', '', 0, '2026-11-01')"))
            connection.execute(text(
                "INSERT INTO cafe (id, process_id, village, municipality, venue, date, table_count, phase, rounds_done,"
                " vote_open, vote_dots, created_at) VALUES (1, 1, 'Hallen', '', '', '2026-11-30', 1, 'closed', 0, 0, 3,"
                " '2026-11-01')"))
            connection.execute(text(
                "INSERT INTO cafe_table (id, cafe_id, number, join_token, short_code, host_token)"
                " VALUES (1, 1, 1, 'join', 'ABC234', 'host')"))
        upgrade_database(url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT trial FROM cafe")).scalar_one() in (0, False)
    finally:
        engine.dispose()
