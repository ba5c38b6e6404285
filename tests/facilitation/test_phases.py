"""The phases of a café evening: what each allows, and the round clock."""

from datetime import datetime, timedelta, UTC

import pytest

from facilitation.phases import (
    ends_round_early,
    Action,
    CafeState,
    Phase,
    PhaseError,
    allowed_actions,
    can_join,
    check_can_post_note,
    close_cafe,
    is_reopened,
    end_round,
    extend_round,
    next_round_number,
    open_again_until,
    open_cafe,
    reopen_cafe,
    rounds_left_unrun,
    room_instruction,
    seconds_left,
    start_round,
)

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def draft(round_count=3):
    return CafeState(phase=Phase.DRAFT, round_count=round_count)


def in_round(number=1, round_count=3, ends_at=NOW + timedelta(minutes=20)):
    return CafeState(Phase.ROUND, round_count, current_round=number, round_ends_at=ends_at, rounds_done=number - 1)


def between_rounds(rounds_done=1, round_count=3):
    return CafeState(Phase.OPEN, round_count, current_round=rounds_done or None, rounds_done=rounds_done)


ACTIONS = {
    Action.OPEN: open_cafe,
    Action.START_ROUND: lambda state: start_round(state, minutes=20, now=NOW),
    Action.EXTEND_ROUND: lambda state: extend_round(state, minutes=5, now=NOW),
    Action.END_ROUND: end_round,
    Action.CLOSE: close_cafe,
    Action.REOPEN: lambda state: reopen_cafe(state, minutes=30, now=NOW),
}

STATES = {
    "draft": draft(),
    "open, no round yet": between_rounds(0),
    "open, between rounds": between_rounds(1),
    "open, all rounds done": between_rounds(3),
    "round running": in_round(2),
    "closed": CafeState(Phase.CLOSED, 3, current_round=3, rounds_done=3),
    "closed, reopened": CafeState(Phase.CLOSED, 3, current_round=3, rounds_done=3,
                                  reopened_until=NOW + timedelta(minutes=30)),
}

ALLOWED = {
    "draft": {Action.OPEN},
    "open, no round yet": {Action.START_ROUND, Action.CLOSE},
    "open, between rounds": {Action.START_ROUND, Action.CLOSE},
    "open, all rounds done": {Action.CLOSE},
    "round running": {Action.EXTEND_ROUND, Action.END_ROUND, Action.CLOSE},
    "closed": {Action.REOPEN},
    "closed, reopened": {Action.REOPEN, Action.CLOSE},
}


@pytest.mark.parametrize("name", STATES)
def test_each_phase_offers_exactly_its_actions(name):
    assert set(allowed_actions(STATES[name])) == ALLOWED[name]


@pytest.mark.parametrize(
    "name, action", [(name, action) for name in STATES for action in Action if action in ALLOWED[name]]
)
def test_an_allowed_action_goes_through(name, action):
    assert isinstance(ACTIONS[action](STATES[name]), CafeState)


@pytest.mark.parametrize(
    "name, action", [(name, action) for name in STATES for action in Action if action not in ALLOWED[name]]
)
def test_a_refused_action_raises_a_phase_error_naming_the_action_and_phase(name, action):
    state = STATES[name]
    with pytest.raises(PhaseError) as refused:
        ACTIONS[action](state)
    assert refused.value.code == f"{action.value}_not_allowed_in_{state.phase.value}"


def test_opening_a_draft_lets_phones_join_but_not_post():
    opened = open_cafe(draft())
    assert opened.phase == Phase.OPEN
    assert can_join(opened, NOW)
    with pytest.raises(PhaseError) as refused:
        check_can_post_note(opened)
    assert refused.value.code == "no_round_running"


def test_starting_a_round_runs_the_next_round_until_its_minutes_are_up():
    started = start_round(between_rounds(1), minutes=25, now=NOW)
    assert started.phase == Phase.ROUND
    assert started.current_round == 2
    assert started.round_ends_at == NOW + timedelta(minutes=25)
    check_can_post_note(started)  # does not raise


def test_ending_a_round_counts_it_and_stops_the_clock():
    ended = end_round(in_round(2))
    assert ended.phase == Phase.OPEN
    assert ended.rounds_done == 2
    assert ended.round_ends_at is None
    assert ended.current_round == 2  # the last round that ran, for the host's paper cards


def test_no_round_can_start_once_every_round_has_run():
    state = between_rounds(3)
    assert next_round_number(state) is None
    with pytest.raises(PhaseError):
        start_round(state, minutes=20, now=NOW)


def test_the_next_round_number_follows_the_rounds_done():
    assert next_round_number(between_rounds(0)) == 1
    assert next_round_number(between_rounds(2)) == 3


def test_extending_a_running_round_adds_to_its_end():
    state = in_round(ends_at=NOW + timedelta(minutes=3))
    assert extend_round(state, minutes=5, now=NOW).round_ends_at == NOW + timedelta(minutes=8)


def test_extending_a_round_whose_time_ran_out_counts_from_now():
    state = in_round(ends_at=NOW - timedelta(minutes=10))
    assert extend_round(state, minutes=5, now=NOW).round_ends_at == NOW + timedelta(minutes=5)


@pytest.mark.parametrize("minutes", [0, -5, 61])
def test_an_extension_outside_1_to_60_minutes_is_refused(minutes):
    with pytest.raises(PhaseError) as refused:
        extend_round(in_round(), minutes=minutes, now=NOW)
    assert refused.value.code == "bad_extension"


