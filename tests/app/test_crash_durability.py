"""Durability: a note acknowledged to a phone survives the server being killed mid-load.

The real app runs under uvicorn in a subprocess on its own database. Phones send notes back to
back (some twice, as a phone does that did not hear the answer) and the server is killed with
SIGKILL while they send. After a restart on the same database every note that got a 201 or 200
is there exactly once, and sending every note again, heard or not, never makes a second copy.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time

import httpx2
from sqlalchemy import text
from sqlmodel import Session

from app.db import make_engine
from bench.live import app_command, free_port, start_server
from tests.builders import make_cafe, make_leader

PHONES = 12
ACKED_BEFORE_KILL = 300  # kill once this many notes were acknowledged (or after LOAD_SECONDS)
LOAD_SECONDS = 8.0


class Phone:
    """One phone with its own cookie jar, sending numbered notes until the server is gone."""

    def __init__(self, base: str, token: str, name: str):
        self.client = httpx2.Client(base_url=base, timeout=10)
        self.token, self.name = token, name
        assert self.client.post(f"/api/v1/tables/{token}/join").status_code == 200
        self.sent: list[str] = []
        self.acked: set[str] = set()

    def send(self, client_id: str) -> int:
        body = {"client_id": client_id, "text": f"Bredband till hela byn ({client_id})"}
        return self.client.post(f"/api/v1/tables/{self.token}/notes", json=body).status_code

    def send_until(self, killed: threading.Event) -> None:
        rng = random.Random(self.name)
        n = 0
        while not killed.is_set():
            client_id = f"{self.name}-{n}"
            self.sent.append(client_id)
            for _attempt in range(2 if rng.random() < 0.1 else 1):  # the answer was not heard: again
                try:
                    status = self.send(client_id)
                except httpx2.TransportError:
                    if killed.is_set():
                        return
                    continue
                if status in (200, 201):
                    self.acked.add(client_id)
            n += 1


def stored(database_url: str, cafe_id: int) -> tuple[list[str], str]:
    """The client ids of the café's notes (one per row), and SQLite's integrity check."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT client_id FROM note WHERE cafe_id = :c"), {"c": cafe_id})
            ids = [row[0] for row in rows]
            check = "ok"
            if engine.dialect.name == "sqlite":
                check = connection.execute(text("PRAGMA integrity_check")).scalar()
    finally:
        engine.dispose()
    return ids, check


def test_every_acknowledged_note_survives_a_kill_and_resending_never_duplicates(database_url):
    engine = make_engine(database_url)
    with Session(engine) as session:
        cafe = make_cafe(session, make_leader(session), tables=4, phase="round")
    engine.dispose()
    env = {
        "DATABASE_URL": database_url, "SECRET_KEY": "k" * 40, "EMBED_IN_BACKGROUND": "0",
        "NOTE_BURST": "1000000", "NOTE_PER_MINUTE": "1000000",
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(app_command(port), port, env)
    try:
        phones = [Phone(base, cafe.tables[n % 4].join_token, f"phone{n}") for n in range(PHONES)]
        killed = threading.Event()
        senders = [threading.Thread(target=p.send_until, args=(killed,)) for p in phones]
        for sender in senders:
            sender.start()
        started = time.monotonic()
        while sum(len(p.acked) for p in phones) < ACKED_BEFORE_KILL and time.monotonic() < started + LOAD_SECONDS:
            time.sleep(0.01)
        time.sleep(random.uniform(0, 0.03))  # anywhere in the intake's cycle: lingering, writing, answering
        os.kill(server.pid, signal.SIGKILL)
        load_seconds = time.monotonic() - started
        killed.set()
        server.wait()
        for sender in senders:
            sender.join(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    sent = {c for p in phones for c in p.sent}
    acked = {c for p in phones for c in p.acked}
    assert len(acked) >= 50, f"only {len(acked)} notes were acknowledged before the kill: not a load"
    server = start_server(app_command(port), port, env)
    try:
        ids, integrity = stored(database_url, cafe.cafe_id)
        assert integrity == "ok"
        assert acked - set(ids) == set(), "an acknowledged note was lost"
        assert len(ids) == len(set(ids)), "a note was stored twice"
        assert set(ids) <= sent
        in_flight = set(ids) - acked  # stored, but the phone never heard so

        # Every phone sends every note again, as its queue would (its cookie still holds, the
        # secret key is the same): each is answered, none is stored twice.
        answers = {}
        for phone in phones:
            for client_id in phone.sent:
                answers[client_id] = phone.send(client_id)
        assert {answers[c] for c in acked} == {200}, "an acknowledged note must be found as already saved"
        assert set(answers.values()) <= {200, 201}
        ids_after, _ = stored(database_url, cafe.cafe_id)
        assert len(ids_after) == len(set(ids_after)) == len(sent)
    finally:
        server.terminate()
        server.wait()
        for phone in phones:
            phone.client.close()
    print(
        f"\n{len(acked)} notes acknowledged in {load_seconds:.1f} s before SIGKILL, {len(sent)} sent, "
        f"{len(sent) - len(acked)} unanswered; {len(set(ids))} stored after restart "
        f"({len(in_flight)} of them committed but not yet answered), 0 lost, 0 twice; "
        f"{len(ids_after)} after resending all"
    )
