"""Two app processes on one PostgreSQL database: a note sent to one reaches a live screen on the
other (LISTEN/NOTIFY). Runs only when TEST_DATABASE_URL is PostgreSQL (CI's PostgreSQL pass)."""

import os
import queue
import secrets
import subprocess
import threading
import time

import httpx2
import pytest

from bench.live import app_command, free_port, prepare_cafe, start_server

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
)


@pytest.fixture
def own_database(new_postgres_database):
    return new_postgres_database()


@pytest.fixture
def two_servers(own_database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", own_database)  # prepare_cafe sets it; put back afterwards
    cafe = prepare_cafe(own_database, tables=2)
    env = {"DATABASE_URL": own_database, "EMBED_IN_BACKGROUND": "0", "SECRET_KEY": "s" * 40}
    ports = [free_port(), free_port()]
    servers = []
    try:
        for port in ports:
            servers.append(start_server(app_command(port), port, env))
        yield cafe, [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()  # uvicorn waits for open event streams to end: give it a moment, then kill
            try:
                server.wait(timeout=3)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def listen(url: str, lines: queue.Queue, stop: threading.Event) -> None:
    try:
        with httpx2.stream("GET", url, timeout=httpx2.Timeout(5.0, read=20.0)) as response:
            lines.put(f"status: {response.status_code}")
            for line in response.iter_lines():
                lines.put(line)
                if stop.is_set():
                    return
    except httpx2.HTTPError as error:
        lines.put(f"error: {error!r}")


def test_a_note_sent_to_one_process_reaches_a_host_stream_on_the_other(two_servers):
    cafe, (base_a, base_b) = two_servers
    join_token, host_token = cafe["tables"][0]
    lines: queue.Queue = queue.Queue()
    stop = threading.Event()
    threading.Thread(target=listen, args=(f"{base_b}/h/{host_token}/events", lines, stop), daemon=True).start()
    assert lines.get(timeout=10) == "status: 200"

    with httpx2.Client(base_url=base_a, timeout=10) as phone:
        assert phone.post(f"/api/v1/tables/{join_token}/join").status_code == 200
        client_id = f"twoproc-{secrets.token_hex(6)}"
        sent = phone.post(f"/api/v1/tables/{join_token}/notes", json={"client_id": client_id, "text": "Bättre buss"})
        assert sent.status_code == 201, sent.text

    deadline = time.monotonic() + 5
    seen = []
    try:
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            if client_id in line:
                return
        pytest.fail(f"the note {client_id} did not reach process B's stream within 5 s; it sent: {seen[-10:]}")
    finally:
        stop.set()
