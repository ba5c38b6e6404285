"""What public pages may show of a count, so that no one can be singled out.

A small count in a small village points to people ("the two who wrote about the school"), so
counts from 1 to threshold − 1 are shown as "fewer than threshold". None stands for such a count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

THRESHOLD = 5

K = TypeVar("K")


def suppress_small(count: int, threshold: int = THRESHOLD) -> int | None:
    """The count, or None when it is too small to show. Zero is shown: no one is behind it."""
    return None if 0 < count < threshold else count


def suppress_counts(counts: Mapping[K, int], threshold: int = THRESHOLD) -> dict[K, int | None]:
    """Counts of a breakdown whose total is also shown. When exactly one count is suppressed,
    the total minus the others would give it away, so the next smallest is suppressed too."""
    shown: dict[K, int | None] = {key: suppress_small(count, threshold) for key, count in counts.items()}
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        visible = [key for key, value in shown.items() if value]
        if visible:
            shown[min(visible, key=lambda key: counts[key])] = None
    return shown


def total_shown(counts: Mapping[K, int], threshold: int = THRESHOLD) -> int | None:
    return suppress_small(sum(counts.values()), threshold)
