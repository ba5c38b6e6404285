"""Reading notes from CSV and XLSX files, as people and Excel save them."""

import pytest
from openpyxl import Workbook

from facilitation.inputs import InputFileError, MissingColumn, notes_from_spreadsheet


def read_notes(path, **options):
    return notes_from_spreadsheet(path.read_bytes(), path.name, **options)

NOTES = [("1", "Fler bussar till stan"), ("2", "Behåll byskolan"), ("3", "Snabbare bredband, tack")]


def write_csv(path, rows, delimiter=",", encoding="utf-8", header=("id", "text")):
    lines = [delimiter.join(header)] + [delimiter.join(_quoted(c, delimiter) for c in row) for row in rows]
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def _quoted(cell, delimiter):
    return f'"{cell}"' if delimiter in cell or "," in cell else cell


def test_plain_utf8_csv(tmp_path):
    notes = read_notes(write_csv(tmp_path / "n.csv", NOTES))
    assert [(n.id, n.text) for n in notes] == NOTES


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_csv_saved_by_swedish_excel(tmp_path, encoding):
    notes = read_notes(write_csv(tmp_path / "n.csv", NOTES, delimiter=";", encoding=encoding))
    assert [(n.id, n.text) for n in notes] == NOTES


def test_tab_separated(tmp_path):
    notes = read_notes(write_csv(tmp_path / "n.tsv", NOTES, delimiter="\t"))
    assert notes[2].text == "Snabbare bredband, tack"


def test_column_names_are_matched_loosely_and_chosen_by_option(tmp_path):
    path = write_csv(tmp_path / "n.csv", NOTES, header=("Nr", " Lapp "))
    notes = read_notes(path, text_column="lapp", id_column="NR")
    assert [(n.id, n.text) for n in notes] == NOTES


def test_without_an_id_column_the_row_number_is_the_id(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("text\nFler bussar\nBehåll skolan\n", encoding="utf-8")
    assert [n.id for n in read_notes(path)] == ["1", "2"]


def test_missing_column_lists_the_columns_that_exist(tmp_path):
    path = write_csv(tmp_path / "n.csv", NOTES, header=("id", "lapp"))
    with pytest.raises(InputFileError) as error:
        read_notes(path)
    assert "'text'" in str(error.value) and "'id', 'lapp'" in str(error.value)
    assert isinstance(error.value, MissingColumn) and error.value.role == "text"


def test_empty_file(tmp_path):
    path = tmp_path / "n.csv"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        read_notes(path)


def test_header_only(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("id,text\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no notes"):
        read_notes(path)


def test_duplicate_ids_name_the_rows(tmp_path):
    path = write_csv(tmp_path / "n.csv", [("1", "a"), ("1", "b")])
    with pytest.raises(InputFileError, match="rows 2 and 3"):
        read_notes(path)


def test_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "text"])
    sheet.append([1, "Fler bussar till stan"])
    sheet.append([2, "Behåll byskolan"])
    sheet.append([None, None])
    book.save(tmp_path / "n.xlsx")
    notes = read_notes(tmp_path / "n.xlsx")
    assert [(n.id, n.text) for n in notes] == [("1", "Fler bussar till stan"), ("2", "Behåll byskolan")]


def test_file_that_is_not_really_xlsx(tmp_path):
    path = tmp_path / "n.xlsx"
    path.write_text("id,text\n1,a\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="could not be read as an Excel file"):
        read_notes(path)


def test_an_old_excel_file_is_refused_by_its_name():
    with pytest.raises(InputFileError, match="old Excel file"):
        notes_from_spreadsheet(b"\xd0\xcf\x11\xe0", "lappar.xls")
