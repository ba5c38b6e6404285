"""The samrådsredogörelse draft as a Word file, drawn block by block from facilitation.redogorelse."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from app.exporters.docx import _swedish, _table, a4_with_page_numbers, add_field
from facilitation.export_data import ExportData
from facilitation.exports import Table
from facilitation.redogorelse import Contents, Grid, Heading, PageBreak, Paragraph, outline


UPDATE_FIELDS_SUCCESSORS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def redogorelse(data: ExportData) -> bytes:
    document = Document()
    _swedish(document)
    a4_with_page_numbers(document)
    document.core_properties.title = f"Samrådsredogörelse (utkast): {data.process.name}"
    document.core_properties.author = "Bykafé"
    document.core_properties.language = "sv-SE"
    for block in outline(data):
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(style=block.style or None)
            if block.label:
                paragraph.add_run(block.label).bold = True
            paragraph.add_run(block.text)
        elif isinstance(block, Grid):
            _table(document, Table("", [], [list(row) for row in block.rows]), headers=list(block.headers),
                   widths=[Cm(w) for w in block.widths_cm] or None)
        elif isinstance(block, Contents):
            document.add_paragraph(block.title, style="TOC Heading")  # not a heading: stays out of the contents
            add_field(document.add_paragraph(), r'TOC \o "1-3" \h \z \u', block.note)
            _update_fields_on_open(document)
        elif isinstance(block, PageBreak):
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _update_fields_on_open(document) -> None:
    """Word offers to fill in the table of contents when the file opens."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # The settings are an ordered sequence (ECMA-376): Word rejects an element out of place.
    document.settings.element.insert_element_before(update, *UPDATE_FIELDS_SUCCESSORS)
