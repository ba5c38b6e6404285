"""The Swedish example process: plain, deterministic data that looks like three real evenings."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from facilitation.demo import THEME_SENTENCES, VILLAGES, DemoExample, demo_example
from facilitation.notes import clean_note_text
from facilitation.privacy import find_personal_data
from facilitation.process import ParticipationLevel
from facilitation.text import detect_languages

EXAMPLE = demo_example()
PROCESS = EXAMPLE.processes[0]
CAFES = {cafe.village: cafe for cafe in PROCESS.cafes}
NOTES = [note for cafe in PROCESS.cafes for note in cafe.notes]


def notes_of(example: DemoExample):
    return [(cafe.village, note) for process in example.processes for cafe in process.cafes for note in cafe.notes]


def theme_of(text: str, village: str) -> str | None:
    """The theme whose sentence the note was written from; None for notes written by hand."""
    written = text.lower().removeprefix("viktigt: ")
    for theme, rounds in THEME_SENTENCES.items():
        for sentence in (s for sentences in rounds for s in sentences):
            if written.startswith(sentence.format(by=village).rstrip(".!").lower()):
                return theme
    return None


def theme_share(village: str, themes: set[str]) -> float:
    notes = CAFES[village].notes
    return sum(theme_of(note.text, village) in themes for note in notes) / len(notes)


def test_same_seed_gives_the_same_example_and_another_seed_other_notes():
    assert demo_example(7) == EXAMPLE
    assert notes_of(demo_example(8)) != notes_of(EXAMPLE)


def test_one_municipality_runs_one_process_with_a_partner():
    assert EXAMPLE.organisation == "Storsjöns kommun"
    assert len(EXAMPLE.processes) == 1
    assert PROCESS.municipalities == ["Storsjöns kommun", "Fjällåsens kommun"]
    assert {cafe.municipality for cafe in PROCESS.cafes} == set(PROCESS.municipalities)


def test_process_is_a_consultation_on_a_rural_plan():
    assert PROCESS.name == "Landsbygdsdialog Storsjöbygden 2026"
    assert PROCESS.plan == "Fördjupad översiktsplan för landsbygden"
    assert PROCESS.participation_level == ParticipationLevel.CONSULTATION
    assert "samrådsredogörelsen" in PROCESS.description


def test_three_cafes_in_three_villages_on_three_evenings():
    assert list(CAFES) == ["Hallviken", "Åsbacka", "Mörtsjön"]
    assert len({cafe.venue for cafe in PROCESS.cafes}) == 3
    assert sorted(cafe.date for cafe in PROCESS.cafes) == [cafe.date for cafe in PROCESS.cafes]
    assert len({cafe.date for cafe in PROCESS.cafes}) == 3
    assert all(5 <= cafe.table_count <= 8 for cafe in PROCESS.cafes)


def test_three_rounds_of_twenty_minutes_with_a_question_naming_the_village():
    for cafe in PROCESS.cafes:
        assert [r.number for r in cafe.rounds] == [1, 2, 3]
        assert all(r.minutes == 20 and r.question.endswith("?") for r in cafe.rounds)
        assert cafe.rounds[0].question == f"Vad gör det bra att bo i {cafe.village} i dag?"


@pytest.mark.parametrize("seed", [7, 1, 2, 3, 4])
def test_a_few_hundred_notes_from_every_table_in_every_round(seed):
    example = demo_example(seed)
    assert 300 <= len(notes_of(example)) <= 400
    for cafe in example.processes[0].cafes:
        written_at = {(note.table, note.round) for note in cafe.notes}
        assert written_at == {(t, r) for t in range(1, cafe.table_count + 1) for r in (1, 2, 3)}


def test_every_note_has_a_valid_table_round_and_minute():
    for cafe in PROCESS.cafes:
        for note in cafe.notes:
            assert 1 <= note.table <= cafe.table_count
            assert note.round in {r.number for r in cafe.rounds}
            assert 0 <= note.minutes_into_round < 20


def test_notes_come_in_the_order_they_were_written():
    for cafe in PROCESS.cafes:
        assert cafe.notes == sorted(cafe.notes, key=lambda n: (n.round, n.minutes_into_round, n.table))


def test_every_note_is_one_the_app_would_store_unchanged():
    for note in NOTES:
        assert note.text and len(note.text) <= 1000
        assert clean_note_text(note.text) == note.text


def test_notes_are_short_and_some_very_short():
    word_counts = [len(note.text.split()) for note in NOTES]
    assert max(word_counts) <= 25
    assert sum(count >= 5 for count in word_counts) / len(NOTES) > 0.85
    assert sum(count <= 3 for count in word_counts) >= 5


def test_about_one_note_in_seven_is_typed_by_a_host_without_a_phone():
    hosts = [note for note in NOTES if note.source == "host"]
    assert {note.source for note in NOTES} == {"phone", "host"}
    assert all(note.device is None for note in hosts)
    assert 0.10 <= len(hosts) / len(NOTES) <= 0.22
    # Mörtsjön has the oldest participants: more of them give their notes to the host.
    host_share = {v: sum(n.source == "host" for n in c.notes) / len(c.notes) for v, c in CAFES.items()}
    assert host_share["Mörtsjön"] > host_share["Åsbacka"]


def test_phones_are_numbered_per_cafe_write_several_notes_and_move_between_tables():
    for cafe in PROCESS.cafes:
        phone_notes = [note for note in cafe.notes if note.source == "phone"]
        devices = Counter(note.device for note in phone_notes)
        assert all(isinstance(device, int) and device >= 1 for device in devices)
        assert len(phone_notes) / len(devices) >= 2
        tables_per_device = Counter(
            device for device, _ in {(note.device, note.table) for note in phone_notes}
        )
        assert max(tables_per_device.values()) >= 2


def test_at_least_150_hand_written_sentences_in_every_theme_and_round():
    sentences = [s for rounds in THEME_SENTENCES.values() for sentences in rounds for s in sentences]
    assert len(sentences) == len(set(sentences)) >= 150
    assert all(len(rounds) == 3 and all(rounds) for rounds in THEME_SENTENCES.values())
    assert all(set(village.theme_weights) <= set(THEME_SENTENCES) for village in VILLAGES)


def test_every_theme_comes_up_in_every_round():
    used = {(theme_of(note.text, village), note.round) for village, note in notes_of(EXAMPLE)}
    assert {(theme, r) for theme in THEME_SENTENCES for r in (1, 2, 3)} <= used


def test_each_village_leans_on_its_own_themes():
    lake_and_nature = {"natur och friluftsliv", "strandnära byggande"}
    school_and_bus = {"skola och förskola", "kollektivtrafik"}
    service_and_wind = {"service", "vindkraft och energi"}
    assert theme_share("Hallviken", lake_and_nature) > theme_share("Åsbacka", lake_and_nature) * 1.5
    assert theme_share("Åsbacka", school_and_bus) > theme_share("Mörtsjön", school_and_bus) * 1.5
    assert theme_share("Mörtsjön", service_and_wind) > theme_share("Hallviken", service_and_wind) * 1.5


def test_no_two_notes_in_a_cafe_are_the_same_but_one_deliberate_pair():
    repeated = {
        (cafe.village, text): count
        for cafe in PROCESS.cafes
        for text, count in Counter(note.text for note in cafe.notes).items()
        if count > 1
    }
    assert repeated == {("Åsbacka", "Behåll skolan!"): 2}


def test_a_few_notes_in_english_and_finnish_and_one_with_an_emoji():
    languages = Counter(
        (cafe.village, language)
        for cafe in PROCESS.cafes
        for language in detect_languages([note.text for note in cafe.notes])
    )
    not_swedish = {key: count for key, count in languages.items() if key[1] != "sv"}
    assert not_swedish == {("Åsbacka", "en"): 3, ("Mörtsjön", "fi"): 2}  # a newcomer family; Finnish
    with_emoji = [note.text for note in NOTES if any(ord(ch) >= 0x1F000 for ch in note.text)]
    assert with_emoji == ["Bästa fiskevattnet i hela länet 🎣"]


def test_personal_data_is_in_three_notes_and_nowhere_else():
    found = {
        village: [match.kind for match in find_personal_data(note.text)]
        for village, note in notes_of(EXAMPLE)
        if find_personal_data(note.text)
    }
    assert found == {"Hallviken": ["personnummer"], "Åsbacka": ["email"], "Mörtsjön": ["phone"]}


def test_demo_and_privacy_need_neither_web_framework_nor_database():
    code = "import sys, facilitation.demo, facilitation.privacy; print(sorted(sys.modules))"
    repo = Path(__file__).parents[2]
    loaded = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True).stdout
    for framework in ("fastapi", "sqlmodel", "sqlalchemy", "jinja2"):
        assert f"'{framework}'" not in loaded
