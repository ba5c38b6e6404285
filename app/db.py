"""The database engine, the session dependency and migrations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from alembic import command
from alembic.config import Config
from annotated_types import Interval
from fastapi import Depends, Request
from pydantic import StringConstraints
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.settings import ROOT


# Room for the 40 request sessions (see SessionDep) and the background threads. SQLite
# connections are cheap, so they are all kept (opening one costs its PRAGMAs).
POOL = {"pool_size": 10, "max_overflow": 40, "pool_timeout": 30}
SQLITE_POOL = {"pool_size": 50, "max_overflow": 0, "pool_timeout": 30}


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30}, **SQLITE_POOL)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if database_url.startswith("postgresql://"):
        database_url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_engine(database_url, pool_pre_ping=True, **POOL)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers work while a note is written; synchronous=FULL makes every acknowledged
    # commit survive a crash of the machine, not only of the process.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upgrade_database(database_url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["database_url"] = database_url
    command.upgrade(config, "head")


async def get_session(request: Request) -> AsyncIterator[Session]:
    with Session(request.app.state.engine, info={"live_hub": request.app.state.live_hub}) as session:
        yield session


# The session ends when the route function returns, before the response is sent (a slow phone
# or an hour-long event stream must not hold a connection), and at most 40 requests hold one at
# once: more wait without taking a worker thread, so the pool can never run dry.
SessionDep = Annotated[Session, Depends(get_session, scope="function", max_concurrency=40)]


# Ids are INTEGER columns: 32-bit on PostgreSQL, where every bound value is cast ::INTEGER (a
# larger number is an error there, not "no such row"), 64-bit on SQLite. The narrower range holds
# on both, and a number past it can name no row: a path id past it answers 404 (app/main.py).
MAX_DB_INT = 2**31 - 1
DbId = Annotated[int, Interval(ge=1, le=MAX_DB_INT)]

# Join, host and setup links carry a token made by secrets.token_urlsafe: anything else in that
# place of an address names no table (and a NUL in it would be an error on PostgreSQL, not 404).
Token = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,100}$")]


def db_id(raw: str) -> int | None:
    """An id typed in a form or header (ASCII digits, in the database's range), else None."""
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_DB_INT)) and 1 <= int(raw) <= MAX_DB_INT:
        return int(raw)
    return None
