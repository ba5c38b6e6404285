"""`make bench-live`: simulated phones, a wall and host streams against one app process.

It starts the app (SQLite, one uvicorn process) and a bare ASGI endpoint on loopback, then:
1. a round's last minute: PHONES phones over TABLES tables each send NOTES notes at random times
   in WINDOW seconds, some sends retried with the same id, while a wall and one stream per table
   host listen (each host stream drops once and reconnects with Last-Event-ID);
2. throughput: CONCURRENCY clients (and as many as PHONES) send notes back to back for SECONDS,
   taking turns with the same load against the bare endpoint (medians of three), as a ratio;
3. the rotation's mixing against random seating.
Figures are printed and written to var/bench/live.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

from bench.loadclient import Connection, closed_loop

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "live.json"
TURNS = 3  # throughput runs per server and level
JOIN_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def prepare_cafe(database_url: str, tables: int) -> dict:
    """A leader, a process and a café with a running round, straight through the services."""
    os.environ["DATABASE_URL"] = database_url
    from sqlmodel import Session

    from app.db import make_engine, upgrade_database
    from app.services import cafes as cafe_service
    from app.services.accounts import create_user
    from facilitation.process import RoundPlan

    upgrade_database(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        user = create_user(session, email="bench@example.se", password="bench-password-1", organisation="Bench")
        process = cafe_service.save_process(
            session, user=user, name="Bench", municipalities="", plan="", participation_level="consultation",
            description="",
        )
        from datetime import date

        cafe = cafe_service.create_cafe(
            session, process=process, village="Benchby", venue="", on=date.today(), table_count=tables,
            rounds=[RoundPlan("Vad behöver byn?", 60)],
        )
        cafe_service.run_action(session, cafe=cafe, action="open")
        cafe_service.run_action(session, cafe=cafe, action="start_round")
        result = {
            "cafe_id": cafe.id,
            "tables": [(t.join_token, t.host_token) for t in cafe_service.tables_of(session, cafe)],
        }
    engine.dispose()
    return result


def app_command(port: int) -> list[str]:
    """The app as it runs in the hall: `bykafe serve`."""
    return [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]


def bare_command(port: int) -> list[str]:
    """The bare endpoint, under uvicorn with the same options as `bykafe serve`."""
    return [sys.executable, "-m", "uvicorn", "bench.bare_asgi:app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--no-access-log", "--no-proxy-headers"]


def start_server(command: list[str], port: int, env: dict) -> subprocess.Popen:
    # The app writes a JSON line per request on standard output: thousands here, read by nobody.
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{' '.join(command)} did not start")


class Stream:
    """An SSE listener that records when each note's client id arrives, and can drop once."""

    def __init__(self, url: str, cookies=None, drop_after: float | None = None):
        self.url, self.cookies, self.drop_after = url, cookies, drop_after
        self.arrivals: dict[str, float] = {}
        self.last_id: str | None = None
        self.reconnects = 0

    async def run(self, stop: asyncio.Event) -> None:
        started = time.monotonic()
        async with httpx2.AsyncClient(cookies=self.cookies, timeout=None) as client:
            while not stop.is_set():
                headers = {"Last-Event-ID": self.last_id} if self.last_id else {}
                try:
                    async with client.stream("GET", self.url, headers=headers) as response:
                        event_id = kind = None
                        async for line in response.aiter_lines():
                            if line.startswith("id: "):
                                event_id = line[4:]
                            elif line.startswith("event: "):
                                kind = line[7:]
                            elif line.startswith("data: ") and kind == "note":
                                self.arrivals.setdefault(json.loads(line[6:])["client_id"], time.monotonic())
                            elif line == "" and event_id:
                                self.last_id = event_id
                            if stop.is_set():
                                return
                            if self.drop_after and time.monotonic() - started > self.drop_after:
                                self.drop_after = None
                                self.reconnects += 1
                                break  # drop the connection; reconnect with Last-Event-ID
                except httpx2.HTTPError:
                    await asyncio.sleep(0.2)


