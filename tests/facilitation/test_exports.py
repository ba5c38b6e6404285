"""The export tables, without a database."""

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, UTC
from pathlib import Path

import pytest

from facilitation.privacy import mask_personal_data
from facilitation.export_data import CafeInfo, ExportData, NoteInfo, ProcessInfo, ResponseInfo, ThemeInfo, VoteInfo
from facilitation.exports import (
    export_filename, flagged_notes, note_rows, participation_rows, samrad_rows, theme_rows, theme_votes,
    has_suggested_categories, themes_by_category, to_csv, to_json, village_theme_matrix,
)

SCHEMA = Path(__file__).parents[2] / "docs" / "export-schema.json"
EVENING = datetime(2026, 11, 30, 18, 5, tzinfo=UTC)


def sample() -> ExportData:
    cafes = [
        CafeInfo(1, "Hallen", date(2026, 11, 30), "Storsjö", "Bygdegården", tables=3, phones=5,
                 questions=("Vad är bra här?", "Vad behövs?")),
        CafeInfo(2, "Åsarna", date(2026, 12, 2), "Storsjö", "Skolan", tables=2, phones=4,
                 questions=("Vad är bra här?", "Vad behövs?")),
    ]
    notes = [
        NoteInfo(1, 1, 1, 1, "phone", "Bussen går för sällan till Östersund", EVENING),
        # Notes arrive with their public text, personal data already masked (app/models.py).
        NoteInfo(2, 1, 2, 1, "host", mask_personal_data("Ring mig på 070-123 45 67 om bussen"), EVENING),
        NoteInfo(3, 2, 1, 2, "phone", mask_personal_data("Fler hyresrätter för unga, mejla anna@example.se"), EVENING),
        NoteInfo(4, 2, 1, 2, "phone", mask_personal_data("=HYPERLINK(\"x\") bostäder, mitt nummer 19650412-1234"),
                 EVENING, department="Socialförvaltningen"),
        NoteInfo(5, 2, 2, 1, "phone", mask_personal_data("Skolan ska finnas kvar. 196504121234"), EVENING),
    ]
    themes = [
        ThemeInfo("k1", None, "Kollektivtrafik", ("buss", "tåg"), (1, 2), (2,), "Kommunikationer", True),
        ThemeInfo("k2", None, "Bostäder", ("hyresrätt",), (3, 4), (3, 4), "Boende", False),
    ]
    votes = [VoteInfo(1, "c1", "Bussar", 5, 3, (1, 2)), VoteInfo(2, "c2", "Hus", 2, 2, (3,))]
    responses = [ResponseInfo(None, "k1", "in_plan", "En ny busslinje prövas i planen.", EVENING)]
    return ExportData(
        ProcessInfo(7, "Landsbygdsdialog Storsjö", "Storsjö kommun", "Fördjupad översiktsplan"), cafes, themes, notes,
        votes, responses, generated_on=date(2026, 12, 10), categories=["Boende", "Kommunikationer", "Service"],
    )


def all_cells(table) -> str:
    return "\n".join(str(v) for row in [table.headers, *table.rows] for v in row)


