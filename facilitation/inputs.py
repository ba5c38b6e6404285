"""Reading notes from a spreadsheet's content: CSV (as Excel saves it, too) or XLSX.

Excel saves CSV as UTF-8 with a byte-order mark, or in cp1252 ("ANSI"), and in Swedish
settings with ";" between fields; all of these are read without the user choosing. The caller
reads the file and says how a person picks another column (app/cli_themes.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import PurePath

from facilitation.themes import Note

# A text longer than this is cut to its first MAX_TEXT_CHARS characters: themes come from its
# words, and a whole letter pasted into one cell (or a damaged file) must not stop the command.
MAX_TEXT_CHARS = 10_000


class InputFileError(ValueError):
    """A file the theme command cannot read; the message says what to fix."""


class MissingColumn(InputFileError):
    """The header has no column of the name asked for; `role` says which: "text" or "id"."""

    def __init__(self, message: str, role: str):
        super().__init__(message)
        self.role = role


def notes_from_spreadsheet(
    content: bytes, file_name: str, text_column: str = "text", id_column: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> list[Note]:
    """The notes in a CSV or XLSX file with a header row (its kind from the file's name).

    `id_column`: None takes the "id" column when there is one, else the row number. `warn` is
    told of each text cut to MAX_TEXT_CHARS."""
    name = PurePath(file_name).name
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".xls":
        raise InputFileError(f"{name} is an old Excel file (.xls); save it as .xlsx or CSV and try again.")
    rows = _xlsx_rows(content, name) if suffix in (".xlsx", ".xlsm") else _csv_rows(content)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InputFileError(f"{name} is empty; it needs a header row and one row per note.")
    header, body = [cell.strip() for cell in rows[0]], rows[1:]

    text_at = _column(header, text_column, name, "text")
    if id_column is None:
        id_at = _find(header, "id")
    else:
        id_at = _column(header, id_column, name, "id")
    if not body:
        raise InputFileError(f"{name} has a header row but no notes.")

    notes = []
    seen: dict[str, int] = {}  # note id -> its row
    for line, row in enumerate(body, start=2):
        if id_at is None:
            note_id = str(line - 1)
        else:
            note_id = _cell(row, id_at).strip()
            if not note_id:
                raise InputFileError(f"Row {line} of {name} has no id in column {header[id_at]!r}.")
        if note_id in seen:
            raise InputFileError(
                f"The id {note_id!r} is used twice in {name} (rows {seen[note_id]} and {line}); ids must be unique."
            )
        seen[note_id] = line
        text = _cell(row, text_at)
        if len(text) > MAX_TEXT_CHARS:
            warn(f"Row {line} of {name} has a text of {len(text):,} characters; "
                 f"only its first {MAX_TEXT_CHARS:,} are used.")
            text = text[:MAX_TEXT_CHARS]
        notes.append(Note(id=note_id, text=text))
    return notes


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Swedish Windows
    content = content.replace("\x00", "")
    if not content.strip():
        return []
    # The csv module refuses a field over 128 kB (a limit for the whole process): lift it while
    # this file is read, so a huge cell is cut with a warning instead of stopping the command.
    limit = csv.field_size_limit(max(len(content), csv.field_size_limit()))
    try:
        return list(csv.reader(io.StringIO(content, newline=""), delimiter=_delimiter(content)))
    finally:
        csv.field_size_limit(limit)


def _delimiter(content: str) -> str:
    # The header line decides: whichever of ";", tab and "," it has most of.
    header = next(line for line in content.splitlines() if line.strip())
    best = max((";", "\t", ","), key=header.count)
    return best if header.count(best) else ","


def _xlsx_rows(content: bytes, name: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a damaged or mislabelled file
        raise InputFileError(f"{name} could not be read as an Excel file ({error}).") from None
    try:
        sheet = workbook.worksheets[0]
        return [["" if value is None else _cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as 12 comes back as 12.0
    return str(value)


def _column(header: list[str], name: str, file_name: str, role: str) -> int:
    at = _find(header, name)
    if at is None:
        present = ", ".join(repr(h) for h in header if h) or "none"
        raise MissingColumn(f"{file_name} has no column {name!r}. Columns found: {present}.", role)
    return at


def _find(header: list[str], name: str) -> int | None:
    wanted = name.strip().lower()
    for at, cell in enumerate(header):
        if cell.strip().lower() == wanted:
            return at
    return None


def _cell(row: list[str], at: int) -> str:
    return row[at] if at < len(row) else ""
