from dataclasses import dataclass

from facilitation.moderation import notes_by_table


@dataclass
class Note:
    text: str
    table_id: int
    round_id: int


def test_notes_are_grouped_by_table_then_round_keeping_their_order():
    notes = [Note("a", 1, 10), Note("b", 2, 10), Note("c", 1, 11), Note("d", 1, 10)]
    grouped = notes_by_table(notes, table_ids=[1, 2], round_ids=[10, 11])
    assert [n.text for n in grouped[1][10]] == ["a", "d"]
    assert [n.text for n in grouped[1][11]] == ["c"]
    assert [n.text for n in grouped[2][10]] == ["b"]


def test_every_table_has_every_round_even_without_notes():
    assert notes_by_table([], table_ids=[1, 2], round_ids=[10, 11]) == {1: {10: [], 11: []}, 2: {10: [], 11: []}}


def test_a_note_from_a_table_not_listed_is_kept_not_dropped():
    grouped = notes_by_table([Note("late", 7, 10)], table_ids=[1], round_ids=[10])
    assert [n.text for n in grouped[7][10]] == ["late"]
