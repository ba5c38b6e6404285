"""Names of private persons in notes are flagged for the leader, from SCB's name lists."""

import csv

import pytest

from facilitation.demo import demo_example
from facilitation.names import DATA, find_names, mask_names


def flagged(text: str) -> list[str]:
    return [name.text for name in find_names(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Gunnar på nummer 3 kör för fort", ["Gunnar"]),
        ("Fråga Anna Lind om bryggan", ["Anna Lind"]),
        ("Prata med Lindström om vägen", ["Lindström"]),
        ("Anna-Lena på affären vet hur det var", ["Anna-Lena"]),
        ("Vi pratade med Hans om snöröjningen", ["Hans"]),
        ("Bussen är sen. Karin Johansson kör skolskjutsen.", ["Karin Johansson"]),
    ],
)
def test_a_person_named_in_a_note_is_flagged(text, names):
    assert flagged(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Storsjön behöver en ny brygga",
        "Bo här är bra, men bussen går för sällan",  # "Bo" starts the sentence: the verb
        "Stig längs ån till badplatsen",
        "Inga vindkraftverk på fjället",
        "Det är hans väg, inte kommunens",  # lower case: the word, not the name
        "Berg och skog runt byn",
        "VÄGEN TILL ANNA ÄR DÅLIG",  # all caps: not read as names
    ],
)
def test_words_that_are_also_names_are_not_flagged_where_they_are_words(text):
    assert flagged(text) == []


def test_a_flagged_name_is_replaced_by_a_placeholder_and_the_rest_kept():
    assert mask_names("Fråga Anna Lind om bryggan, eller Gunnar.") == "Fråga [namn borttaget] om bryggan, eller [namn borttaget]."


def test_a_note_without_names_is_left_as_it_is():
    text = "Fler bussar till Östersund på kvällen"
    assert mask_names(text) == text


def test_the_name_lists_are_scbs_most_common_names_with_their_counts():
    for file, size in (("swedish_first_names.csv", 2000), ("swedish_surnames.csv", 1000)):
        with open(DATA / file, encoding="utf-8", newline="") as rows:
            counts = {row["name"]: int(row["persons"]) for row in csv.DictReader(rows)}
        assert len(counts) >= size - 1  # one surname is listed twice in the source
        assert min(counts.values()) > 100
    assert "Anna" in open(DATA / "swedish_first_names.csv", encoding="utf-8").read()


def test_few_demo_notes_are_flagged_and_those_do_name_someone():
    notes = [n.text for process in demo_example().processes for cafe in process.cafes for n in cafe.notes]
    flagged_notes = {text: flagged(text) for text in notes if flagged(text)}
    print(f"\nname flags on the demo notes: {len(flagged_notes)} of {len(notes)}: {flagged_notes}")
    # The demo holds two notes signed with a name and a number; nothing else is a person.
    assert sorted(names for names in flagged_notes.values()) == [["Gunnar"], ["Lars"]]
