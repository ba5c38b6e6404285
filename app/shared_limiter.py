"""The phones' rate limit, shared by every app process on one PostgreSQL database.

The same token bucket as facilitation.ratelimit.RateLimiter, kept in the rate_bucket table and
updated by one atomic statement per post, so N processes behind one port still let a phone
send NOTE_BURST notes at once and NOTE_PER_MINUTE after that, not N times as many.
"""

from __future__ import annotations

import time

from sqlalchemy import text
from sqlalchemy.engine import Engine

# One statement: a new phone starts with a full bucket less this post; a known one is refilled for
# the time that passed, and let through (less one token) only when a whole token is there.
_TAKE = """
INSERT INTO rate_bucket AS b (key, tokens, at, allowed) VALUES (:key, :capacity - 1, :now, true)
ON CONFLICT (key) DO UPDATE SET
    tokens = {least}(:capacity, b.tokens + (:now - b.at) * :rate)
             - CASE WHEN {least}(:capacity, b.tokens + (:now - b.at) * :rate) >= 1 THEN 1 ELSE 0 END,
    allowed = {least}(:capacity, b.tokens + (:now - b.at) * :rate) >= 1,
    at = :now
RETURNING allowed
"""
_FORGET_FULL = "DELETE FROM rate_bucket WHERE tokens + (:now - at) * :rate >= :capacity"
FORGET_EVERY_SECONDS = 600


class DatabaseRateLimiter:
    def __init__(self, engine: Engine, *, capacity: float, refill_per_second: float):
        self.engine, self.capacity, self.rate = engine, capacity, refill_per_second
        least = "LEAST" if engine.dialect.name == "postgresql" else "MIN"  # SQLite's MIN takes two values too
        self.take = text(_TAKE.format(least=least))
        self.next_forget = 0.0

    def allow(self, key: str, now: float) -> bool:
        """One post by `key`, in a transaction of its own (a host's note, sent through a page).

        `now` is each process's own clock (monotonic); the shared bucket needs the wall clock."""
        with self.engine.begin() as connection:
            if self.engine.dialect.name == "postgresql":
                # A bucket lost in a crash costs nothing: do not wait for the disk.
                connection.execute(text("SET LOCAL synchronous_commit TO OFF"))
            return self._take(connection, key)

    def within(self, session) -> BatchLimiter:
        """The same limit, taken in the transaction that stores a batch of notes (app/intake.py):
        one statement a note and no commit of its own, which would cost a flush a note."""
        return BatchLimiter(self, session)

    def _take(self, connection, key: str) -> bool:
        wall = time.time()
        values = {"key": key, "capacity": self.capacity, "rate": self.rate, "now": wall}
        allowed = bool(connection.execute(self.take, values).scalar_one())
        if wall >= self.next_forget:  # a full bucket is the same as none: keep the table small
            connection.execute(text(_FORGET_FULL), values)
            self.next_forget = wall + FORGET_EVERY_SECONDS
        return allowed


class BatchLimiter:
    def __init__(self, limiter: DatabaseRateLimiter, session):
        self.limiter, self.session = limiter, session

    def allow(self, key: str, now: float) -> bool:
        return self.limiter._take(self.session.connection(), key)
