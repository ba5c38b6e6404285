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
    check_cafe_plan,
    suggested_table_count,
)


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
