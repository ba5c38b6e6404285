"""Exports over HTTP and from the command line: each file opened with its own library and
checked against what was posted; hidden notes and personal data never leave."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlmodel import select

from app import cli_export
from app.charts import bar_chart_png, bar_chart_svg
from app.models import DeletionRecord, Note, Participant, Theme, Vote
from app.routes import exports as export_routes
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services import themes as theme_service, votes as vote_service
from app.services import responses as response_service
from app.services.themes import Scope
from facilitation.process import RoundPlan
from tests.app.helpers import export_args, count, other_organisation_cafe
from tests.builders import csrf_from, log_in, make_cafe, make_leader

SCHEMA = Path(__file__).parents[2] / "docs" / "export-schema.json"
PERSONAL = ("070-123 45 67", "0701234567", "anna@example.se", "19650412-1234", "196504121234")
HIDDEN = "Hemlig lapp om grannen som ingen ska läsa"
NOTES = [
    "Bussen till stan går för sällan på kvällarna",
    "Fler turer med bussen på helgerna",
    "Kollektivtrafiken behöver bättre tider för pendlare",
    "Ring mig på 070-123 45 67 om busshållplatsen",
    "Hyresrätter för unga som vill bo kvar i byn",
    "Det behövs fler lägenheter för äldre",
    "Bostäder saknas, mejla anna@example.se så berättar jag",
    "Tomter vid sjön borde säljas till nya familjer",
    "Skolan måste finnas kvar i byn",
    "Förskolan är viktig för barnfamiljerna, mitt personnummer 19650412-1234",
    "Barnen behöver en skola nära hemmet",
    "Bredbandet är för dåligt för att jobba hemifrån",
    "Fiber till alla hushåll i byn",
    "Mobiltäckningen är svag vid sjön, 196504121234",
    "Vandringsleder och badplatsen vid sjön är byns pärla",
    "Skogen och fisket lockar turister",
]


@pytest.fixture
def app(app):
    if not any(getattr(r, "path", "") == "/leader/processes/{process_id}/exports" for r in app.routes):
        app.include_router(export_routes.router)
    return app


@pytest.fixture
def cafe(session):
    """A café with 16 visible notes (some with personal data), one hidden, themes, dots and a response."""
    leader = make_leader(session)
    setup = make_cafe(session, leader, phase="round")
    phones = [note_service.join_table(session, table=t, device_key=f"phone-{t.number}") for t in setup.tables]
    for number, text in enumerate(NOTES):
        by_phone = number % 2 == 0
        note_service.submit_note(
            session, table=setup.tables[number % 3], client_id=f"note-{number:03d}", text=text,
            participant=phones[number % 3] if by_phone else None,
        )
    hidden = note_service.submit_note(session, table=setup.tables[0], client_id="hidden-1", text=HIDDEN).note
    note_service.set_hidden(session, note=hidden, user=leader, hidden=True)
    themes = theme_service.run_themes(session, user=leader, scope=Scope(setup.process_id, setup.cafe_id), n_themes=3)
    cafe_row = cafe_service.cafe_for(session, leader, setup.cafe_id)
    vote_service.open_vote(session, cafe=cafe_row, dots=3)
    for participant in phones:
        vote_service.change_dot(session, cafe=cafe_row, participant=participant, theme_key=themes[0].key, change=1)
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id,
                     theme_key=themes[0].key, status="in_plan", text="Tas upp i planens avsnitt om kommunikationer.")
    setup.leader, setup.themes = leader, themes
    return setup


def downloaded(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-disposition"].startswith('attachment; filename="bykafe-landsbygdsdialog-')
    return response.content


def assert_clean(content: bytes) -> None:
    """No hidden note and no planted personal data anywhere in a file (or in a zip's members)."""
    texts = [content.decode("utf-8", "replace")]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as bundle:
            texts = [bundle.read(name).decode("utf-8", "replace") for name in bundle.namelist()]
    for text in texts:
        for planted in (HIDDEN, *PERSONAL):
            assert planted not in text


@pytest.mark.parametrize("scope", ["processes", "cafes"])
def test_every_download_holds_the_visible_notes_and_nothing_personal(client, session, cafe, scope):
    log_in(client)
    base = f"/leader/{scope}/{cafe.process_id if scope == 'processes' else cafe.cafe_id}"
    total = len(NOTES)

    workbook = downloaded(client, f"{base}/export.xlsx")
    assert_clean(workbook)
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    assert {"Teman", "Inspel", "By × tema", "Prickar", "Samråd"} <= set(book.sheetnames)
    notes_sheet = book["Inspel"]
    assert notes_sheet.max_row - 1 == total
    assert notes_sheet.freeze_panes == "A2" and notes_sheet.auto_filter.ref.startswith("A1:")
    assert isinstance(notes_sheet["A2"].value, int) and notes_sheet["D2"].is_date
    themes_sheet = book["Teman"]
    assert themes_sheet.max_row - 1 == len(cafe.themes)
    counts = [row[4] for row in themes_sheet.iter_rows(min_row=2, values_only=True)]
    placed = sum(counts)
    assert all(isinstance(c, int) for c in counts) and placed <= total
    dots = {row[0]: row[5] for row in themes_sheet.iter_rows(min_row=2, values_only=True)}
    assert dots[cafe.themes[0].label] == 3
    assert "Med i planen" in [row[10] for row in themes_sheet.iter_rows(min_row=2, values_only=True)]
    matrix = list(book["By × tema"].iter_rows(values_only=True))
    assert matrix[1][0] == "Hallen" and matrix[1][-1] == total
    assert [row[3] for row in book["Prickar"].iter_rows(min_row=2, values_only=True)] == [3]
    assert book["Samråd"].max_row - 1 == total

    samrad = openpyxl.load_workbook(io.BytesIO(downloaded(client, f"{base}/export.samrad.xlsx")))["Samråd"]
    headers = [c.value for c in samrad[1]]
    assert headers[:3] == ["Nr", "Tema", "Inspel (ordagrant, personuppgifter maskerade)"]
    assert "Kommunens kommentar" in headers and samrad.max_row - 1 == total

    report = downloaded(client, f"{base}/export.docx")
    assert_clean(report)
    document = docx.Document(io.BytesIO(report))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Deltagande" in headings and "Bilaga: alla inspel" in headings
    appendix_rows = sum(len(t.rows) - 1 for t in document.tables[1:])
    assert appendix_rows == total
    assert len(document.inline_shapes) >= 1  # a chart per category
    assert "Tas upp i planens avsnitt om kommunikationer." in "\n".join(p.text for p in document.paragraphs)

    text = downloaded(client, f"{base}/export.csv").decode("utf-8")
    assert_clean(text.encode())
    assert len(list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))) == total + 1

    document = json.loads(downloaded(client, f"{base}/export.json"))
    assert len(document["notes"]) == total and len(document["themes"]) == len(cafe.themes)
    assert_clean(json.dumps(document, ensure_ascii=False).encode())
    _validate(document)

    bundle = zipfile.ZipFile(io.BytesIO(downloaded(client, f"{base}/export.zip")))
    assert_clean(downloaded(client, f"{base}/export.zip"))
    assert {"README.txt", "export.json", "inspel.csv", "teman.csv", "kurering-logg.csv", "moderering-logg.csv",
            "svar-historik.csv"} <= set(bundle.namelist())
    moderation = bundle.read("moderering-logg.csv").decode("utf-8-sig")
    assert "dold" in moderation
    assert re.search(r"Teman hittades;\d+ teman?, \d+ i Övrigt", bundle.read("kurering-logg.csv").decode("utf-8-sig"))


