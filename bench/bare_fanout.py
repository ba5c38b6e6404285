"""The bare anchor of `make bench-fanout`: a Starlette streaming endpoint and nothing else.

GET /events holds an event stream open; POST /publish hands its body to every open stream, as
one SSE message shaped like the app's note events. No database, no sessions, no filtering."""

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

streams: set[asyncio.Queue] = set()
sequence = 0


async def events(request: Request) -> StreamingResponse:
    queue: asyncio.Queue = asyncio.Queue()
    streams.add(queue)

    async def send():
        try:
            yield "retry: 2000\n\n"
            while True:
                yield await queue.get()
        finally:
            streams.discard(queue)

    return StreamingResponse(send(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


async def publish(request: Request) -> Response:
    global sequence
    sequence += 1
    message = f"id: {sequence}\nevent: note\ndata: {(await request.body()).decode()}\n\n"
    for queue in streams:
        queue.put_nowait(message)
    return Response(status_code=201)


app = Starlette(routes=[Route("/events", events), Route("/publish", publish, methods=["POST"])])