async def phone(port: int, join_token: str, notes: int, window: float, log: dict, rng: random.Random) -> None:
    """One phone on its own keep-alive connection: sits down, then sends its notes in the window."""
    connection = Connection("127.0.0.1", port)
    try:
        start = time.monotonic()
        await asyncio.sleep(rng.uniform(0, JOIN_SECONDS))  # people sit down over a while, not at once
        _status, headers, _ = await connection.post_retrying(f"/api/v1/tables/{join_token}/join", None)
        cookie = headers["set-cookie"].split(";")[0]
        await asyncio.sleep(max(0, start + JOIN_SECONDS - time.monotonic()))
        times = sorted(rng.uniform(0, window) for _ in range(notes))
        start = time.monotonic()
        for i, at in enumerate(times):
            await asyncio.sleep(max(0, start + at - time.monotonic()))
            client_id = f"{join_token[:8]}-{rng.getrandbits(64):016x}"
            body = {"client_id": client_id, "text": f"Inspel {i} från bordet: bättre buss och bredband."}
            log["sent_at"][client_id] = time.monotonic()
            attempts = 2 if rng.random() < 0.1 else 1  # the phone did not hear the answer: it sends again
            for _attempt in range(attempts):
                began = time.monotonic()
                status, _headers, _ = await connection.post_retrying(f"/api/v1/tables/{join_token}/notes", body, cookie)
                log["latencies"].append(time.monotonic() - began)
                if status in (200, 201):
                    log["acked"].add(client_id)
                    log["resends"] += status == 200
                else:
                    log["errors"].append(status)
    finally:
        connection.close()


async def login(base: str) -> httpx2.Cookies:
    async with httpx2.AsyncClient(base_url=base) as client:
        page = await client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        await client.post("/login", data={"email": "bench@example.se", "password": "bench-password-1", "csrf_token": csrf})
        return client.cookies


async def round_scenario(base: str, cafe: dict, phones: int, notes: int, window: float) -> dict:
    cookies = await login(base)
    stop = asyncio.Event()
    wall = Stream(f"{base}/leader/cafes/{cafe['cafe_id']}/events", cookies=cookies)
    hosts = [Stream(f"{base}/h/{host}/events", drop_after=window / 2) for _join, host in cafe["tables"]]
    listeners = [asyncio.create_task(s.run(stop)) for s in [wall, *hosts]]
    await asyncio.sleep(1.0)
    log = {"sent_at": {}, "latencies": [], "acked": set(), "errors": [], "resends": 0}
    rng = random.Random(7)
    started = time.monotonic()
    port = int(base.rsplit(":", 1)[1])
    await asyncio.gather(*[
        phone(port, cafe["tables"][i % len(cafe["tables"])][0], notes, window, log, random.Random(rng.random()))
        for i in range(phones)
    ])
    elapsed = time.monotonic() - started
    await asyncio.sleep(2.0)  # let the last events reach the streams
    stop.set()
    for task in listeners:
        task.cancel()
    wall_delays = [wall.arrivals[c] - log["sent_at"][c] for c in log["acked"] if c in wall.arrivals]
    host_seen = set().union(*(h.arrivals for h in hosts))
    return {
        "phones": phones, "tables": len(cafe["tables"]), "notes_per_phone": notes, "window_s": window,
        "elapsed_s": round(elapsed, 2),
        "notes_acknowledged": len(log["acked"]),
        "resends_answered_as_already_saved": log["resends"],
        "errors": len(log["errors"]),
        "submit_ms": {p: round(1000 * percentile(log["latencies"], p), 1) for p in (50, 95, 99)},
        "wall_delivery_ms": {p: round(1000 * percentile(wall_delays, p), 1) for p in (50, 95, 99)},
        "wall_missing": len(log["acked"] - set(wall.arrivals)),
        "host_streams_missing": len(log["acked"] - host_seen),
        "host_reconnects": sum(h.reconnects for h in hosts),
        "acked_ids": log["acked"],
    }


def throughput(port: int, path_body_cookie, concurrency: int, seconds: float) -> float:
    result = asyncio.run(closed_loop("127.0.0.1", port, path_body_cookie, concurrency, seconds))
    return result["requests_per_s"]


