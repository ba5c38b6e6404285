"""The phases of a café evening and what each one allows.

A café is set up (draft), opened so people can join, runs its rounds one at a time, and is
closed. Between rounds it is open but no round is running; notes are refused then, because a
note belongs to a round's question (the phone keeps the text so nothing is lost).

A closed café can be reopened for a set time, for the harvest vote or late paper cards: phones
may join and vote again until then, but no round runs, so phones still cannot send notes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from facilitation.refusals import Refused


class Phase(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    ROUND = "round"
    CLOSED = "closed"


class Action(StrEnum):
    OPEN = "open"
    START_ROUND = "start_round"
    EXTEND_ROUND = "extend_round"
    END_ROUND = "end_round"
    CLOSE = "close"
    REOPEN = "reopen"


class PhaseError(Refused):
    """An action that the café's current phase does not allow; `code` names why."""


@dataclass(frozen=True)
class CafeState:
    phase: Phase
    round_count: int
    current_round: int | None = None  # the running round, or the last one that ran
    round_ends_at: datetime | None = None
    rounds_done: int = 0
    reopened_until: datetime | None = None  # a closed café reopened for the vote or late cards


MAX_EXTENSION_MINUTES = 60
MAX_REOPEN_MINUTES = 120


def allowed_actions(state: CafeState) -> list[Action]:
    match state.phase:
        case Phase.DRAFT:
            return [Action.OPEN]
        case Phase.OPEN:
            actions = [Action.START_ROUND] if state.rounds_done < state.round_count else []
            return actions + [Action.CLOSE]
        case Phase.ROUND:
            return [Action.EXTEND_ROUND, Action.END_ROUND, Action.CLOSE]
        case Phase.CLOSED:
            return [Action.REOPEN] + ([Action.CLOSE] if state.reopened_until else [])


def next_round_number(state: CafeState) -> int | None:
    if state.rounds_done >= state.round_count:
        return None
    return state.rounds_done + 1


def open_cafe(state: CafeState) -> CafeState:
    _require(state, Action.OPEN)
    return replace(state, phase=Phase.OPEN)


def start_round(state: CafeState, *, minutes: int, now: datetime) -> CafeState:
    _require(state, Action.START_ROUND)
    number = next_round_number(state)
    return replace(
        state,
        phase=Phase.ROUND,
        current_round=number,
        round_ends_at=now + timedelta(minutes=minutes),
    )


def extend_round(state: CafeState, *, minutes: int, now: datetime) -> CafeState:
    _require(state, Action.EXTEND_ROUND)
    if not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        raise PhaseError("bad_extension")
    # Extending a round whose time already ran out counts from now, not from the old end.
    base = max(state.round_ends_at or now, now)
    return replace(state, round_ends_at=base + timedelta(minutes=minutes))


def end_round(state: CafeState) -> CafeState:
    _require(state, Action.END_ROUND)
    return replace(state, phase=Phase.OPEN, round_ends_at=None, rounds_done=state.rounds_done + 1)


def close_cafe(state: CafeState) -> CafeState:
    _require(state, Action.CLOSE)
    rounds_done = state.rounds_done + (1 if state.phase == Phase.ROUND else 0)
    return replace(state, phase=Phase.CLOSED, round_ends_at=None, rounds_done=rounds_done, reopened_until=None)


def rounds_left_unrun(state: CafeState) -> int:
    """Rounds that closing now would leave unrun (not the running one: closing ends it)."""
    if state.phase == Phase.CLOSED:
        return 0
    return state.round_count - state.rounds_done - (1 if state.phase == Phase.ROUND else 0)


def reopen_cafe(state: CafeState, *, minutes: int, now: datetime) -> CafeState:
    """Open a closed café again until now + minutes; reopening again sets a new end."""
    _require(state, Action.REOPEN)
    if not 1 <= minutes <= MAX_REOPEN_MINUTES:
        raise PhaseError("bad_reopen")
    return replace(state, reopened_until=now + timedelta(minutes=minutes))


def is_reopened(state: CafeState, now: datetime) -> bool:
    return state.phase == Phase.CLOSED and state.reopened_until is not None and now < state.reopened_until


def open_again_until(state: CafeState, now: datetime) -> datetime | None:
    """When a reopened café closes again; None when it is not reopened now."""
    return state.reopened_until if is_reopened(state, now) else None


def can_join(state: CafeState, now: datetime) -> bool:
    """Phones may join, and vote when the leader has opened the vote: while the café is open and
    while it is reopened. Wall, phones and the vote itself ask this one question."""
    return state.phase in (Phase.OPEN, Phase.ROUND) or is_reopened(state, now)


def check_can_post_note(state: CafeState) -> None:
    """Raise PhaseError unless a participant may send a note right now."""
    if state.phase == Phase.DRAFT:
        raise PhaseError("cafe_not_open")
    if state.phase == Phase.CLOSED:
        raise PhaseError("cafe_closed")
    if state.phase != Phase.ROUND:
        raise PhaseError("no_round_running")


def seconds_left(state: CafeState, now: datetime) -> int | None:
    if state.phase != Phase.ROUND or state.round_ends_at is None:
        return None
    return max(0, int((state.round_ends_at - now).total_seconds()))


EARLY_END_SECONDS = 60  # ending a round with more time than this left is asked about first


def ends_round_early(state: CafeState, now: datetime) -> bool:
    """Whether ending the round now cuts it short for every table: one click on the wrong button
    must not do that without a question (ending a round has no undo)."""
    left = seconds_left(state, now)
    return left is not None and left > EARLY_END_SECONDS


def _require(state: CafeState, action: Action) -> None:
    if action not in allowed_actions(state):
        raise PhaseError(f"{action.value}_not_allowed_in_{state.phase.value}")


def room_instruction(state: CafeState) -> str:
    """The one step the wall shows the room now; people moving between tables hear nothing else."""
    if state.phase == Phase.DRAFT:
        return "wait_for_start"
    if state.phase == Phase.CLOSED:
        return "thank_you"
    if state.phase == Phase.ROUND:
        return "write_one_idea_per_note"
    if state.rounds_done == 0:
        return "scan_your_table"
    if state.rounds_done >= state.round_count:
        return "harvest"
    return "move_to_next_table"
