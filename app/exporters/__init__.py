"""The export files, drawn from the plain tables of facilitation.exports: Excel, Word, zip, and
the plain CSV and JSON. `render` picks one by format name, for the routes and the command."""

from __future__ import annotations

import json

from app.exporters import archive, docx, redogorelse, xlsx
from facilitation.export_data import ExportData
from facilitation.exports import (
    export_filename, note_rows, samrad_rows, theme_rows, to_csv, to_json, village_theme_matrix, vote_rows,
)

FORMATS = ("xlsx", "docx", "redogorelse", "samrad", "csv", "json", "archive")
CSV_TABLES = {"notes": note_rows, "themes": theme_rows, "matrix": village_theme_matrix, "votes": vote_rows,
              "samrad": samrad_rows}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render(data: ExportData, fmt: str, *, table: str = "notes", separator: str = ",") -> tuple[bytes, str, str]:
    """The file for a format: (content, media type, file name). KeyError for an unknown format or table."""
    if fmt == "xlsx":
        return xlsx.workbook(data), XLSX, export_filename(data, "xlsx")
    if fmt == "samrad":
        return xlsx.samrad_workbook(data), XLSX, export_filename(data, "xlsx", "samrad")
    if fmt == "docx":
        return docx.report(data), DOCX, export_filename(data, "docx")
    if fmt == "redogorelse":
        return redogorelse.redogorelse(data), DOCX, export_filename(data, "docx", "samradsredogorelse")
    if fmt == "csv":
        content = to_csv(CSV_TABLES[table](data), separator).encode("utf-8")
        return content, "text/csv; charset=utf-8", export_filename(data, "csv", "" if table == "notes" else table)
    if fmt == "json":
        content = json.dumps(to_json(data), ensure_ascii=False, indent=2).encode("utf-8")
        return content + b"\n", "application/json", export_filename(data, "json")
    if fmt == "archive":
        return archive.archive(data), "application/zip", export_filename(data, "zip", "arkiv")
    raise KeyError(fmt)