async def join_phones(port: int, tokens: list[str], count: int) -> list[str]:
    cookies = []
    for n in range(count):
        connection = Connection("127.0.0.1", port)
        await connection.open()
        _status, headers, _ = await connection.post(f"/api/v1/tables/{tokens[n % len(tokens)]}/join", None)
        cookies.append(headers["set-cookie"].split(";")[0])
        connection.close()
    return cookies


def stored_notes(database_url: str, cafe_id: int) -> tuple[int, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        query = text("SELECT COUNT(*), COUNT(DISTINCT client_id) FROM note WHERE cafe_id = :c")
        rows = connection.execute(query, {"c": cafe_id}).one()
    engine.dispose()
    return rows[0], rows[1]


def stored_client_ids(database_url: str, cafe_id: int) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        ids = {row[0] for row in connection.execute(text("SELECT client_id FROM note WHERE cafe_id = :c"), {"c": cafe_id})}
    engine.dispose()
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=400)
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--notes", type=int, default=5)
    parser.add_argument("--window", type=float, default=60.0, help="seconds in which the notes are sent")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each throughput run")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bykafe-bench-"))
    database_url = f"sqlite:///{workdir / 'bench.db'}"
    cafe = prepare_cafe(database_url, args.tables)
    env = {"DATABASE_URL": database_url, "EMBED_IN_BACKGROUND": "0", "NOTE_BURST": "1000000",
           "NOTE_PER_MINUTE": "1000000", "SECRET_KEY": "b" * 40}
    port = free_port()
    server = start_server(app_command(port), port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"Round: {args.phones} phones at {args.tables} tables, {args.notes} notes each in {args.window:.0f} s…",
              file=sys.stderr)
        scenario = asyncio.run(round_scenario(base, cafe, args.phones, args.notes, args.window))
        acked = scenario.pop("acked_ids")
        stored = stored_client_ids(database_url, cafe["cafe_id"])
        rows, distinct = stored_notes(database_url, cafe["cafe_id"])
        scenario.update(notes_stored=rows, notes_lost=len(acked - stored), notes_duplicated=rows - distinct)

        levels = sorted({args.concurrency, args.phones})
        tokens = [join for join, _host in cafe["tables"]]
        cookies = asyncio.run(join_phones(port, tokens, max(levels)))

        def note(n):
            body = {"client_id": f"t{n}-{random.getrandbits(64):016x}", "text": "Fler bussar på kvällen."}
            return f"/api/v1/tables/{tokens[n % len(tokens)]}/notes", body, cookies[n]

        # Both servers run side by side and take turns, three times per level, so a machine that
        # gets busier or quieter during the run shifts both alike; medians are reported.
        bare_port = free_port()
        bare = start_server(bare_command(bare_port), bare_port, {})
        try:
            def bare_note(n):
                return "/notes", {"client_id": f"t{n}", "text": "Fler bussar på kvällen."}, None

            app_rates, bare_rates = {}, {}
            for level in levels:
                print(f"Throughput: {level} phones sending back to back, {args.seconds:.0f} s a turn, "
                      f"app and bare in turn ×{TURNS}…", file=sys.stderr)
                turns = [(throughput(port, note, level, args.seconds), throughput(bare_port, bare_note, level, args.seconds))
                         for _ in range(TURNS)]
                app_rates[level] = statistics.median(a for a, _ in turns)
                bare_rates[level] = statistics.median(b for _, b in turns)
        finally:
            bare.terminate()
            bare.wait()
        app_peak = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()

    try:
        from facilitation.rotation import simulate_evening

        mixing = simulate_evening(40, 8, 4, seed=0)
    except ImportError:
        mixing = None

    figures = {
        "round": scenario,
        # The same closed-loop load on both, at two sizes: the ratio grows with concurrency, since
        # the intake's batches grow while the bare endpoint has nothing to batch.
        "throughput": [
            {
                "concurrency": level,
                "app_notes_per_s": round(app_rates[level], 1),
                "bare_asgi_requests_per_s": round(bare_rates[level], 1),
                "ratio": round(app_rates[level] / bare_rates[level], 3) if bare_rates[level] else None,
            }
            for level in levels
        ],
        "server_peak_rss_mb": round(app_peak, 1),
        "rotation_mixing": mixing,
        "machine": {"cpus": os.cpu_count(), "database": "sqlite"},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
