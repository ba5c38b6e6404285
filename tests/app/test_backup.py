"""`bykafe backup` while phones send notes to a running server, and `bykafe restore` into an empty
database: every note acknowledged before the backup began is in the restored copy."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time

import httpx2
import pytest

from app.backup import BackupError, backup
from app.cli import main as bykafe
from bench.live import free_port, prepare_cafe
from tests.builders import client_id_from

PHONES = 8


def run_bykafe(*arguments: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "s" * 40}
    return subprocess.run([sys.executable, "-m", "app.cli", *arguments], env=env, capture_output=True, text=True)


def send_notes_until(stop: threading.Event, base: str, token: str, acknowledged: list[str]) -> None:
    """One phone: join the table, then send notes back to back, recording each one the server saved."""
    with httpx2.Client(base_url=base, timeout=30) as phone:
        page = phone.get(f"/t/{token}")
        prefix = client_id_from(page.text)
        n = 0
        while not stop.is_set():
            client_id = f"{prefix}-{n}"
            reply = phone.post(f"/api/v1/tables/{token}/notes", json={"client_id": client_id, "text": f"Lapp {n}"})
            if reply.status_code == 201:
                acknowledged.append(client_id)
            n += 1


@pytest.fixture
def serving(tmp_path, monkeypatch):
    """`bykafe serve` on a SQLite file, a café with a running round, and phones sending to it."""
    database_url = f"sqlite:///{tmp_path / 'live.db'}"
    monkeypatch.setenv("DATABASE_URL", database_url)  # prepare_cafe sets it; put back afterwards
    cafe = prepare_cafe(database_url, tables=PHONES)
    port = free_port()
    env = {"DATABASE_URL": database_url, "EMBED_IN_BACKGROUND": "0", "SECRET_KEY": "s" * 40,
           "NOTE_BURST": "100000", "NOTE_PER_MINUTE": "100000"}
    log = tmp_path / "server.log"
    with log.open("w") as stdout:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, **env}, stdout=stdout, stderr=subprocess.DEVNULL,
        )
    _wait_for(port)
    try:
        yield database_url, f"http://127.0.0.1:{port}", [join for join, _host in cafe["tables"]], log
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_for(port: int) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def test_backup_during_a_note_load_restores_every_acknowledged_note(serving, tmp_path):
    database_url, base, tokens, log = serving
    stop, acknowledged = threading.Event(), []
    phones = [threading.Thread(target=send_notes_until, args=(stop, base, token, acknowledged)) for token in tokens]
    for phone in phones:
        phone.start()
    try:
        while len(acknowledged) < 200:  # well into the load
            time.sleep(0.05)
        saved_before_backup = list(acknowledged)
        done = run_bykafe("backup", "--out", str(tmp_path / "kväll.db"), database_url=database_url)
        time.sleep(0.3)  # the phones go on sending after the copy
    finally:
        stop.set()
        for phone in phones:
            phone.join()
    assert done.returncode == 0, done.stderr
    assert len(acknowledged) > len(saved_before_backup)

    restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
    done = run_bykafe("restore", str(tmp_path / "kväll.db"), database_url=restored_url)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "restored.db") as restored:
        assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        client_ids = {row[0] for row in restored.execute("SELECT client_id FROM note")}
    assert set(saved_before_backup) <= client_ids
    assert client_ids <= set(acknowledged)  # nothing half-written, nothing invented

    # The server logged each request as one JSON line, with no join token in it.
    log_lines = log.read_text().splitlines()
    requests = [json.loads(line) for line in log_lines if '"request"' in line]
    assert {(r["method"], r["route"]) for r in requests} >= {
        ("GET", "/t/{token}"), ("POST", "/api/v1/tables/{token}/notes"), ("GET", "/healthz"),
    }
    assert not any(token in line for line in log_lines for token in tokens)


def test_restore_refuses_a_database_that_holds_data(tmp_path, capsys, monkeypatch):
    database_url = f"sqlite:///{tmp_path / 'in-use.db'}"
    monkeypatch.setenv("DATABASE_URL", database_url)
    prepare_cafe(database_url, tables=1)
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    assert bykafe(["backup", "--out", str(tmp_path / "copy.db")]) == 0
    before = (tmp_path / "in-use.db").read_bytes()

    assert bykafe(["restore", str(tmp_path / "copy.db")]) == 2
    assert "already holds data" in capsys.readouterr().err
    assert (tmp_path / "in-use.db").read_bytes() == before


def test_without_pg_dump_the_backup_says_how(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump on it
    with pytest.raises(BackupError, match=r"pg_dump was not found.*pg_dump --format=custom"):
        backup("postgresql://bykafe:hemligt@db.example/bykafe", tmp_path / "out.dump")


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"), reason="needs PostgreSQL")
def test_postgresql_backs_up_with_pg_dump_and_restores_into_an_empty_database(tmp_path, monkeypatch,
                                                                             new_postgres_database):
    import psycopg

    source, target = new_postgres_database(), new_postgres_database()
    monkeypatch.setenv("DATABASE_URL", source)
    cafe = prepare_cafe(source, tables=3)
    assert run_bykafe("backup", "--out", str(tmp_path / "kväll.dump"), database_url=source).returncode == 0
    assert run_bykafe("restore", str(tmp_path / "kväll.dump"), database_url=target).returncode == 0
    refused = run_bykafe("restore", str(tmp_path / "kväll.dump"), database_url=target)
    assert refused.returncode == 2 and "already holds data" in refused.stderr
    with psycopg.connect(target) as restored:
        tokens = {row[0] for row in restored.execute("SELECT join_token FROM cafe_table")}
    assert tokens == {join for join, _host in cafe["tables"]}
