"""The note intake: one writer thread per app process stores the notes of many requests at once.

A request hands its note over and waits; the writer takes everything that has queued up while
the previous batch was being written, checks and stores it in one transaction (one disk flush),
and only then answers each request. So a note acknowledged to a phone is committed, and a burst
at the end of a round costs one commit per batch instead of one per note.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.observability import INTAKE_BATCH
from app.shared_limiter import DatabaseRateLimiter
from app.services.note_batches import NoteRequest, Outcome, store_notes
from facilitation.ratelimit import RateLimiter

log = logging.getLogger(__name__)
MAX_BATCH = 256
# Wait this long for more notes before writing: a few milliseconds of latency buy batches large
# enough that the queries and the disk flush per batch stop mattering.
LINGER_SECONDS = 0.004


class NoteIntake:
    def __init__(self, engine: Engine, limiter: RateLimiter | DatabaseRateLimiter, *, live_hub=None, on_stored=None):
        self.engine, self.limiter, self.live_hub, self.on_stored = engine, limiter, live_hub, on_stored
        self.waiting: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="bykafe-intake", daemon=True)
        self.thread.start()

    async def submit(self, request: NoteRequest) -> Outcome:
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        self.waiting.put((request, answer, loop))
        return await answer

    def stop(self) -> None:
        """Store what has been handed over, then end (the thread is a daemon: wait for it)."""
        self.waiting.put(None)
        self.thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            first = self.waiting.get()
            if first is None:
                return
            batch = [first]
            time.sleep(LINGER_SECONDS)  # one nap, not a wake-up per arriving note
            while len(batch) < MAX_BATCH:
                try:
                    item = self.waiting.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self.waiting.put(None)
                    break
                batch.append(item)
            self._store(batch)

    def _store(self, batch) -> None:
        INTAKE_BATCH.observe(len(batch))
        requests = [request for request, _answer, _loop in batch]
        try:
            with Session(self.engine, info={"live_hub": self.live_hub}) as session:
                limiter = self.limiter.within(session) if isinstance(self.limiter, DatabaseRateLimiter) else self.limiter
                outcomes = store_notes(session, requests, limiter=limiter, now=time.monotonic())
                results: list[tuple[Outcome | None, Exception | None]] = [(o, None) for o in outcomes]
                stored_cafes = {o.note.cafe_id for o in outcomes if o.created}
        except Exception as error:  # answered as a server error; the phone keeps the note and retries
            log.exception("storing a batch of %d notes failed", len(batch))
            results, stored_cafes = [(None, error)] * len(batch), set()
        answers_by_loop: dict = {}
        for (_request, answer, loop), result in zip(batch, results):
            answers_by_loop.setdefault(loop, []).append((answer, *result))
        for loop, answers in answers_by_loop.items():  # one wake-up of the event loop per batch
            loop.call_soon_threadsafe(_answer_all, answers)
        if self.on_stored:
            for cafe_id in stored_cafes:
                self.on_stored(cafe_id)


def _answer_all(answers) -> None:
    for future, outcome, error in answers:
        if future.cancelled():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(outcome)
