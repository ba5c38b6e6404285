"""The harvest's dot vote: each phone places a few dots on the café's themes."""

from __future__ import annotations

from facilitation.refusals import Refused

DEFAULT_DOTS = 3
MAX_DOTS = 10


class VoteRefused(Refused):
    pass


def check_dots_setting(dots: int) -> None:
    if not 1 <= dots <= MAX_DOTS:
        raise VoteRefused("bad_dot_count")


def dots_after(placed: dict[str, int], theme_key: str, change: int, allowed: int, known_keys: set[str]) -> dict[str, int]:
    """A phone's dots per theme after adding (+1) or taking back (-1) one dot.

    Refuses a dot beyond the phone's allowance, on an unknown theme, or below zero."""
    if theme_key not in known_keys:
        raise VoteRefused("unknown_theme")
    if change not in (1, -1):
        raise VoteRefused("bad_change")
    current = placed.get(theme_key, 0)
    if change == 1 and sum(placed.values()) >= allowed:
        raise VoteRefused("no_dots_left")
    if change == -1 and current == 0:
        return dict(placed)
    updated = dict(placed)
    updated[theme_key] = current + change
    if updated[theme_key] == 0:
        del updated[theme_key]
    return updated
