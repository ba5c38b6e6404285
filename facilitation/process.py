"""A dialogue process and the shape of a café, with World Café defaults."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from facilitation.refusals import Refused


class ParticipationLevel(StrEnum):
    """Boverket's ladder of citizen influence, lowest first."""

    INFORMATION = "information"
    CONSULTATION = "consultation"
    PARTICIPATION = "participation"
    CO_DECISION = "co_decision"


MIN_TABLES, MAX_TABLES = 1, 60
MIN_ROUNDS, MAX_ROUNDS = 1, 8
MIN_MINUTES, MAX_MINUTES = 1, 180
DEFAULT_ROUND_MINUTES = 20
DEFAULT_QUESTIONS = (
    "Vad gör det bra att bo här i dag?",
    "Vad behöver byn för att fler ska kunna bo och verka här om tio år?",
    "Vad kan vi göra själva, och vad behöver vi av kommunen?",
)


@dataclass(frozen=True)
class RoundPlan:
    question: str
    minutes: int = DEFAULT_ROUND_MINUTES


class PlanError(Refused, ValueError):
    pass


def suggested_table_count(expected_people: int) -> int:
    """World Café tables seat 4 to 8; aim for about 6 a table."""
    return max(1, min(MAX_TABLES, round(expected_people / 6)))


def check_cafe_plan(table_count: int, rounds: list[RoundPlan]) -> None:
    if not MIN_TABLES <= table_count <= MAX_TABLES:
        raise PlanError("table_count")
    if not MIN_ROUNDS <= len(rounds) <= MAX_ROUNDS:
        raise PlanError("round_count")
    for plan in rounds:
        if not plan.question.strip() or len(plan.question) > 500:
            raise PlanError("question")
        if not MIN_MINUTES <= plan.minutes <= MAX_MINUTES:
            raise PlanError("minutes")


def counted_cafes(cafes, *, include_trial: bool = False) -> list:
    """The cafés whose people and notes count in public statistics and exports.

    A trial café (the leader trying the evening out, test notes typed by colleagues) counts only
    when the leader asks for it; cafés are anything with a `trial` attribute, in their order.
    """
    return [cafe for cafe in cafes if include_trial or not cafe.trial]
