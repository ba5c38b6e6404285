"""Live updates by server-sent events.

A change writes a LiveEvent row in its own transaction (`record_event`). After the commit the
process's LiveHub is woken: it reads the new rows once per café and hands them to every local
stream. With PostgreSQL the commit also sends NOTIFY, so hubs in other app processes wake too.
A stream that reconnects with Last-Event-ID is first sent the rows it missed.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from sqlalchemy import event, func, insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import LiveEvent, row_id, utcnow

NOTIFY_CHANNEL = "bykafe_live"
HEARTBEAT_SECONDS = 15
POLL_SECONDS = 5  # safety net: a missed wake-up costs at most this long


def record_event(session: Session, *, cafe_id: int, kind: str, data: dict, table_id: int | None = None) -> None:
    session.add(LiveEvent(cafe_id=cafe_id, kind=kind, table_id=table_id, data=json.dumps(data, default=str)))
    session.info.setdefault("live_cafes", set()).add(cafe_id)
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_notify(:channel, :cafe)").bindparams(channel=NOTIFY_CHANNEL, cafe=str(cafe_id)))


def record_events(session: Session, events: list[dict]) -> None:
    """Many events at once (a batch of notes): one insert, one NOTIFY per café."""
    at = utcnow()
    rows = [{**e, "data": json.dumps(e["data"], default=str), "at": at} for e in events]
    session.connection().execute(insert(LiveEvent.__table__), rows)
    cafes = {e["cafe_id"] for e in events}
    session.info.setdefault("live_cafes", set()).update(cafes)
    if session.get_bind().dialect.name == "postgresql":
        for cafe_id in cafes:
            session.execute(text("SELECT pg_notify(:channel, :cafe)").bindparams(channel=NOTIFY_CHANNEL, cafe=str(cafe_id)))


def newest_event_id(session: Session, cafe_id: int) -> int:
    """The café's newest event: a page rendered now streams from here, so nothing that happens
    between rendering it and opening its stream is missed."""
    return session.exec(select(func.max(LiveEvent.id)).where(LiveEvent.cafe_id == cafe_id)).one() or 0


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session) -> None:
    cafes = session.info.pop("live_cafes", None)
    hub = session.info.get("live_hub")
    if cafes and hub is not None:
        for cafe_id in cafes:
            hub.wake_threadsafe(cafe_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop("live_cafes", None)


@dataclass(eq=False)
class Subscription:
    cafe_id: int
    accepts: Callable[[LiveEvent], bool]
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)  # SSE messages, ready to send


class LiveHub:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.loop: asyncio.AbstractEventLoop | None = None
        self.subscriptions: dict[int, set[Subscription]] = defaultdict(set)
        self.cursor: dict[int, int] = {}  # café -> newest event id handed out
        self.locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._stop = threading.Event()
        self._poller: asyncio.Task | None = None

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._poller = asyncio.create_task(self._poll_forever())
        if self.engine.dialect.name == "postgresql":
            threading.Thread(target=self._listen_postgres, name="bykafe-listen", daemon=True).start()

    async def stop(self) -> None:
        self._stop.set()
        if self._poller:
            self._poller.cancel()

    def wake_threadsafe(self, cafe_id: int) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self.wake(cafe_id)))

    async def wake(self, cafe_id: int) -> None:
        if not self.subscriptions.get(cafe_id):
            return
        async with self.locks[cafe_id]:
            cursor = self.cursor.get(cafe_id, 0)
            events = await asyncio.to_thread(self._load, cafe_id, cursor)
            for live_event in events:
                message = sse_format(live_event)  # once, not once per screen
                for subscription in list(self.subscriptions[cafe_id]):
                    if subscription.accepts(live_event):
                        subscription.queue.put_nowait(message)
            if events:
                self.cursor[cafe_id] = row_id(events[-1])

    async def subscribe(self, cafe_id: int, accepts: Callable[[LiveEvent], bool], last_id: int | None) -> Subscription:
        subscription = Subscription(cafe_id, accepts)
        async with self.locks[cafe_id]:
            if cafe_id not in self.cursor:
                self.cursor[cafe_id] = await asyncio.to_thread(self._newest_id, cafe_id)
            if last_id is not None:  # a reconnect: first what it missed
                for live_event in await asyncio.to_thread(self._load, cafe_id, last_id, self.cursor[cafe_id]):
                    if accepts(live_event):
                        subscription.queue.put_nowait(sse_format(live_event))
            self.subscriptions[cafe_id].add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self.subscriptions[subscription.cafe_id].discard(subscription)

    def _load(self, cafe_id: int, after: int, up_to: int | None = None) -> list[LiveEvent]:
        query = select(LiveEvent).where(LiveEvent.cafe_id == cafe_id, LiveEvent.id > after)
        if up_to is not None:
            query = query.where(LiveEvent.id <= up_to)
        with Session(self.engine) as session:
            return list(session.exec(query.order_by(LiveEvent.id).limit(5000)))

    def _newest_id(self, cafe_id: int) -> int:
        with Session(self.engine) as session:
            return newest_event_id(session, cafe_id)

    async def _poll_forever(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            for cafe_id in [c for c, subs in self.subscriptions.items() if subs]:
                await self.wake(cafe_id)

    def _listen_postgres(self) -> None:
        """LISTEN on its own connection; each NOTIFY names a café to wake."""
        import psycopg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=1.0):
                            self.wake_threadsafe(int(notice.payload))
            except Exception:  # the server went away: try again shortly
                self._stop.wait(1.0)


def sse_format(live_event: LiveEvent) -> str:
    return f"id: {live_event.id}\nevent: {live_event.kind}\ndata: {live_event.data}\n\n"


async def stream(hub: LiveHub, subscription: Subscription, is_disconnected) -> AsyncIterator[str]:
    try:
        yield "retry: 2000\n\n"
        while True:
            try:
                # A timer, not wait_for: that starts a task for every event on every screen.
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    message = await subscription.queue.get()
            except TimeoutError:
                if await is_disconnected():
                    return
                yield ": keep-alive\n\n"
                continue
            yield message
    finally:
        hub.unsubscribe(subscription)
