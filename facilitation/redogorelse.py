"""The samrådsredogörelse draft: what the document says, in order, as plain blocks.

The municipality must summarise the views it received in a consultation and say how it responded
to each (see PRODUCT.md). `outline` turns an export into headings, paragraphs and tables; the Word
file is drawn from them in app/exporters/redogorelse.py. The text is Swedish: the document is the
municipality's. Every text a participant or the municipality wrote arrives masked (the app masks it when it is stored).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from facilitation.exports import (
    OTHER, SUGGESTED_NOTE, ExportData, ThemeInfo, _Index, has_suggested_categories, participation_rows,
    response_text, themes_by_category,
)
from facilitation.text import words

TITLE = "Samrådsredogörelse (utkast)"
INTRODUCTION = "Inledning"
VIEWS = "Synpunkter och kommunens kommentarer"
DEPARTMENTS = "Frågor som lämnas till andra förvaltningar"
APPENDIX = "Bilaga: alla inspel"
UPDATE_CONTENTS = "Högerklicka och välj Uppdatera fält för att visa innehållsförteckningen."
SUMMARY_QUOTES = 3  # quotes standing in for a summary that nobody has written yet
SAME_VIEW = 0.6  # share of words two notes have in common when one merely repeats the other

# Boverket's ladder of citizen influence, and what the chosen step promised the participants.
LEVELS = {
    "information": "information: deltagarna fick veta vad kommunen planerar",
    "consultation": "samråd (konsultation): deltagarna lämnade synpunkter som kommunen väger in i planen",
    "participation": "delaktighet (dialog): deltagarna och kommunen resonerade fram förslag tillsammans",
    "co_decision": "inflytande (medbeslut): deltagarna var med och beslutade",
}
LADDER = "Boverkets delaktighetstrappa har stegen information, samråd, delaktighet och inflytande."
MASKING = (
    "Dolda inspel ingår inte. Personnummer, telefonnummer och e-postadresser i inspel och svar har ersatts "
    "med en markering."
)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0 is the title; 1 to 3 go into the table of contents


@dataclass(frozen=True)
class Paragraph:
    text: str
    label: str = ""  # a bold lead-in, "Status: "
    style: str = ""  # "", "Quote" or "List Bullet"


@dataclass(frozen=True)
class Grid:
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]
    widths_cm: tuple[float, ...] = ()


@dataclass(frozen=True)
class Contents:
    """The table of contents: Word fills it in when the reader updates the field."""

    title: str = "Innehåll"
    note: str = UPDATE_CONTENTS


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Grid | Contents | PageBreak


def outline(data: ExportData) -> list[Block]:
    index = _Index(data)
    return [
        Heading(f"{TITLE}: {data.process.name}", 0),
        Contents(),
        *_introduction(data),
        *_views(data, index),
        *_departments(data, index),
        PageBreak(),
        *_appendix(data, index),
    ]


def _introduction(data: ExportData) -> list[Block]:
    process, cafes = data.process, data.cafes
    villages = sorted({c.village for c in cafes}, key=str.casefold)
    dates = sorted(c.on for c in cafes)
    blocks: list[Block] = [Heading(INTRODUCTION, 1)]
    subject = f" inför {process.plan}" if process.plan else ""
    names = [m.strip() for m in process.municipalities.split(",") if m.strip()]
    where = f" i {municipalities_phrase(names)}" if names else ""
    blocks.append(Paragraph(
        f"Det här är ett utkast till samrådsredogörelse för medborgardialogen ”{process.name}”{subject}{where}. "
        "Den sammanfattar synpunkterna som kom in på bykaféerna och kommunens kommentar till var och en."
    ))
    if process.description:
        blocks.append(Paragraph(process.description))
    level = LEVELS.get(process.participation_level, process.participation_level)
    blocks.append(Paragraph(f"{level}. {LADDER}", label="Delaktighetsnivå: "))
    if dates:
        span = dates[0].isoformat() if dates[0] == dates[-1] else f"{dates[0].isoformat()} till {dates[-1].isoformat()}"
        blocks.append(Paragraph(
            f"{_count(len(cafes), 'kafé', 'kaféer')} i {_count(len(villages), 'by', 'byar')} ({', '.join(villages)}), {span}.",
            label="Byar och datum: ",
        ))
    phones = sum(c.phones for c in cafes)
    blocks.append(Paragraph(
        f"{_count(phones, 'mobil', 'mobiler')} anslöt och {_count(len(data.notes), 'inspel', 'inspel')} kom in, "
        "från mobiler och skrivna av bordsvärdar. Antalet mobiler är en undre gräns för antalet deltagare.",
        label="Deltagande: ",
    ))
    table = participation_rows(data)
    blocks.append(Grid(tuple(table.headers), tuple(tuple(row) for row in table.rows),
                       (3.0, 2.6, 2.2, 3.0, 1.4, 2.0, 1.8)))
    blocks.append(Paragraph(MASKING))
    return blocks


def municipalities_phrase(names: list[str]) -> str:
    """The municipalities as Swedish writes them after "i": "Storsjöns kommun"; two or more
    "X kommun" share one "kommuner" ("Storsjöns och Fjällåsens kommuner", "Malå, Norsjö och
    Skellefteå kommuner"), each name kept as its municipality spells it. Names of other kinds
    ("Umeå stad", "Region Västerbotten") are listed whole: "Storsjöns kommun och Umeå stad"."""
    if len(names) > 1 and all(name.endswith(" kommun") for name in names):
        return _and([name.removesuffix(" kommun") for name in names]) + " kommuner"
    return _and(names)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def _views(data: ExportData, index: _Index) -> list[Block]:
    blocks: list[Block] = [Heading(VIEWS, 1)]
    grouped = themes_by_category(data)
    if not grouped:
        return blocks + [Paragraph("Inspelen har ännu inte sorterats i teman.")]
    if has_suggested_categories(data):
        blocks.append(Paragraph(SUGGESTED_NOTE))
    for category, themes in grouped:
        blocks.append(Heading(category, 2))
        for theme in themes:
            blocks.extend(_theme(theme, index))
    return blocks


def _theme(theme: ThemeInfo, index: _Index) -> list[Block]:
    notes = index.theme_notes(theme)
    villages = Counter(index.village(n.cafe_id) for n in notes)
    blocks: list[Block] = [Heading(theme.label, 3)]
    if theme.summary:
        blocks.append(Paragraph(theme.summary, label="Sammanfattning: "))
    else:
        blocks.append(Paragraph("Temat saknar en skriven sammanfattning. Några inspel som visar synpunkterna:",
                                label="Sammanfattning: "))
        blocks.extend(Paragraph(f"”{index.notes[i].text}”", style="Quote") for i in _summary_quotes(theme, index))
    facts = [_count(len(notes), "inspel", "inspel")]
    if villages:
        facts.append(f"{_count(len(villages), 'by', 'byar')}: " + ", ".join(
            f"{v} ({n})" for v, n in sorted(villages.items(), key=lambda item: (-item[1], item[0]))))
    dots = index.votes.get(theme.ref, 0)
    if dots:
        facts.append(f"{_count(dots, 'prick', 'prickar')} i omröstningen")
    blocks.append(Paragraph(" · ".join(facts), label="Antal: "))
    status, comment = response_text(index.responses.get(theme.ref))
    blocks.append(Paragraph(comment or "Ingen kommentar ännu.", label="Kommunens kommentar: "))
    blocks.append(Paragraph(status or "Inte besvarat", label="Status: "))
    return blocks


def _summary_quotes(theme: ThemeInfo, index: _Index) -> list[int]:
    """Quotes a leader approved first, then the theme's representative notes, then any of its notes;
    a note that says nearly what a chosen one says (a retyped copy, "the whole table agrees") is
    skipped, so the quotes show different views."""
    chosen: list[int] = []
    chosen_words: list[set[str]] = []
    for note_id in dict.fromkeys((*theme.public_quote_ids, *theme.quote_ids, *theme.note_ids)):
        if note_id not in index.notes:
            continue
        said = set(words(index.notes[note_id].text))
        if any(_overlap(said, other) >= SAME_VIEW for other in chosen_words):
            continue
        chosen.append(note_id)
        chosen_words.append(said)
        if len(chosen) == SUMMARY_QUOTES:
            break
    return chosen


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def passed_on(data: ExportData, index: _Index) -> dict[str, list[str]]:
    """Views that are not about physical planning, per department: whole themes, and notes
    marked on their own."""
    by_department: dict[str, list[str]] = defaultdict(list)
    in_themes = set()
    for theme in data.themes:
        if theme.department:
            members = [n.id for n in index.theme_notes(theme)]
            in_themes.update(members)
            by_department[theme.department].append(
                f"Temat ”{theme.label}” ({_count(len(members), 'inspel', 'inspel')})")
    for note in data.notes:
        if note.department and note.id not in in_themes:
            by_department[note.department].append(f"”{note.text}” (inspel nr {note.id}, {index.village(note.cafe_id)})")
    return by_department


def _departments(data: ExportData, index: _Index) -> list[Block]:
    blocks: list[Block] = [Heading(DEPARTMENTS, 1)]
    by_department = passed_on(data, index)
    if not by_department:
        return blocks + [Paragraph("Inga inspel har lämnats till andra förvaltningar.")]
    blocks.append(Paragraph("De här synpunkterna rör inte den fysiska planeringen. Kommunen lämnar dem till den "
                            "förvaltning som ansvarar."))
    for department in sorted(by_department, key=str.casefold):
        blocks.append(Heading(department, 2))
        blocks.extend(Paragraph(line, style="List Bullet") for line in by_department[department])
    return blocks


def _appendix(data: ExportData, index: _Index) -> list[Block]:
    blocks: list[Block] = [Heading(APPENDIX, 1), Paragraph(MASKING)]
    by_cafe = defaultdict(list)
    for note in data.notes:
        by_cafe[note.cafe_id].append(note)
    for cafe in data.cafes:
        blocks.append(Heading(f"{cafe.village} {cafe.on.isoformat()}", 2))
        notes = sorted(by_cafe[cafe.id], key=lambda n: (n.round, n.table, n.id))
        if not notes:
            blocks.append(Paragraph("Inga inspel."))
            continue
        rows = tuple(
            (n.id, n.round, n.table, index.theme_of_note[n.id].label if n.id in index.theme_of_note else OTHER,
             n.text)
            for n in notes
        )
        blocks.append(Grid(("Nr", "Runda", "Bord", "Tema", "Inspel"), rows, (1.2, 1.3, 1.1, 3.8, 8.6)))
    return blocks


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
