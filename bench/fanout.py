"""`make bench-fanout`: how fast a stored note reaches 500, 1,000 and 2,000 open event streams.

Three servers, one after another on this machine, in one run:
- the app, one process on SQLite (`bykafe serve`);
- the app, two processes on PostgreSQL (`bykafe serve --workers 2`, a throwaway cluster on
  loopback as CI starts one), so half the streams hear each note through LISTEN/NOTIFY;
- the anchor: a bare Starlette streaming endpoint (bench/bare_fanout.py) fanning out the same
  messages.
The streams are the leader's café stream (every note reaches every stream), all opened from this
one process on raw sockets. A note is timed from just before its POST is written to when its text
arrives on each stream. Then, on PostgreSQL, notes a second from phones sending back to back with
one and with two processes. Figures are printed and written to var/bench/fanout.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

from bench.live import app_command, free_port, percentile, prepare_cafe
from bench.loadclient import Connection, closed_loop

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="bykafe-fanout-"))
OUT = ROOT / "var" / "bench" / "fanout.json"
LEVELS = (500, 1000, 2000)
TARGET_P99_MS = 250
MARKER = re.compile(rb"fanout-(\d+)-x")
ENV = {"EMBED_IN_BACKGROUND": "0", "NOTE_BURST": "1000000", "NOTE_PER_MINUTE": "1000000", "SECRET_KEY": "f" * 40}


class StreamClient(asyncio.Protocol):
    """One open event stream: notes when each marked message arrives, and nothing more."""

    def __init__(self, request: bytes, arrivals: dict[int, list[float]]):
        self.request, self.arrivals = request, arrivals
        self.opened = asyncio.get_running_loop().create_future()
        self.head, self.tail, self.seen = b"", b"", set()

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        if not self.opened.done():
            self.head += data
            if b"\r\n\r\n" not in self.head:
                return
            status = self.head.split(b" ", 2)[1]
            if status != b"200":
                self.opened.set_exception(RuntimeError(f"stream answered {status.decode()}"))
                return
            self.opened.set_result(True)
            data = self.head
        for match in MARKER.finditer(self.tail + data):
            number = int(match.group(1))
            if number not in self.seen:
                self.seen.add(number)
                self.arrivals.setdefault(number, []).append(now)
        self.tail = data[-32:]

    def connection_lost(self, exc) -> None:
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("stream closed before it opened"))


async def open_streams(port: int, path: str, cookie: str | None, count: int, arrivals: dict) -> tuple[list, int]:
    """`count` streams, and how many had to be opened again."""
    loop = asyncio.get_running_loop()
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
               + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode()
    clients, reopened = [], 0

    async def connect() -> StreamClient:
        client = StreamClient(request, arrivals)
        await loop.create_connection(lambda: client, "127.0.0.1", port)
        await asyncio.wait_for(client.opened, timeout=60)
        return client

    for start in range(0, count, 100):  # a hundred at a time: like people arriving, not a SYN flood
        for _attempt in range(3):  # a connection refused or reset under load is tried again, as EventSource does
            wanted = min(100, count - start) - (len(clients) - start)
            if wanted == 0:
                break
            opened = await asyncio.gather(*[connect() for _ in range(wanted)], return_exceptions=True)
            clients += [c for c in opened if isinstance(c, StreamClient)]
            failed = [c for c in opened if not isinstance(c, StreamClient)]
            reopened += len(failed)
        if len(clients) < start + min(100, count - start):
            raise RuntimeError(f"could not open the streams: {failed[0]!r}")
    return clients, reopened


async def measure(port: int, post, streams_path: str, cookie: str | None, messages: int) -> list[dict]:
    """Open the streams level by level; at each, send `messages` marked notes one after another."""
    arrivals: dict[int, list[float]] = {}
    clients: list[StreamClient] = []
    sender = Connection("127.0.0.1", port)
    number, results = 0, []
    try:
        for level in LEVELS:
            opened, reopened = await open_streams(port, streams_path, cookie, level - len(clients), arrivals)
            clients += opened
            await asyncio.sleep(1.0)  # let the server settle after the openings
            sender.close()
            await sender.open()  # afresh: the server closes a keep-alive connection idle for 5 s
            delays, missing = [], 0
            for _ in range(messages):
                number += 1
                sent = time.perf_counter()
                status = await post(sender, number)
                assert status in (200, 201), status
                deadline = time.perf_counter() + 5
                while len(arrivals.get(number, ())) < level and time.perf_counter() < deadline:
                    await asyncio.sleep(0.005)
                got = arrivals.pop(number, [])
                delays += [1000 * (t - sent) for t in got]
                missing += level - len(got)
                await asyncio.sleep(0.1)
            results.append({
                "streams": level, "messages": messages, "deliveries_missing": missing,
                "p50_ms": round(percentile(delays, 50), 1), "p99_ms": round(percentile(delays, 99), 1),
                "max_ms": round(max(delays), 1), "streams_reopened": reopened,
            })
            print(f"  {level} streams: p50 {results[-1]['p50_ms']} ms, p99 {results[-1]['p99_ms']} ms", file=sys.stderr)
    finally:
        sender.close()
        for client in clients:
            client.transport.close()
    return results


def note(number: int) -> dict:
    return {"client_id": f"fanout-{number}", "text": f"fanout-{number}-x Bättre kollektivtrafik mellan byarna på kvällen."}


def start_server(command: list[str], port: int, env: dict) -> subprocess.Popen:
    """A server whose log goes to a file beside the databases; it may take a while on a busy machine."""
    log = open(WORKDIR / f"server-{port}.log", "w")
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 180
    while time.time() < deadline and server.poll() is None:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code in (200, 404):
                return server
        except httpx2.HTTPError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"{' '.join(command)} did not start: see {log.name}")


def leader_cookie(base: str) -> str:
    with httpx2.Client(base_url=base) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        client.post("/login", data={"email": "bench@example.se", "password": "bench-password-1", "csrf_token": csrf})
        return f"bykafe={client.cookies['bykafe']}"


def phone_cookie(base: str, join_token: str) -> str:
    reply = httpx2.post(f"{base}/api/v1/tables/{join_token}/join")
    return reply.headers["set-cookie"].split(";")[0]


def measure_app(database_url: str, workers: int, messages: int) -> tuple[list[dict], float]:
    cafe = prepare_cafe(database_url, tables=10)
    port = free_port()
    command = app_command(port) + ["--workers", str(workers)]
    server = start_server(command, port, {**ENV, "DATABASE_URL": database_url})
    try:
        base = f"http://127.0.0.1:{port}"
        join = cafe["tables"][0][0]
        phone = phone_cookie(base, join)

        async def post(connection, number):
            status, _ = await connection.post_json(f"/api/v1/tables/{join}/notes", note(number), phone)
            return status

        results = asyncio.run(measure(port, post, f"/leader/cafes/{cafe['cafe_id']}/events", leader_cookie(base), messages))
        return results, peak_rss_mb_tree(server.pid)
    finally:
        stop(server)


def measure_bare(messages: int) -> list[dict]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.bare_fanout:app", "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "warning", "--no-access-log", "--no-proxy-headers"]
    server = start_server(command, port, {})
    try:
        async def post(connection, number):
            status, _ = await connection.post_json("/publish", note(number))
            return status

        return asyncio.run(measure(port, post, "/events", None, messages))
    finally:
        stop(server)


def submit_throughput(database_url: str, workers: int, phones: int, seconds: float) -> float:
    """Notes stored a second with `phones` phones sending back to back (closed loop)."""
    cafe = prepare_cafe(database_url, tables=50)
    port = free_port()
    server = start_server(app_command(port) + ["--workers", str(workers)], port, {**ENV, "DATABASE_URL": database_url})
    try:
        base = f"http://127.0.0.1:{port}"
        tokens = [join for join, _host in cafe["tables"]]
        cookies = [phone_cookie(base, tokens[n % len(tokens)]) for n in range(phones)]
        counter = iter(range(10**9))

        def note(n):
            body = {"client_id": f"t{n}-{next(counter)}", "text": "Fler bussar på kvällen."}
            return f"/api/v1/tables/{tokens[n % len(tokens)]}/notes", body, cookies[n]

        asyncio.run(closed_loop("127.0.0.1", port, note, phones, 1.0))  # warm up both processes
        return asyncio.run(closed_loop("127.0.0.1", port, note, phones, seconds))["requests_per_s"]
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def peak_rss_mb_tree(pid: int) -> float:
    """Peak resident memory of a server and its worker processes, summed."""
    total, pids = 0.0, [pid]
    while pids:
        current = pids.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(p) for p in (task / "children").read_text().split()]
    return total


@contextlib.contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster of its own on loopback, as .ci/run starts one; removed afterwards."""
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not binaries:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql): needed for the two-process run")
    bin_dir, port = binaries[-1].parent, free_port()
    folder = Path(tempfile.mkdtemp(prefix="bykafe-fanout-pg-"))
    as_postgres = ["su", "postgres", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")

    def run(command: str) -> None:
        subprocess.run([*as_postgres, command], check=True, stdout=subprocess.DEVNULL)

    run(f"{bin_dir}/initdb -D {folder}/data -A trust -U postgres")
    run(f"{bin_dir}/pg_ctl -D {folder}/data -l {folder}/log -w start "
        f"-o '-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300'")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}", run
    finally:
        run(f"{bin_dir}/pg_ctl -D {folder}/data -m fast stop")
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20, help="notes sent at each level")
    parser.add_argument("--phones", type=int, default=50, help="phones in the submit-throughput runs")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each throughput run")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL (a quicker look while tuning)")
    args = parser.parse_args()

    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # 2,000 streams need as many sockets
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 16384)), hard))

    print("Bare Starlette streaming endpoint…", file=sys.stderr)
    bare = measure_bare(args.messages)
    print("The app, one process on SQLite…", file=sys.stderr)
    sqlite, sqlite_rss = measure_app(f"sqlite:///{WORKDIR / 'fanout.db'}", 1, args.messages)
    if args.sqlite_only:
        return 0
    with throwaway_postgres() as (server_url, run):
        print("The app, two processes on PostgreSQL…", file=sys.stderr)
        run(f"psql -h 127.0.0.1 -p {server_url.rsplit(':', 1)[1]} -U postgres -qc 'CREATE DATABASE fanout'")
        postgres, postgres_rss = measure_app(f"{server_url}/fanout", 2, args.messages)
        rates = {}
        for workers in (1, 2):
            print(f"Submit throughput on PostgreSQL, {workers} process(es)…", file=sys.stderr)
            name = f"submit{workers}"
            run(f"psql -h 127.0.0.1 -p {server_url.rsplit(':', 1)[1]} -U postgres -qc 'CREATE DATABASE {name}'")
            rates[workers] = round(submit_throughput(f"{server_url}/{name}", workers, args.phones, args.seconds), 1)

    def against_bare(results: list[dict]) -> list[dict]:
        for row, anchor in zip(results, bare):
            row["bare_p99_ms"] = anchor["p99_ms"]
            row["p99_over_bare"] = round(row["p99_ms"] / anchor["p99_ms"], 2) if anchor["p99_ms"] else None
            row["meets_targets"] = (row["deliveries_missing"] == 0 and row["p99_ms"] < TARGET_P99_MS
                                    and row["p99_ms"] <= 2 * anchor["p99_ms"])
        return results

    figures = {
        "targets": {"p99_ms_below": TARGET_P99_MS, "p99_at_most_times_bare": 2},
        "bare_starlette": bare,
        "app_sqlite_1_process": against_bare(sqlite),
        "app_postgresql_2_processes": against_bare(postgres),
        "server_peak_rss_mb": {"sqlite_1_process": round(sqlite_rss, 1), "postgresql_2_processes": round(postgres_rss, 1)},
        "submit_notes_per_s_postgresql": {"phones": args.phones, "1_process": rates[1], "2_processes": rates[2]},
        "machine": {"cpus": os.cpu_count(), "note": "client, servers and database share these CPUs"},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