def _validate(document: dict) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    try:
        import jsonschema
    except ImportError:
        assert set(document) == set(schema["required"])
    else:
        jsonschema.validate(document, schema)


def test_csv_has_a_bom_and_semicolons_for_swedish_excel(client, session, cafe):
    log_in(client)
    content = downloaded(client, f"/leader/processes/{cafe.process_id}/export.csv?sep=%3B&table=themes")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Tema", "Planområde"] and len(rows) == len(cafe.themes) + 1


def test_unknown_formats_are_not_found(client, session):
    cafe = make_cafe(session, make_leader(session))
    log_in(client)
    assert client.get(f"/leader/processes/{cafe.process_id}/export.pdf").status_code == 404
    assert client.get(f"/leader/processes/{cafe.process_id}/export.csv?table=secrets").status_code == 404


def test_the_process_page_offers_the_downloads(client, session):
    cafe = make_cafe(session, make_leader(session))
    log_in(client)
    page = client.get(f"/leader/processes/{cafe.process_id}").text
    assert f"/leader/processes/{cafe.process_id}/export.xlsx" in page
    assert f"/leader/processes/{cafe.process_id}/exports" in page


def test_a_leader_of_another_organisation_gets_not_found(client, session):
    cafe = make_cafe(session, make_leader(session))
    other = other_organisation_cafe(session)
    log_in(client)
    for url in (f"/leader/processes/{other.process_id}/export.xlsx", f"/leader/cafes/{other.cafe_id}/export.json",
                f"/leader/processes/{other.process_id}/exports", f"/leader/cafes/{other.cafe_id}/delete"):
        assert client.get(url).status_code == 404
    page = client.get(f"/leader/processes/{cafe.process_id}/exports")
    response = client.post(f"/leader/cafes/{other.cafe_id}/delete",
                           data={"csrf_token": csrf_from(page.text), "decision": "KS 2026 § 1", "village": "Hallen"})
    assert response.status_code == 404


