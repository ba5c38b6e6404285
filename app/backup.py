"""`bykafe backup` and `bykafe restore`: a consistent copy while the app serves, and back again.

SQLite: the online backup API copies the database as it was at one moment, while phones go on
sending. PostgreSQL: pg_dump, which reads one snapshot too, and pg_restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, select, table
from sqlalchemy.engine import Engine, make_url

# Written by the app by itself (a sign-up link on first start, the phones' rate budget): a
# database holding only these is still empty.
NOT_DATA = {"alembic_version", "setup_link", "rate_bucket"}


class BackupError(Exception):
    """Refused, with a message that says what to do."""


def holds_data(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names()) - NOT_DATA
    with engine.connect() as connection:
        return any(connection.execute(select(1).select_from(table(name)).limit(1)).first() for name in names)


def backup(database_url: str, out: Path) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database), out)
    else:
        _run("pg_dump", ["--format=custom", "--no-owner", f"--file={out}"], database_url)


def restore(database_url: str, source: Path, engine: Engine) -> None:
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if holds_data(engine):
        raise BackupError(
            "The database already holds data; restore only into an empty database. "
            "Point DATABASE_URL at a new database (or move the SQLite file away) and try again."
        )
    engine.dispose()
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(source, Path(url.database))
    else:  # the empty tables a first start made give way to the backup's
        _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--exit-on-error", str(source)], database_url)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"No SQLite database at {source}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)  # one step: every page as of one moment, writers wait briefly
    reading.close()
    writing.close()


def _run(program: str, arguments: list[str], database_url: str) -> None:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} was not found. Install the PostgreSQL client tools of the server's version "
            f"(Debian/Ubuntu: apt-get install postgresql-client), or run it yourself: "
            + ("pg_dump --format=custom --no-owner --file=FILE \"$DATABASE_URL\"" if program == "pg_dump"
               else "pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" FILE")
        )
    # The password goes by the environment, not the command line that `ps` shows everyone.
    url = make_url(database_url)
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    database = ["--dbname", target]
    done = subprocess.run([path, *database, *arguments], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()}")
