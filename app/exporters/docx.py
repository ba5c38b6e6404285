"""The Word report a planner can put into the plan's documentation."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from app.charts import bar_chart_png
from facilitation.export_data import ExportData, NoteInfo, ThemeInfo
from facilitation.exports import (
    OTHER, SUGGESTED_NOTE, Table, cell_text, has_suggested_categories, participation_rows, response_text, theme_votes,
    themes_by_category,
)
from facilitation.labels import quotes_beside

LEVELS = {
    "information": "information",
    "consultation": "samråd (konsultation)",
    "participation": "delaktighet (dialog)",
    "co_decision": "inflytande (medbeslut)",
}
MASKING_NOTE = (
    "Dolda inspel (till exempel kränkande) ingår inte. Personnummer, telefonnummer och e-postadresser "
    "i inspelen har ersatts med en markering. Citaten är ordagranna i övrigt."
)


def report(data: ExportData) -> bytes:
    document = Document()
    _swedish(document)
    a4_with_page_numbers(document)
    notes = {n.id: n for n in data.notes}
    cafes = {c.id: c for c in data.cafes}
    votes = theme_votes(data)
    _title(document, data)
    _participation(document, data)
    _themes(document, data, notes, votes)
    _departments(document, data, notes)
    _appendix(document, data, cafes)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _swedish(document: DocumentType) -> None:
    """Mark the text as Swedish, so spell checkers and screen readers use the right language."""
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(11)
    properties = normal.element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "sv-SE")
    properties.append(language)


def a4_with_page_numbers(document: DocumentType) -> None:
    """A4 with 25 mm margins (python-docx starts from US Letter) and the page number in the footer."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(25)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_field(footer, "PAGE", "1")


