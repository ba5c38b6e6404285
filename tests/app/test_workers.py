"""`bykafe serve --workers N`: refused on SQLite; on PostgreSQL, N processes behind one port whose
live screens all hear every note, and a stop that loses no acknowledged note."""

import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time

import httpx2
import pytest

from app.cli import main as bykafe
from bench.live import free_port, prepare_cafe
from tests.builders import client_id_from

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
METRICS_TOKEN = "w" * 32
needs_postgres = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
)


def test_more_than_one_worker_is_refused_on_sqlite(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'one.db'}")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    assert bykafe(["serve", "--workers", "2", "--port", str(free_port())]) == 2
    assert "--workers above 1 needs PostgreSQL" in capsys.readouterr().err
    assert not (tmp_path / "one.db").exists()


@pytest.fixture
def own_database(new_postgres_database):
    return new_postgres_database()


@pytest.fixture
def two_workers(own_database, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", own_database)  # prepare_cafe sets it; put back afterwards
    cafe = prepare_cafe(own_database, tables=4)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": own_database, "EMBED_IN_BACKGROUND": "0", "SECRET_KEY": "s" * 40,
           "NOTE_BURST": "100000", "NOTE_PER_MINUTE": "100000", "METRICS_TOKEN": METRICS_TOKEN}
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx2.HTTPError:
            time.sleep(0.2)
    try:
        yield cafe, base, server, own_database
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def listen(url: str, lines: queue.Queue, opened: threading.Event) -> None:
    try:
        with httpx2.stream("GET", url, timeout=httpx2.Timeout(5, read=30)) as response:
            opened.set()
            for line in response.iter_lines():
                lines.put(line)
    except httpx2.HTTPError:
        pass


@needs_postgres
def test_every_stream_on_either_worker_hears_a_note(two_workers):
    cafe, base, _server, _url = two_workers
    hosts = [cafe["tables"][0][1]] * 8  # table 1's host on eight screens, spread over the workers
    inboxes = []
    for host in hosts:
        inbox, opened = queue.Queue(), threading.Event()
        threading.Thread(target=listen, args=(f"{base}/h/{host}/events", inbox, opened), daemon=True).start()
        assert opened.wait(10)
        inboxes.append(inbox)
    token = cafe["tables"][0][0]
    with httpx2.Client(base_url=base) as phone:
        client_id = client_id_from(phone.get(f"/t/{token}").text)
        text = f"Bredband till byn {secrets.token_hex(3)}"
        assert phone.post(f"/api/v1/tables/{token}/notes", json={"client_id": client_id, "text": text}).status_code == 201
    for inbox in inboxes:
        deadline = time.time() + 10
        while not any(text in line for line in _drain(inbox)):
            assert time.time() < deadline, "a stream did not hear the note"
            time.sleep(0.05)

    # Whichever process answers the scrape, it counts the streams of both.
    metrics = httpx2.get(f"{base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text
    assert "bykafe_open_event_streams 8.0" in metrics


def _drain(inbox: queue.Queue) -> list[str]:
    lines = []
    while not inbox.empty():
        lines.append(inbox.get_nowait())
    return lines


@needs_postgres
def test_a_stop_while_phones_send_keeps_every_acknowledged_note(two_workers):
    import psycopg

    cafe, base, server, database_url = two_workers
    acknowledged, stop = [], threading.Event()

    def phone(token):
        with httpx2.Client(base_url=base, timeout=10) as client:
            prefix = client_id_from(client.get(f"/t/{token}").text)
            n = 0
            while not stop.is_set():
                try:
                    reply = client.post(f"/api/v1/tables/{token}/notes", json={"client_id": f"{prefix}-{n}", "text": "Hej"})
                except httpx2.HTTPError:
                    return  # the server has gone
                if reply.status_code == 201:
                    acknowledged.append(f"{prefix}-{n}")
                n += 1

    phones = [threading.Thread(target=phone, args=(join,)) for join, _host in cafe["tables"]]
    for thread in phones:
        thread.start()
    while len(acknowledged) < 100:
        time.sleep(0.02)
    os.killpg(server.pid, signal.SIGTERM)
    assert server.wait(timeout=30) == 0
    stop.set()
    for thread in phones:
        thread.join()
    with psycopg.connect(database_url) as connection:
        stored = {row[0] for row in connection.execute("SELECT client_id FROM note")}
    assert set(acknowledged) <= stored