def test_the_export_page_flags_personal_data_in_notes(client, session, cafe):
    log_in(client)
    page = client.get(f"/leader/processes/{cafe.process_id}/exports")
    assert page.status_code == 200
    assert "telefonnummer" in page.text and "e-postadress" in page.text and "personnummer" in page.text
    for planted in PERSONAL:
        assert planted not in page.text


def test_deleting_a_cafes_data_needs_the_decision_and_the_village_and_leaves_a_record(client, session, cafe):
    log_in(client)
    form = client.get(f"/leader/cafes/{cafe.cafe_id}/delete")
    token = csrf_from(form.text)
    url = f"/leader/cafes/{cafe.cafe_id}/delete"

    assert client.post(url, data={"csrf_token": token, "decision": "", "village": "Hallen"}).status_code == 422
    assert client.post(url, data={"csrf_token": token, "decision": "KS 2026-03-12 § 45", "village": "Berg"}).status_code == 422
    assert count(session, Note, Note.cafe_id == cafe.cafe_id) == len(NOTES) + 1

    done = client.post(url, data={"csrf_token": token, "decision": "KS 2026-03-12 § 45", "village": " hallen "},
                       follow_redirects=False)
    assert done.status_code == 303
    assert count(session, Note, Note.cafe_id == cafe.cafe_id) == 0
    assert count(session, Participant, Participant.cafe_id == cafe.cafe_id) == 0
    assert count(session, Vote, Vote.cafe_id == cafe.cafe_id) == 0
    assert count(session, Theme, Theme.cafe_id == cafe.cafe_id) == 0
    record = session.exec(select(DeletionRecord)).one()
    assert (record.process_id, record.decision, record.note_count) == (cafe.process_id, "KS 2026-03-12 § 45", len(NOTES) + 1)
    assert "Hallen" in record.cafe_description and record.user_id == cafe.leader.id
    page = client.get(done.headers["location"])
    assert "KS 2026-03-12 § 45" in page.text
    assert client.get(f"/leader/cafes/{cafe.cafe_id}").status_code == 404


