"""A minimal HTTP/1.1 keep-alive client on asyncio streams, for measuring servers rather than
the client: httpx spends more time per request than a small endpoint does."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post_json(self, path: str, body: dict | None, cookie: str | None = None) -> tuple[int, bytes]:
        status, _headers, reply = await self.post(path, body, cookie)
        return status, reply

    async def post(self, path: str, body: dict | None, cookie: str | None = None) -> tuple[int, dict, bytes]:
        payload = json.dumps(body).encode() if body is not None else b""
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(payload)}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "\r\n"
        )
        self.writer.write(head.encode() + payload)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers, await self.reader.readexactly(int(headers.get("content-length", 0)))

    async def post_retrying(self, path: str, body: dict | None, cookie: str | None = None) -> tuple[int, dict, bytes]:
        """Like a phone: when the connection was closed (idle, or dropped), connect again and resend."""
        for attempt in range(5):
            try:
                if self.writer is None or self.writer.is_closing():
                    await self.open()
                return await self.post(path, body, cookie)
            except (ConnectionError, asyncio.IncompleteReadError, OSError):
                self.close()
                self.writer = None
                if attempt:  # an idle connection the server closed: reconnect at once; else back off
                    await asyncio.sleep(0.2 * attempt)
        raise ConnectionError(f"gave up sending to {path}")

    def close(self) -> None:
        if self.writer:
            self.writer.close()


async def closed_loop(
    host: str, port: int, request: Callable[[int], tuple[str, dict, str | None]], concurrency: int, seconds: float
) -> dict:
    """`concurrency` connections each send one request after another for `seconds`.
    `request(worker)` gives (path, json body, cookie) for the next request of a worker."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + seconds

    async def worker(n: int) -> None:
        connection = Connection(host, port)
        await connection.open()
        try:
            while time.monotonic() < deadline:
                path, body, cookie = request(n)
                began = time.monotonic()
                status, _ = await connection.post_json(path, body, cookie)
                latencies.append(time.monotonic() - began)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            connection.close()

    started = time.monotonic()
    await asyncio.gather(*[worker(n) for n in range(concurrency)])
    elapsed = time.monotonic() - started
    ok = statuses.get(200, 0) + statuses.get(201, 0)
    return {"requests_per_s": ok / elapsed, "statuses": statuses, "latencies": latencies}