@pytest.mark.parametrize("minutes", [1, 60])
def test_extensions_of_1_and_60_minutes_are_allowed(minutes):
    state = in_round(ends_at=NOW)
    assert extend_round(state, minutes=minutes, now=NOW).round_ends_at == NOW + timedelta(minutes=minutes)


def test_seconds_left_counts_down_to_the_end_of_the_round():
    state = in_round(ends_at=NOW + timedelta(minutes=2, seconds=30))
    assert seconds_left(state, NOW) == 150
    assert seconds_left(state, NOW + timedelta(seconds=100)) == 50


def test_seconds_left_never_goes_below_zero():
    assert seconds_left(in_round(ends_at=NOW - timedelta(minutes=1)), NOW) == 0


@pytest.mark.parametrize("name", ["draft", "open, between rounds", "closed"])
def test_there_are_no_seconds_left_outside_a_round(name):
    assert seconds_left(STATES[name], NOW) is None


def test_closing_during_a_round_counts_that_round_as_done():
    closed = close_cafe(in_round(2))
    assert closed.phase == Phase.CLOSED
    assert closed.rounds_done == 2
    assert closed.round_ends_at is None


def test_closing_between_rounds_counts_only_the_rounds_that_ran():
    assert close_cafe(between_rounds(1)).rounds_done == 1


def test_a_whole_evening_runs_from_draft_to_closed():
    state = open_cafe(draft(round_count=2))
    for number in (1, 2):
        state = start_round(state, minutes=20, now=NOW)
        assert state.current_round == number
        state = end_round(state)
    assert allowed_actions(state) == [Action.CLOSE]
    state = close_cafe(state)
    assert (state.phase, state.rounds_done) == (Phase.CLOSED, 2)


@pytest.mark.parametrize(
    "name, code", [("draft", "cafe_not_open"), ("closed", "cafe_closed"), ("open, between rounds", "no_round_running")]
)
def test_notes_are_refused_outside_a_round_with_the_reason(name, code):
    with pytest.raises(PhaseError) as refused:
        check_can_post_note(STATES[name])
    assert refused.value.code == code


def test_phones_can_join_only_while_the_cafe_is_open_in_a_round_or_reopened():
    assert {name for name, state in STATES.items() if can_join(state, NOW)} == {
        "open, no round yet", "open, between rounds", "open, all rounds done", "round running", "closed, reopened",
    }


def test_reopening_a_closed_cafe_lets_phones_join_until_the_set_time_but_not_post_notes():
    reopened = reopen_cafe(STATES["closed"], minutes=30, now=NOW)
    assert reopened.phase == Phase.CLOSED
    assert reopened.reopened_until == NOW + timedelta(minutes=30)
    assert can_join(reopened, NOW + timedelta(minutes=29)) and is_reopened(reopened, NOW)
    assert not can_join(reopened, NOW + timedelta(minutes=30))
    assert open_again_until(reopened, NOW) == NOW + timedelta(minutes=30)
    assert open_again_until(reopened, NOW + timedelta(minutes=30)) is None  # its time is over
    with pytest.raises(PhaseError) as refused:
        check_can_post_note(reopened)
    assert refused.value.code == "cafe_closed"


def test_reopening_again_sets_a_new_end_and_closing_again_ends_it_at_once():
    reopened = reopen_cafe(STATES["closed, reopened"], minutes=10, now=NOW + timedelta(minutes=25))
    assert reopened.reopened_until == NOW + timedelta(minutes=35)
    closed = close_cafe(reopened)
    assert (closed.phase, closed.reopened_until, closed.rounds_done) == (Phase.CLOSED, None, 3)
    assert not can_join(closed, NOW)


@pytest.mark.parametrize("minutes", [0, -1, 121])
def test_a_reopening_outside_1_to_120_minutes_is_refused(minutes):
    with pytest.raises(PhaseError) as refused:
        reopen_cafe(STATES["closed"], minutes=minutes, now=NOW)
    assert refused.value.code == "bad_reopen"


@pytest.mark.parametrize(
    "name, instruction",
    [
        ("draft", "wait_for_start"),
        ("open, no round yet", "scan_your_table"),
        ("round running", "write_one_idea_per_note"),
        ("open, between rounds", "move_to_next_table"),
        ("open, all rounds done", "harvest"),
        ("closed", "thank_you"),
    ],
)
def test_the_room_is_given_one_step_at_a_time(name, instruction):
    assert room_instruction(STATES[name]) == instruction


def test_closing_names_the_rounds_it_leaves_unrun_but_not_the_running_one():
    assert rounds_left_unrun(between_rounds(0)) == 3
    assert rounds_left_unrun(in_round(2)) == 1
    assert rounds_left_unrun(between_rounds(3)) == 0
    assert rounds_left_unrun(STATES["closed"]) == 0


def test_ending_a_round_with_time_left_is_early_and_at_its_last_minute_is_not():
    assert ends_round_early(in_round(ends_at=NOW + timedelta(minutes=12)), NOW)
    assert not ends_round_early(in_round(ends_at=NOW + timedelta(seconds=60)), NOW)
    assert not ends_round_early(in_round(ends_at=NOW - timedelta(minutes=3)), NOW)  # time has run out
    assert not ends_round_early(between_rounds(), NOW)  # no round running
