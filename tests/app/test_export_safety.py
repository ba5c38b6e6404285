"""Exports and charts hold whatever people typed: a "$" is no TeX, a leading "=" is no formula."""

from __future__ import annotations

import csv
import io
import zipfile

import docx
import openpyxl
import pytest

from app import cli_export
from app.models import Cafe, Process, Theme
from app.services import publishing as publishing_service
from facilitation.spreadsheets import FORMULA_STARTS
from tests.app.helpers import export_args, shows
from tests.app.test_exports import app, cafe  # noqa: F401  (fixtures: 16 notes, themes, dots, a response)
from tests.builders import log_in

DOLLARS = "Byn $$ och $\\frac{1}{$ kr"
FORMULAS = ["=HYPERLINK(\"http://x\",\"klicka\")", "+1+1", "-2+3", "@SUM(A1)"]


def rename(session, cafe, *, process_name: str, village: str, labels: list[str], plan: str = "") -> None:
    """Leader-written names: the process, its plan, the village and the themes (three in the fixture)."""
    process, cafe_row = session.get(Process, cafe.process_id), session.get(Cafe, cafe.cafe_id)
    process.name, process.plan, cafe_row.village = process_name, plan, village
    for theme, label in zip(session.query(Theme).order_by(Theme.id), labels):
        theme.label = label
    session.commit()


def test_a_dollar_in_a_name_draws_the_public_pages_the_word_report_and_the_command(client, session, cafe, tmp_path,
                                                                                   monkeypatch, settings, capsys):
    rename(session, cafe, process_name=DOLLARS, village=DOLLARS, labels=[DOLLARS, "$$", "$x^$"])
    publishing_service.set_published(session, process=session.get(Process, cafe.process_id), published=True)
    organisation_id = cafe.leader.organisation_id
    for path in (f"/p/{cafe.process_id}", f"/p/{cafe.process_id}/by/{cafe.cafe_id}", f"/o/{organisation_id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert shows(response, DOLLARS), path
    log_in(client)
    report = client.get(f"/leader/processes/{cafe.process_id}/export.docx")
    assert report.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(report.content)).paragraphs)
    assert DOLLARS in text

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "t" * 40)
    args = export_args(cafe.process_id, "--format", "docx", "--out", tmp_path / "r.docx")
    assert cli_export.run(args) == 0, capsys.readouterr().err


def formula_cells(rows) -> list[str]:
    return [cell for row in rows for cell in row if isinstance(cell, str) and cell.startswith(FORMULA_STARTS)]


def test_cells_that_start_like_a_formula_are_text_in_every_spreadsheet_whoever_wrote_them(client, session, cafe):
    rename(session, cafe, process_name=FORMULAS[0], village=FORMULAS[1], labels=FORMULAS[:3], plan=FORMULAS[3])
    log_in(client)
    base = f"/leader/processes/{cafe.process_id}"

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/export.xlsx").content))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert set(FORMULAS[:4]) <= seen
    assert book["Om exporten"]["B1"].value == FORMULAS[0]
    assert [c.value for c in book["By × tema"][1]][1:4] == FORMULAS[:3]

    samrad = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/export.samrad.xlsx").content))
    assert all(cell.data_type != "f" for sheet in samrad.worksheets for row in sheet.iter_rows() for cell in row)

    for table in ("notes", "themes", "matrix", "votes", "samrad"):
        rows = list(csv.reader(io.StringIO(client.get(f"{base}/export.csv?table={table}&sep=;").text.lstrip("\ufeff"),
                                           newline=""), delimiter=";"))
        assert formula_cells(rows) == [], table
    matrix = list(csv.reader(io.StringIO(client.get(f"{base}/export.csv?table=matrix").text.lstrip("\ufeff"), newline="")))
    assert matrix[0][1:4] == ["'" + f for f in FORMULAS[:3]]
    assert matrix[1][0] == "'" + FORMULAS[1]  # the village

    with zipfile.ZipFile(io.BytesIO(client.get(f"{base}/export.zip").content)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8-sig")
                assert formula_cells(csv.reader(io.StringIO(text, newline=""))) == [], name


@pytest.mark.parametrize("odd", ["\x00", "\x01", "\u202e", "\u2066"])
def test_odd_characters_in_a_leaders_form_fields_are_dropped_and_every_export_still_works(client, session, cafe, odd):
    csrf = log_in(client)
    base = f"/leader/processes/{cafe.process_id}"
    response = client.post(f"{base}/categories", data={"csrf_token": csrf, "name": f"Vägar{odd} och broar"},
                           follow_redirects=False)
    assert response.status_code == 303
    assert shows(client.get(f"{base}/categories"), "Vägar och broar")
    for extension in ("xlsx", "docx", "csv", "json", "zip"):
        assert client.get(f"{base}/export.{extension}").status_code == 200, extension
