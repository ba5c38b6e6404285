"""A dialogue process and the shape of a café, with World Café defaults."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from facilitation.phases import CafeState, Phase
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


def process_name(name: str, *, participation_level: str, language: str, languages: Collection[str]) -> str:
    """A process's name as stored, after checking its level of influence and its language."""
    name = name.strip()
    if not name or len(name) > 200:
        raise PlanError("process_name")
    if participation_level not in set(ParticipationLevel):
        raise PlanError("participation_level")
    if language not in languages:
        raise PlanError("language")
    return name


def village_name(text: str) -> str:
    """The village a café is held in, as typed."""
    village = text.strip()
    if not village or len(village) > 200:
        raise PlanError("village")
    return village


def round_started(state: CafeState, round_count: int) -> bool:
    """Whether a new plan of `round_count` rounds would drop a round that has started: notes were
    written to it."""
    return round_count < state.rounds_done + (1 if state.phase == Phase.ROUND else 0)


def tables_in_use(state: CafeState, *, table_count: int, tables_now: int) -> bool:
    """Whether a new plan would remove tables of a café that has opened: their codes are printed
    and phones may sit at them. Tables can be added at any time."""
    return table_count < tables_now and state.phase != Phase.DRAFT


def check_cafe_edit(state: CafeState, *, table_count: int, rounds: list[RoundPlan], tables_now: int) -> None:
    """The new plan of a café, checked as a plan and against what has already happened in it."""
    check_cafe_plan(table_count, rounds)
    if round_started(state, len(rounds)):
        raise PlanError("round_started")
    if tables_in_use(state, table_count=table_count, tables_now=tables_now):
        raise PlanError("tables_in_use")


class _MaybeTrial(Protocol):
    @property
    def trial(self) -> bool: ...


_Cafe = TypeVar("_Cafe", bound=_MaybeTrial)


def counted_cafes(cafes: Iterable[_Cafe], *, include_trial: bool = False) -> list[_Cafe]:
    """The cafés whose people and notes count in public statistics and exports.

    A trial café (the leader trying the evening out, test notes typed by colleagues) counts only
    when the leader asks for it; cafés are anything with a `trial` attribute, in their order.
    """
    return [cafe for cafe in cafes if include_trial or not cafe.trial]