def add_field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (page number, table of contents) showing `shown` until Word updates it."""
    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(char("end"))


def _title(document: DocumentType, data: ExportData) -> None:
    cafe = next((c for c in data.cafes if c.id == data.cafe_id), None)
    document.core_properties.title = f"Medborgardialog: {data.process.name}"
    document.core_properties.author = "Bykafé"
    document.core_properties.language = "sv-SE"
    document.add_heading(f"Medborgardialog: {data.process.name}", level=0)
    scope = f"Kafé i {cafe.village} {cafe.on.isoformat()}" if cafe else "Alla kaféer i processen"
    facts = [
        ("Plan", data.process.plan), ("Kommuner", data.process.municipalities), ("Underlag", scope),
        ("Delaktighetsnivå", LEVELS.get(data.process.participation_level, data.process.participation_level)),
        ("Sammanställd", data.generated_on.isoformat()),
    ]
    for label, value in facts:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    if data.process.description:
        document.add_paragraph(data.process.description)
    document.add_paragraph(MASKING_NOTE)


def _participation(document: DocumentType, data: ExportData) -> None:
    document.add_heading("Deltagande", level=1)
    villages = {c.village for c in data.cafes}
    phones = sum(c.phones for c in data.cafes)
    document.add_paragraph(
        f"{_count(len(data.cafes), 'kafé', 'kaféer')} i {_count(len(villages), 'by', 'byar')}. "
        f"{_count(phones, 'mobil', 'mobiler')} anslöt och {_count(len(data.notes), 'inspel', 'inspel')} kom in, "
        "både från mobiler och skrivna av bordsvärdar (till exempel från pappersduken). "
        "Antalet mobiler är en undre gräns för antalet deltagare: den som saknade mobil skrev på papper."
    )
    _table(document, participation_rows(data))
    questions = {c.questions for c in data.cafes if c.questions}
    if questions:
        document.add_heading("Frågor", level=2)
        if len(questions) == 1:
            for number, question in enumerate(next(iter(questions)), start=1):
                document.add_paragraph(f"Runda {number}: {question}", style="List Number")
        else:
            for cafe in data.cafes:
                text = "; ".join(f"{n}. {q}" for n, q in enumerate(cafe.questions, start=1))
                document.add_paragraph(f"{cafe.village}: {text}", style="List Bullet")


def _themes(document: DocumentType, data: ExportData, notes: dict[int, NoteInfo], votes: dict) -> None:
    document.add_heading("Teman per planområde", level=1)
    if not data.themes:
        document.add_paragraph("Inspelen har ännu inte sorterats i teman.")
        return
    if has_suggested_categories(data):
        document.add_paragraph(SUGGESTED_NOTE)
    responses = {(r.cafe_id, r.theme_key): r for r in data.responses}
    cafes = {c.id: c for c in data.cafes}
    for category, themes in themes_by_category(data):
        document.add_heading(category, level=2)
        counts = [sum(1 for i in t.note_ids if i in notes) for t in themes]
        labels = [t.label for t in themes]
        chart = bar_chart_png(labels, counts, f"{category}: antal inspel per tema")
        picture = document.add_picture(io.BytesIO(chart), width=Cm(16))
        bars = "; ".join(f"{label}: {count}" for label, count in zip(labels, counts))
        _alt_text(picture, f"Stapeldiagram, {category}: {bars}")
        for theme in themes:
            _theme(document, theme, notes, cafes, votes.get(theme.ref, 0), responses.get(theme.ref))


def _theme(document, theme: ThemeInfo, notes, cafes, dots: int, response) -> None:
    members = [notes[i] for i in theme.note_ids if i in notes]
    villages = Counter(cafes[n.cafe_id].village for n in members if n.cafe_id in cafes)
    document.add_heading(theme.label, level=3)
    facts = [_count(len(members), "inspel", "inspel")]
    if villages:
        facts.append(f"{_count(len(villages), 'by', 'byar')}: " + ", ".join(
            f"{v} ({n})" for v, n in sorted(villages.items(), key=lambda i: (-i[1], i[0]))))
    if dots:
        facts.append(f"{_count(dots, 'prick', 'prickar')} i prickröstningen")
    if theme.cafe_id in cafes:
        facts.append(f"kaféet i {cafes[theme.cafe_id].village}")
    document.add_paragraph(" · ".join(facts))
    if theme.summary:
        document.add_paragraph(theme.summary)
    if theme.keywords:
        paragraph = document.add_paragraph()
        paragraph.add_run("Nyckelord: ").bold = True
        paragraph.add_run(", ".join(k for k in theme.keywords))
    # As on the public page: a quote the summary above already says word for word is left out.
    for text in quotes_beside(theme.summary, [notes[i].text for i in theme.quote_ids if i in notes]):
        document.add_paragraph(f"”{text}”", style="Quote")
    status, answer = response_text(response)
    paragraph = document.add_paragraph()
    paragraph.add_run("Kommunens svar: ").bold = True
    paragraph.add_run(f"{status}. {answer}".strip() if status else "Inget svar ännu.")


def _departments(document: DocumentType, data: ExportData, notes: dict[int, NoteInfo]) -> None:
    """Views that are not about physical planning, passed on to the department responsible."""
    by_department: dict[str, list[str]] = defaultdict(list)
    in_themes = set()
    for theme in data.themes:
        if theme.department:
            members = [i for i in theme.note_ids if i in notes]
            in_themes.update(members)
            by_department[theme.department].append(f"Temat ”{theme.label}” ({_count(len(members), 'inspel', 'inspel')})")
    for note in data.notes:
        if note.department and note.id not in in_themes:
            by_department[note.department].append(f"”{note.text}” (nr {note.id})")
    if not by_department:
        return
    document.add_heading("Inspel som lämnas till andra förvaltningar", level=1)
    document.add_paragraph("De här inspelen rör inte den fysiska planeringen och lämnas till den förvaltning som ansvarar.")
    for department in sorted(by_department, key=str.casefold):
        document.add_heading(department, level=2)
        for line in by_department[department]:
            document.add_paragraph(line, style="List Bullet")


def _appendix(document: DocumentType, data: ExportData, cafes) -> None:
    document.add_page_break()
    document.add_heading("Bilaga: alla inspel", level=1)
    document.add_paragraph(MASKING_NOTE)
    theme_of: dict[int, str] = {}  # note id -> the label of its first theme
    for theme in data.themes:
        for note_id in theme.note_ids:
            theme_of.setdefault(note_id, theme.label)
    by_cafe: dict[int, list[NoteInfo]] = defaultdict(list)
    for note in data.notes:
        by_cafe[note.cafe_id].append(note)
    for cafe in data.cafes:
        document.add_heading(f"{cafe.village} {cafe.on.isoformat()}", level=2)
        notes = sorted(by_cafe[cafe.id], key=lambda n: (n.round, n.table, n.id))
        if not notes:
            document.add_paragraph("Inga inspel.")
            continue
        rows = [[n.id, n.round, n.table, theme_of.get(n.id, OTHER), n.text] for n in notes]
        _table(document, Table("", [], rows), headers=["Nr", "Runda", "Bord", "Tema", "Inspel"],
               widths=[Cm(1.3), Cm(1.4), Cm(1.2), Cm(4), Cm(9)])


def _table(document: DocumentType, table: Table, headers: list[str] | None = None, widths=None) -> None:
    headers = headers or table.headers
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, text in zip(header.cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = cell_text(value)
    if widths:
        for row in grid.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width


def _repeat_as_header(row) -> None:
    """A header row that screen readers announce and Word repeats on every page."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _alt_text(shape, text: str) -> None:
    shape._inline.docPr.set("descr", text)
    shape._inline.docPr.set("title", text[:100])


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
