"""The samrådsredogörelse draft and the Word report as files: opened with python-docx and checked
for A4 pages, page numbers, the table of contents, a heading per theme, the department section, the
appendix, and that no hidden note or planted personal data got in."""

from __future__ import annotations

import io

import docx
import pytest
from docx.document import Document
from sqlmodel import select

from app import cli_export
from app.models import Note, Process
from app.services import planning
from app.services import responses as response_service
from app.services import themes as theme_service
from app.services.categories import categories_of
from app.services.themes import Scope
from tests.app.helpers import export_args
from tests.app.test_exports import HIDDEN, NOTES, PERSONAL, app, assert_clean, cafe, downloaded  # noqa: F401 (fixtures)
from tests.builders import log_in

PHONE_IN_RESPONSE = "Ring Lars på 070-123 45 67 om tiderna"
WORD_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def is_a4_with_page_numbers(document: Document) -> bool:
    for section in document.sections:
        if abs(section.page_width.mm - 210) > 0.5 or abs(section.page_height.mm - 297) > 0.5:
            return False
        margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
        if any(abs(m.mm - 25) > 0.5 for m in margins):
            return False
        if "PAGE" not in field_codes(section.footer._element):
            return False
    return True


def field_codes(element) -> list[str]:
    return [code.text.strip() for code in element.iter(f"{{{WORD_NAMESPACE}}}instrText")]


def headings(document: Document, level: int | None = None) -> list[str]:
    wanted = {f"Heading {level}"} if level else {f"Heading {n}" for n in range(1, 10)}
    return [p.text for p in document.paragraphs if p.style.name in wanted]


@pytest.fixture
def answered(session, cafe):
    """The café with a second theme answered (with a phone number in the answer) and one theme and
    one note passed on to other departments."""
    scope = Scope(cafe.process_id, cafe.cafe_id)
    second, third = cafe.themes[1], cafe.themes[2]
    response_service.respond(session, user=cafe.leader, process_id=cafe.process_id, cafe_id=cafe.cafe_id,
                     theme_key=second.key, status="looking_into", text=PHONE_IN_RESPONSE)
    planning.set_department(session, user=cafe.leader, scope=scope, theme_id=third.id, department="Barn- och utbildning")
    note = session.exec(select(Note).where(Note.text == NOTES[12])).one()
    planning.set_note_department(session, process=session.get(Process, cafe.process_id), note_id=note.id,
                                 department="Tekniska förvaltningen")
    return cafe


def test_the_draft_has_a4_pages_contents_a_heading_per_theme_departments_and_appendix(client, answered):
    log_in(client)
    content = downloaded(client, f"/leader/processes/{answered.process_id}/export.redogorelse.docx")
    assert_clean(content)
    document = docx.Document(io.BytesIO(content))
    assert is_a4_with_page_numbers(document)
    assert any(code.startswith("TOC") for code in field_codes(document.element.body))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Högerklicka och välj Uppdatera fält" in text
    assert document.settings.element.find(f"{{{WORD_NAMESPACE}}}updateFields") is not None  # Word offers to fill it

    level_one = headings(document, 1)
    assert level_one == ["Inledning", "Synpunkter och kommunens kommentarer",
                         "Frågor som lämnas till andra förvaltningar", "Bilaga: alla inspel"]
    planned = [t for t in answered.themes if t.key != answered.themes[2].key]
    assert sorted(headings(document, 3)) == sorted(t.label for t in planned)
    assert {"Barn- och utbildning", "Tekniska förvaltningen"} <= set(headings(document, 2))
    assert f"Temat ”{answered.themes[2].label}”" in text
    assert NOTES[12] in text

    assert "Tas upp i planens avsnitt om kommunikationer." in text and "Med i planen" in text
    assert "Ring Lars på" in text and "Utreds" in text  # the answer is there, its phone number masked
    for planted in (HIDDEN, *PERSONAL):
        assert planted not in text
    assert "Delaktighetsnivå: " in text and "Hallen" in text and "2026-11-30" in text

    appendix = document.tables[1:]
    assert sum(len(t.rows) - 1 for t in appendix) == len(NOTES)
    cells = {cell.text for table in appendix for row in table.rows for cell in row.cells}
    assert NOTES[0] in cells and "Ring mig på 070-123 45 67 om busshållplatsen" not in cells


def test_the_word_report_is_a4_with_page_numbers(client, cafe):
    log_in(client)
    document = docx.Document(io.BytesIO(downloaded(client, f"/leader/cafes/{cafe.cafe_id}/export.docx")))
    assert is_a4_with_page_numbers(document)


def test_the_export_page_offers_the_draft(client, cafe):
    log_in(client)
    page = client.get(f"/leader/processes/{cafe.process_id}/exports")
    assert f"/leader/processes/{cafe.process_id}/export.redogorelse.docx" in page.text


def test_the_command_writes_the_draft(session, answered, tmp_path, monkeypatch, settings, capsys):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "t" * 40)
    out = tmp_path / "redogorelse.docx"
    args = export_args(answered.process_id, "--format", "redogorelse", "--out", out)
    assert cli_export.run(args) == 0, capsys.readouterr().err
    assert_clean(out.read_bytes())
    document = docx.Document(out)
    assert is_a4_with_page_numbers(document)
    assert "Bilaga: alla inspel" in headings(document, 1)


def test_a_suggested_plan_category_is_marked_as_a_suggestion_in_both_word_files(client, session, cafe):
    scope = Scope(cafe.process_id, cafe.cafe_id)
    assert planning.suggest_categories(session, scope) >= 2, "the sample needs two suggested categories"
    categories = {c.id: c.name for c in categories_of(session, session.get(Process, cafe.process_id))}
    themes = [t for t in theme_service.themes_in(session, scope) if t.category_id and not t.department]
    confirmed, suggested = themes[0], [t for t in themes[1:] if t.category_id != themes[0].category_id]
    planning.set_category(session, user=cafe.leader, scope=scope, theme_id=confirmed.id,
                          category_id=confirmed.category_id)
    log_in(client)
    base = f"/leader/processes/{cafe.process_id}"
    for path in ("export.docx", "export.redogorelse.docx"):
        document = docx.Document(io.BytesIO(downloaded(client, f"{base}/{path}")))
        level_two = headings(document, 2)
        assert categories[confirmed.category_id] in level_two, path
        assert f"{categories[suggested[0].category_id]} (förslag)" in level_two, path
        assert "är föreslaget utifrån temats ord och inspel" in "\n".join(p.text for p in document.paragraphs)
