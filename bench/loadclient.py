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

    async def post_json(self, path: str, body: dict, cookie: str | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(payload)}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "\r\n"
        )
        self.writer.write(head.encode() + payload)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

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
