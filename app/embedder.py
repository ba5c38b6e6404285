"""Embeds new notes in the background, a few at a time, so a theme run finds vectors ready.

One thread per app process. It works after a short pause, in small batches, so a burst of notes
at the end of a round is acknowledged first and embedded afterwards."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.services.themes import embed_pending_notes

log = logging.getLogger(__name__)
PAUSE_SECONDS = 2.0


class BackgroundEmbedder:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.pending: set[int] = set()
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="bykafe-embedder", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.wake.set()

    def note_arrived(self, cafe_id: int) -> None:
        self.pending.add(cafe_id)
        self.wake.set()

    def _run(self) -> None:
        while not self.stopped.is_set():
            self.wake.wait()
            if self.stopped.wait(PAUSE_SECONDS):
                return
            self.wake.clear()
            while self.pending and not self.stopped.is_set():
                cafe_id = self.pending.pop()
                try:
                    with Session(self.engine) as session:
                        if embed_pending_notes(session, cafe_id) > 0:
                            self.pending.add(cafe_id)  # more may be waiting: come back to it
                except Exception:  # never let one bad batch stop the thread; the theme run embeds what is left
                    log.exception("embedding notes of café %s failed", cafe_id)