def test_facilitation_imports_no_web_or_database_library():
    code = ("import sys, facilitation.exports; "
            "print([m for m in sys.modules if m.split('.')[0] in ('fastapi', 'sqlmodel', 'sqlalchemy', 'jinja2')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_json_and_csv_carry_the_masked_text_as_it_came():
    data = sample()
    text = json.dumps(to_json(data), ensure_ascii=False) + to_csv(note_rows(data)) + to_csv(samrad_rows(data), ";")
    assert "[telefonnummer borttaget]" in text and "[e-post borttagen]" in text and "[personnummer borttaget]" in text


def test_personal_data_is_flagged_for_the_leader():
    flagged = {note.id: kinds for note, kinds in flagged_notes(sample())}
    assert flagged == {2: ["telefonnummer"], 3: ["e-postadress"], 4: ["personnummer"], 5: ["personnummer"]}
    by_id = {row[0]: row[-1] for row in note_rows(sample()).rows}
    assert by_id[2] == "telefonnummer" and by_id[1] == ""


def test_theme_rows_count_notes_villages_votes_and_show_the_response():
    rows = {row[0]: row for row in theme_rows(sample()).rows}
    transport = rows["Kollektivtrafik"]
    assert transport[4:8] == [2, 5, 1, "Hallen (2)"]
    assert transport[10:12] == ["Med i planen", "En ny busslinje prövas i planen."]
    assert rows["Bostäder"][2] == "föreslaget"  # the category was suggested, not confirmed


def test_a_process_theme_gets_the_dots_of_the_cafe_theme_whose_notes_it_holds():
    assert theme_votes(sample()) == {(None, "k1"): 5, (None, "k2"): 2}


def test_notes_are_typed_and_carry_their_theme():
    table = note_rows(sample())
    first = table.rows[0]
    assert [c.kind for c in table.columns][:6] == ["int", "text", "text", "date", "int", "int"]
    assert first[3] == date(2026, 11, 30) and first[9] == "Kollektivtrafik"
    assert first[12] == datetime(2026, 11, 30, 19, 5)  # Swedish time, without a zone
    assert table.rows[-1][9] == "Övrigt"


def test_times_follow_the_organisations_time_zone():
    data = sample()
    data.timezone = "Europe/Helsinki"
    assert note_rows(data).rows[0][12] == datetime(2026, 11, 30, 20, 5)
    assert to_json(data)["notes"][0]["created_at"] == "2026-11-30T20:05:00"


def test_matrix_has_villages_down_themes_across_and_totals():
    table = village_theme_matrix(sample())
    assert table.headers == ["By", "Kollektivtrafik", "Bostäder", "Övrigt", "Totalt"]
    assert table.rows == [["Hallen", 2, 0, 0, 2], ["Åsarna", 0, 2, 1, 3], ["Totalt", 2, 2, 1, 5]]


def test_samrad_rows_start_from_the_response_and_name_the_department():
    rows = {row[0]: row for row in samrad_rows(sample()).rows}
    assert rows[1][5:7] == ["En ny busslinje prövas i planen.", "ja"]
    assert "Socialförvaltningen" in rows[4][5]
    assert rows[5][1] == "Övrigt" and rows[5][6] == ""


def test_participation_has_a_total_row():
    assert participation_rows(sample()).rows[-1] == ["Totalt", "", None, "", 5, 9, 5]


def test_themes_are_grouped_by_category_in_the_process_order():
    # "Bostäder" was placed under Boende by a suggestion nobody has confirmed: the heading says so.
    assert [(name, [t.key for t in themes]) for name, themes in themes_by_category(sample())] == [
        ("Boende (förslag)", ["k2"]), ("Kommunikationer", ["k1"])]


def test_a_confirmed_category_and_a_suggested_one_of_the_same_name_head_two_groups():
    data = sample()
    data.themes.append(replace(data.themes[1], key="k9", label="Hyresrätter", category_confirmed=True))
    assert [(name, [t.key for t in themes]) for name, themes in themes_by_category(data)] == [
        ("Boende", ["k9"]), ("Boende (förslag)", ["k2"]), ("Kommunikationer", ["k1"])]
    assert has_suggested_categories(data)
    data.themes[:] = [replace(theme, category_confirmed=True) for theme in data.themes]
    assert not has_suggested_categories(data)


def test_csv_has_a_byte_order_mark_and_the_chosen_separator():
    text = to_csv(note_rows(sample()), ";")
    assert text.startswith("\ufeffNr;By;")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 6 and rows[1][3] == "2026-11-30"
    with pytest.raises(ValueError):
        to_csv(note_rows(sample()), "|")


def test_csv_cells_that_look_like_formulas_stay_text():
    rows = list(csv.reader(io.StringIO(to_csv(note_rows(sample())).lstrip("\ufeff"))))
    assert next(r for r in rows if r[0] == "4")[8].startswith("'=HYPERLINK")


def test_json_follows_the_documented_schema():
    document = json.loads(json.dumps(to_json(sample())))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    try:
        import jsonschema
    except ImportError:
        assert set(document) == set(schema["required"])
        for name in ("cafes", "themes", "notes", "votes"):
            for item in document[name]:
                assert set(item) == set(schema["properties"][name]["items"]["required"])
    else:
        jsonschema.validate(document, schema)
    assert document["themes"][0]["response"]["status"] == "in_plan"
    assert document["notes"][1]["personal_data_masked"] == ["telefonnummer"]


def test_file_names_are_plain_ascii_with_the_date():
    data = sample()
    assert export_filename(data, "xlsx") == "bykafe-landsbygdsdialog-storsjo-2026-12-10.xlsx"
    data.cafe_id = 2
    assert export_filename(data, "zip", "arkiv") == "bykafe-landsbygdsdialog-storsjo-asarna-2026-12-02-arkiv.zip"
