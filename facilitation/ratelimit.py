"""A token bucket per key (a device), so one phone cannot flood a table."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    capacity: float  # how many posts may come at once
    refill_per_second: float
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # key -> (tokens, at)

    def allow(self, key: str, now: float) -> bool:
        tokens, at = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.refill_per_second)
        allowed = tokens >= 1
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)
        if len(self._buckets) > 100_000:  # forget idle devices rather than grow without end
            self._forget_full(now)
        return allowed

    def _forget_full(self, now: float) -> None:
        for key, (tokens, at) in list(self._buckets.items()):
            if tokens + (now - at) * self.refill_per_second >= self.capacity:
                del self._buckets[key]
