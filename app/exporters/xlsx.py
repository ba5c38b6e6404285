"""Excel workbooks: one sheet per table, typed cells, a frozen header row and filters."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from facilitation.export_data import ExportData
from facilitation.exports import (
    TAKEN_CHOICES, Column, Table, note_rows, participation_rows, samrad_rows, theme_rows, village_theme_matrix,
    vote_rows,
)
from facilitation.spreadsheets import looks_like_formula

FORMATS = {"int": "0", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
WRAPPED = 40  # columns at least this wide hold running text: wrap it


def workbook(data: ExportData) -> bytes:
    """Themes, notes, villages × themes, votes, participation, the samråd table and a sheet
    that says what the file is."""
    book = Workbook()
    book.remove(book.active)
    for table in (theme_rows(data), note_rows(data), village_theme_matrix(data), vote_rows(data),
                  participation_rows(data), samrad_rows(data)):
        add_sheet(book, table)
    _about(book, data)
    return _save(book, data)


def samrad_workbook(data: ExportData) -> bytes:
    """The samråd table, ready to be filled in for the samrådsredogörelse, and the themes with
    their summaries beside it."""
    book = Workbook()
    book.remove(book.active)
    add_sheet(book, samrad_rows(data))
    add_sheet(book, theme_rows(data))
    _about(book, data)
    return _save(book, data)


def add_sheet(book: Workbook, table: Table) -> Worksheet:
    sheet = book.create_sheet(table.name[:31])
    sheet.append([_value(h) for h in table.headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([_value(v) for v in row])
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        _format_column(sheet, index, column)
    sheet.freeze_panes = "B2" if table.name.startswith("By ×") else "A2"
    sheet.auto_filter.ref = sheet.dimensions
    if table.name == "Samråd":
        _answer_choices(sheet, table)
    _text_not_formulas(sheet)
    return sheet


def _value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _format_column(sheet: Worksheet, index: int, column: Column) -> None:
    number_format = FORMATS.get(column.kind)
    wrap = column.kind == "text" and column.width >= WRAPPED
    for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
        if number_format and cell.value is not None:
            cell.number_format = number_format
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _answer_choices(sheet: Worksheet, table: Table) -> None:
    column = get_column_letter(next(i for i, c in enumerate(table.columns, 1) if c.name.startswith("Beaktas")))
    choices = DataValidation(type="list", formula1='"' + ",".join(TAKEN_CHOICES) + '"', allow_blank=True)
    choices.error, choices.errorTitle = "Skriv ja, nej eller delvis.", "Beaktas"
    sheet.add_data_validation(choices)
    choices.add(f"{column}2:{column}{max(sheet.max_row, 2) + 500}")


def _about(book: Workbook, data: ExportData) -> None:
    sheet = book.create_sheet("Om exporten")
    cafe = next((c for c in data.cafes if c.id == data.cafe_id), None)
    rows = [
        ("Process", data.process.name),
        ("Plan", data.process.plan),
        ("Kommuner", data.process.municipalities),
        ("Omfattning", f"Kafé i {cafe.village} {cafe.on.isoformat()}" if cafe else f"Hela processen, {len(data.cafes)} kaféer"),
        ("Exporterad", data.generated_on),
        ("Inspel", len(data.notes)),
        ("Teman", len(data.themes)),
        ("Om innehållet", "Dolda inspel ingår inte. Personnummer, telefonnummer och e-postadresser i inspelen "
                          "har ersatts med en markering. Källa: Bykafé."),
    ]
    for row in rows:
        sheet.append([_value(v) for v in row])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 80
    for (label,) in sheet.iter_rows(max_col=1):
        label.font = Font(bold=True)
    sheet["B5"].number_format = FORMATS["date"]
    sheet["B8"].alignment = Alignment(wrap_text=True)
    _text_not_formulas(sheet)


def _text_not_formulas(sheet: Worksheet) -> None:
    """Every cell that a spreadsheet would run (facilitation/spreadsheets.py) is stored as text
    and marked so, whoever wrote it: openpyxl would store "=…" as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def _save(book: Workbook, data: ExportData) -> bytes:
    book.properties.title = _value(data.process.name)
    book.properties.creator = "Bykafé"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
