"""Reading notes from a spreadsheet: CSV (as Excel saves it, too) or XLSX.

Excel saves CSV as UTF-8 with a byte-order mark, or in cp1252 ("ANSI"), and in Swedish
settings with ";" between fields; all of these are read without the user choosing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from facilitation.themes import Note

# A text longer than this is cut to its first MAX_TEXT_CHARS characters: themes come from its
# words, and a whole letter pasted into one cell (or a damaged file) must not stop the command.
MAX_TEXT_CHARS = 10_000


class InputFileError(ValueError):
    """A file the theme command cannot read; the message says what to fix."""


def read_notes(
    path: str | Path, text_column: str = "text", id_column: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> list[Note]:
    """The notes in a CSV or XLSX file with a header row.

    `id_column`: None takes the "id" column when there is one, else the row number. `warn` is
    told of each text cut to MAX_TEXT_CHARS."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"No such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputFileError(f"{path.name} is an old Excel file (.xls); save it as .xlsx or CSV and try again.")
    rows = _xlsx_rows(path) if suffix in (".xlsx", ".xlsm") else _csv_rows(path)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InputFileError(f"{path.name} is empty; it needs a header row and one row per note.")
    header, body = [cell.strip() for cell in rows[0]], rows[1:]

    text_at = _column(header, text_column, path.name, "--text-column")
    if id_column is None:
        id_at = _find(header, "id")
    else:
        id_at = _column(header, id_column, path.name, "--id-column")
    if not body:
        raise InputFileError(f"{path.name} has a header row but no notes.")

    notes, seen = [], {}
    for line, row in enumerate(body, start=2):
        note_id = _cell(row, id_at).strip() if id_at is not None else str(line - 1)
        if not note_id:
            raise InputFileError(f"Row {line} of {path.name} has no id in column {header[id_at]!r}.")
        if note_id in seen:
            raise InputFileError(
                f"The id {note_id!r} is used twice in {path.name} (rows {seen[note_id]} and {line}); ids must be unique."
            )
        seen[note_id] = line
        text = _cell(row, text_at)
        if len(text) > MAX_TEXT_CHARS:
            warn(f"Row {line} of {path.name} has a text of {len(text):,} characters; "
                 f"only its first {MAX_TEXT_CHARS:,} are used.")
            text = text[:MAX_TEXT_CHARS]
        notes.append(Note(id=note_id, text=text))
    return notes


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
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


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a damaged or mislabelled file
        raise InputFileError(f"{path.name} could not be read as an Excel file ({error}).") from None
    try:
        sheet = workbook.worksheets[0]
        return [["" if value is None else _cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as 12 comes back as 12.0
    return str(value)


def _column(header: list[str], name: str, file_name: str, option: str) -> int:
    at = _find(header, name)
    if at is None:
        present = ", ".join(repr(h) for h in header if h) or "none"
        raise InputFileError(
            f"{file_name} has no column {name!r}. Columns found: {present}. Choose one with {option}."
        )
    return at


def _find(header: list[str], name: str) -> int | None:
    wanted = name.strip().lower()
    for at, cell in enumerate(header):
        if cell.strip().lower() == wanted:
            return at
    return None


def _cell(row: list[str], at: int) -> str:
    return row[at] if at < len(row) else ""
