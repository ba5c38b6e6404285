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
        ("Gunnar Anderssons traktor står i diket", ["Gunnar Anderssons"]),  # genitive: one name
        ("Det var Anna-Lena Linds idé", ["Anna-Lena Linds"]),
        ("Prata med Anderssons om vägen", ["Anderssons"]),
        ("Vi lånade Lindströms släpvagn", ["Lindströms"]),
        ("Gunnars traktor står i diket", ["Gunnars"]),
        ("Lars traktor och Nils båt", ["Lars", "Nils"]),  # names that end in s are no genitive
        ("gunnar andersson vet allt om vägen", ["gunnar andersson"]),
        ("fråga karin johanssons granne", ["karin johanssons"]),
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
        "Bergs och skogs ägare vill ha väg",  # genitives of words, not of names
        "Anderssons lada brann",  # a surname alone at a sentence's start, as before
        "björn berg och stig vid ån",  # lower case: a name only if neither word is also a word
        "inga ström i byn på en vecka",
        "det är hans väg och per andersson har ingen",  # "per" is a word
        "gunnar vet allt om vägen",  # a first name alone in lower case is not read as a name
        "eva ring mig om vägen",  # "ring" (call) is a surname too
        "Talas det om vägen? Rita en karta!",  # verbs that are names too, where a sentence starts
    ],
)
def test_words_that_are_also_names_are_not_flagged_where_they_are_words(text):
    assert flagged(text) == []


def test_a_flagged_name_is_replaced_by_a_placeholder_and_the_rest_kept():
    assert mask_names("Fråga Anna Lind om bryggan, eller Gunnar.") == "Fråga [namn borttaget] om bryggan, eller [namn borttaget]."


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Gunnar Anderssons traktor står i diket", "[namn borttaget] traktor står i diket"),
        ("gunnar andersson vet allt om vägen", "[namn borttaget] vet allt om vägen"),
        ("Låna Lindströms släp, eller Anna Linds.", "Låna [namn borttaget] släp, eller [namn borttaget]."),
        ("Ring Gunnar andersson om vägen", "Ring [namn borttaget] om vägen"),
        ("Fråga Eva berg om det", "Fråga [namn borttaget] berg om det"),  # "berg" is a word
    ],
)
def test_a_name_in_the_genitive_or_in_lower_case_is_masked_whole_with_one_placeholder(text, masked):
    assert mask_names(text) == masked


def test_masking_replaces_exactly_what_is_flagged_one_placeholder_per_name():
    text = "Gunnar Anderssons traktor, gunnar andersson, Lindströms släp och Karin."
    names = find_names(text)
    assert [name.text for name in names] == ["Gunnar Anderssons", "gunnar andersson", "Lindströms", "Karin"]
    between = [text[before.end : after.start] for before, after in zip(names, names[1:])]
    assert mask_names(text).split("[namn borttaget]") == [text[: names[0].start], *between, text[names[-1].end :]]


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
