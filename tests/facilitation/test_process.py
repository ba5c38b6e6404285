"""The shape of a café: tables, rounds and their questions."""

import pytest

from facilitation.process import (
    DEFAULT_QUESTIONS,
    DEFAULT_ROUND_MINUTES,
    MAX_MINUTES,
    MAX_ROUNDS,
    MAX_TABLES,
    PlanError,
    RoundPlan,
    check_cafe_edit,
    check_cafe_plan,
    process_name,
    round_started,
    suggested_table_count,
    tables_in_use,
    village_name,
)
from facilitation.phases import CafeState, Phase


def rounds(count, minutes=20, question="Vad behöver byn?"):
    return [RoundPlan(question, minutes) for _ in range(count)]


def refusal(table_count, plans) -> str:
    with pytest.raises(PlanError) as refused:
        check_cafe_plan(table_count, plans)
    return refused.value.code


def test_the_default_is_three_rounds_of_twenty_minutes():
    assert len(DEFAULT_QUESTIONS) == 3
    assert RoundPlan("?").minutes == DEFAULT_ROUND_MINUTES == 20
    check_cafe_plan(6, [RoundPlan(q) for q in DEFAULT_QUESTIONS])


@pytest.mark.parametrize("tables", [1, MAX_TABLES])
def test_one_to_sixty_tables_are_allowed(tables):
    check_cafe_plan(tables, rounds(3))


@pytest.mark.parametrize("tables", [0, -1, MAX_TABLES + 1])
def test_other_table_counts_are_refused(tables):
    assert refusal(tables, rounds(3)) == "table_count"


@pytest.mark.parametrize("count", [1, MAX_ROUNDS])
def test_one_to_eight_rounds_are_allowed(count):
    check_cafe_plan(4, rounds(count))


@pytest.mark.parametrize("count", [0, MAX_ROUNDS + 1])
def test_other_round_counts_are_refused(count):
    assert refusal(4, rounds(count)) == "round_count"


@pytest.mark.parametrize("minutes", [1, MAX_MINUTES])
def test_rounds_of_1_to_180_minutes_are_allowed(minutes):
    check_cafe_plan(4, rounds(2, minutes=minutes))


@pytest.mark.parametrize("minutes", [0, -20, MAX_MINUTES + 1])
def test_rounds_of_other_lengths_are_refused(minutes):
    assert refusal(4, rounds(2, minutes=minutes)) == "minutes"


@pytest.mark.parametrize("question", ["", "   \n", "x" * 501])
def test_every_round_needs_a_question_of_at_most_500_characters(question):
    assert refusal(4, [RoundPlan("Vad är bra?"), RoundPlan(question)]) == "question"


def test_a_question_of_500_characters_is_allowed():
    check_cafe_plan(4, rounds(1, question="x" * 500))


@pytest.mark.parametrize("people, tables", [(0, 1), (5, 1), (30, 5), (40, 7), (1000, MAX_TABLES)])
def test_the_suggested_table_count_seats_about_six_a_table(people, tables):
    assert suggested_table_count(people) == tables


def test_trial_cafes_do_not_count_unless_the_leader_includes_them():
    from types import SimpleNamespace

    from facilitation.process import counted_cafes

    held, trial, later = (SimpleNamespace(name=n, trial=n == "trial") for n in ("held", "trial", "later"))
    assert counted_cafes([held, trial, later]) == [held, later]
    assert counted_cafes([held, trial, later], include_trial=True) == [held, trial, later]
    assert counted_cafes([trial]) == []


def test_a_village_and_a_process_need_a_name_of_at_most_200_characters():
    assert village_name("  Backe ") == "Backe"
    for bad in ("  ", "x" * 201):
        with pytest.raises(PlanError, match="village"):
            village_name(bad)
    assert process_name(" Byaplan ", participation_level="consultation", language="sv", languages=("sv", "en")) == "Byaplan"
    with pytest.raises(PlanError, match="participation_level"):
        process_name("Byaplan", participation_level="vote", language="sv", languages=("sv",))
    with pytest.raises(PlanError, match="language"):
        process_name("Byaplan", participation_level="consultation", language="de", languages=("sv",))


def test_a_plan_may_not_drop_a_round_that_has_started():
    second_running = CafeState(Phase.ROUND, round_count=3, current_round=2, rounds_done=1)
    assert round_started(second_running, 1)
    assert not round_started(second_running, 2)
    after_two = CafeState(Phase.OPEN, round_count=3, current_round=2, rounds_done=2)
    assert round_started(after_two, 1) and not round_started(after_two, 2)


def test_tables_can_be_added_any_time_but_removed_only_before_the_cafe_opens():
    draft, opened = CafeState(Phase.DRAFT, round_count=3), CafeState(Phase.OPEN, round_count=3)
    assert not tables_in_use(draft, table_count=2, tables_now=5)
    assert tables_in_use(opened, table_count=4, tables_now=5)
    assert not tables_in_use(opened, table_count=6, tables_now=5)


def test_an_edit_is_checked_as_a_plan_first_then_against_what_happened():
    running = CafeState(Phase.ROUND, round_count=3, current_round=1)
    with pytest.raises(PlanError, match="table_count"):
        check_cafe_edit(running, table_count=0, rounds=[], tables_now=5)
    second_running = CafeState(Phase.ROUND, round_count=3, current_round=2, rounds_done=1)
    with pytest.raises(PlanError, match="round_started"):
        check_cafe_edit(second_running, table_count=5, rounds=rounds(1), tables_now=5)
    with pytest.raises(PlanError, match="tables_in_use"):
        check_cafe_edit(running, table_count=4, rounds=rounds(3), tables_now=5)
    check_cafe_edit(running, table_count=6, rounds=rounds(3), tables_now=5)