def test_the_command_writes_each_format(session, cafe, tmp_path, monkeypatch, settings, capsys):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "t" * 40)
    for fmt, name in [("xlsx", "a.xlsx"), ("docx", "a.docx"), ("samrad", "s.xlsx"), ("csv", "a.csv"),
                      ("json", "a.json"), ("archive", "a.zip")]:
        args = export_args(cafe.process_id, "--format", fmt, "--out", tmp_path / name, "--separator", ";")
        assert cli_export.run(args) == 0, capsys.readouterr().err
        assert_clean((tmp_path / name).read_bytes())
    assert len(openpyxl.load_workbook(tmp_path / "a.xlsx")["Inspel"]["A"]) == len(NOTES) + 1
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbfNr;By;")
    assert len(json.loads((tmp_path / "a.json").read_text())["notes"]) == len(NOTES)
    assert "notes contain personal data" in capsys.readouterr().err

    one = export_args(cafe.process_id, "--format", "json", "--out", tmp_path / "c.json", "--cafe", cafe.cafe_id)
    assert cli_export.run(one) == 0
    assert json.loads((tmp_path / "c.json").read_text())["scope"] == {"kind": "cafe", "cafe_id": cafe.cafe_id}
    wrong = export_args(cafe.process_id + 100, "--format", "json")
    assert cli_export.run(wrong) == 2
    assert "there is no process" in capsys.readouterr().err


def trial_cafe(session, cafe):
    """A trial café in the same process, with a note a colleague typed to test it."""
    process = cafe_service.process_for(session, cafe.leader, cafe.process_id)
    trial = cafe_service.create_cafe(
        session, process=process, village="Provbyn", venue="", on=process.created_at.date(), table_count=1,
        rounds=[RoundPlan("Fungerar det?", 5)], trial=True,
    )
    cafe_service.run_action(session, cafe=trial, action="open")
    cafe_service.run_action(session, cafe=trial, action="start_round")
    table = cafe_service.tables_of(session, trial)[0]
    note_service.submit_note(session, table=table, client_id="trial-note-0001", text="Testlapp från provkaféet")
    return trial


def test_a_trial_cafe_is_left_out_of_process_exports_unless_included(client, session, cafe):
    trial = trial_cafe(session, cafe)
    log_in(client)
    base = f"/leader/processes/{cafe.process_id}"
    left_out = json.loads(downloaded(client, f"{base}/export.json"))
    assert [c["village"] for c in left_out["cafes"]] == ["Hallen"]
    assert len(left_out["notes"]) == len(NOTES)
    included = json.loads(downloaded(client, f"{base}/export.json?include_trial=1"))
    assert [c["village"] for c in included["cafes"]] == ["Hallen", "Provbyn"]
    assert "Testlapp från provkaféet" in [n["text"] for n in included["notes"]]
    own = json.loads(downloaded(client, f"/leader/cafes/{trial.id}/export.json"))  # asked for by name
    assert [n["text"] for n in own["notes"]] == ["Testlapp från provkaféet"]

    page = client.get(f"{base}/exports").text
    assert "Provbyn" in page and 'name="include_trial"' in page
    assert "export.xlsx?include_trial=1" in client.get(f"{base}/exports?include_trial=1").text


def test_the_command_includes_trial_cafes_only_when_asked(session, cafe, tmp_path, monkeypatch, settings):
    trial_cafe(session, cafe)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "t" * 40)
    parser = argparse.ArgumentParser()
    cli_export.register(parser.add_subparsers())
    for flags, villages in [([], ["Hallen"]), (["--include-trial"], ["Hallen", "Provbyn"])]:
        out = tmp_path / f"export{len(flags)}.json"
        args = parser.parse_args(["export", str(cafe.process_id), "--format", "json", "--out", str(out), *flags])
        assert cli_export.run(args) == 0
        assert [c["village"] for c in json.loads(out.read_text())["cafes"]] == villages


def test_charts_are_the_same_each_time_and_name_their_content():
    svg = bar_chart_svg(["Boende", "Kommunikationer"], [3, 5], "Teman i Hallen")
    assert svg == bar_chart_svg(["Boende", "Kommunikationer"], [3, 5], "Teman i Hallen")
    assert svg.startswith("<svg") and "<title" in svg and "Boende: 3; Kommunikationer: 5" in svg
    assert 'style="' not in svg  # the page's CSP would ignore inline styles
    png = bar_chart_png(["Boende"], [3], "Teman")
    assert png.startswith(b"\x89PNG") and png == bar_chart_png(["Boende"], [3], "Teman")
