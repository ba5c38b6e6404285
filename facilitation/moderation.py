"""What the leader's moderation view shows of a café's notes: every table, round by round."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class Placed(Protocol):
    table_id: int
    round_id: int


N = TypeVar("N", bound=Placed)


def notes_by_table(notes: Iterable[N], table_ids: Iterable[int], round_ids: Iterable[int]) -> dict[int, dict[int, list[N]]]:
    """{table: {round: notes in the order given}}, with an empty list for every table and round
    that has none, so the page can show each table's rounds without asking."""
    round_ids = list(round_ids)
    grouped: dict[int, dict[int, list[N]]] = {table: {round_: [] for round_ in round_ids} for table in table_ids}
    for note in notes:
        grouped.setdefault(note.table_id, {}).setdefault(note.round_id, []).append(note)
    return grouped
