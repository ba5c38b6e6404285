"""What an export contains: the tables a planner gets from a café or a whole process.

Plain objects in (ExportData: facilitation/export_data.py), plain tables out (Table); the files
themselves (Excel, Word, zip) are drawn in app/exporters/. Headers are Swedish: the files are read by the municipality.

Two rules hold for every table here: hidden notes are not in ExportData at all (the loader leaves
them out), and every text in it is already masked: a note's text is its public text, and what a
leader writes is masked when it is stored (facilitation/privacy.py, app/models.py).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from facilitation.clock import local
from facilitation.export_data import (
    CafeInfo, ExportData, LogEntry, NoteInfo, ResponseInfo, ThemeInfo,
)
from facilitation.privacy import EMAIL, NAME, PHONE, masked_kinds
from facilitation.spreadsheets import csv_cell

SCHEMA_ID = "https://bykafe.se/schemas/export-1.json"
OTHER = "Övrigt"  # notes in no theme
NO_CATEGORY = "Utan planområde"
SUGGESTED = "(förslag)"  # after a plan category the leader has not confirmed
SUGGESTED_NOTE = (
    "Ett planområde med (förslag) efter namnet är föreslaget utifrån temats ord och inspel; "
    "processledaren har ännu inte bekräftat det."
)

RESPONSE_STATUS = {
    "received": "Mottaget",
    "looking_into": "Utreds",
    "in_plan": "Med i planen",
    "not_in_plan": "Inte med i planen",
}
# The samrådsredogörelse asks whether each view is taken into account.
TAKEN_INTO_ACCOUNT = {"in_plan": "ja", "not_in_plan": "nej"}
TAKEN_CHOICES = ("ja", "nej", "delvis")
SOURCE = {"phone": "Mobil", "host": "Bordsvärd"}
PERSONAL_DATA_WORDS = {"personnummer": "personnummer", "samordningsnummer": "personnummer",
                       PHONE: "telefonnummer", EMAIL: "e-postadress", NAME: "namn"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, int, date, datetime
    width: int = 14  # characters, for spreadsheets


@dataclass
class Table:
    name: str
    columns: list[Column]
    rows: list[list]

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]


# --- small helpers ---------------------------------------------------------------------------

def personal_data_kinds(masked_text: str) -> list[str]:
    """What kinds of personal data were masked in a text, in Swedish words, for flagging."""
    return sorted({PERSONAL_DATA_WORDS[kind] for kind in masked_kinds(masked_text or "")})


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "export"


def export_filename(data: ExportData, extension: str, suffix: str = "") -> str:
    """bykafe-<process>-<date>.<ext>; a café's file names its village and its date."""
    parts = ["bykafe", slugify(data.process.name)]
    cafe = _cafe(data)
    if cafe is not None:
        parts += [slugify(cafe.village), cafe.on.isoformat()]
    else:
        parts.append(data.generated_on.isoformat())
    if suffix:
        parts.append(suffix)
    return "-".join(parts) + "." + extension


def _cafe(data: ExportData) -> CafeInfo | None:
    return next((c for c in data.cafes if c.id == data.cafe_id), None) if data.cafe_id else None


class _Index:
    """Lookups every builder needs, made once."""

    def __init__(self, data: ExportData):
        self.cafes = {c.id: c for c in data.cafes}
        self.notes = {n.id: n for n in data.notes}
        self.timezone = data.timezone
        self.theme_of_note: dict[int, ThemeInfo] = {}
        for theme in data.themes:
            for note_id in theme.note_ids:
                self.theme_of_note.setdefault(note_id, theme)
        self.responses = {(r.cafe_id, r.theme_key): r for r in data.responses}
        self.votes = theme_votes(data)

    def village(self, cafe_id: int | None) -> str:
        return self.cafes[cafe_id].village if cafe_id in self.cafes else ""

    def theme_notes(self, theme: ThemeInfo) -> list[NoteInfo]:
        return [self.notes[i] for i in theme.note_ids if i in self.notes]


def theme_votes(data: ExportData) -> dict[tuple[int | None, str], int]:
    """Dots per exported theme. Votes are cast on a café's themes; a theme of the whole process
    gets the dots of each café theme whose notes it mostly holds."""
    totals: Counter = Counter()
    themes_by_ref = {t.ref: t for t in data.themes}
    holder: dict[int, tuple[int | None, str]] = {}
    for theme in data.themes:
        for note_id in theme.note_ids:
            holder.setdefault(note_id, theme.ref)
    for vote in data.votes:
        if (vote.cafe_id, vote.theme_key) in themes_by_ref:
            totals[(vote.cafe_id, vote.theme_key)] += vote.dots
            continue
        owners = Counter(holder[i] for i in vote.note_ids if i in holder)
        if owners:
            best = max(owners.items(), key=lambda item: (item[1], str(item[0])))[0]
            totals[best] += vote.dots
    return dict(totals)


def themes_by_category(data: ExportData) -> list[tuple[str, list[ThemeInfo]]]:
    """Themes under their plan categories, in the process's order; uncategorised last. A
    category the app suggested and the leader has not confirmed heads a group of its own, named
    so ("Boende (förslag)"), right after the confirmed one. Themes that are not about physical
    planning (a department set) are left out: see `department_rows`."""
    groups: dict[str, list[ThemeInfo]] = {}
    for name in data.categories:
        groups[name], groups[suggested(name)] = [], []
    for theme in data.themes:
        if theme.department:
            continue
        if theme.category is None:
            name = NO_CATEGORY
        else:
            name = theme.category if theme.category_confirmed else suggested(theme.category)
        groups.setdefault(name, []).append(theme)
    index = _Index(data)
    ordered = [(name, sorted(themes, key=lambda t: -len(index.theme_notes(t)))) for name, themes in groups.items()]
    ordered.sort(key=lambda item: item[0] == NO_CATEGORY)
    return [(name, themes) for name, themes in ordered if themes]


def suggested(category: str) -> str:
    return f"{category} {SUGGESTED}"


def has_suggested_categories(data: ExportData) -> bool:
    return any(t.category and not t.category_confirmed and not t.department for t in data.themes)


def response_text(response: ResponseInfo | None) -> tuple[str, str]:
    if response is None:
        return "", ""
    return RESPONSE_STATUS.get(response.status, response.status), response.text


# --- the tables --------------------------------------------------------------------------------

def theme_rows(data: ExportData) -> Table:
    index = _Index(data)
    rows = []
    for theme in data.themes:
        notes = index.theme_notes(theme)
        villages = Counter(index.village(n.cafe_id) for n in notes)
        status, answer = response_text(index.responses.get(theme.ref))
        rows.append([
            theme.label,
            theme.category or "",
            "ja" if theme.category and theme.category_confirmed else ("föreslaget" if theme.category else ""),
            ", ".join(k for k in theme.keywords),
            len(notes),
            index.votes.get(theme.ref, 0),
            len(villages),
            ", ".join(f"{v} ({n})" for v, n in sorted(villages.items(), key=lambda i: (-i[1], i[0]))),
            index.village(theme.cafe_id) if theme.cafe_id else "Hela processen",
            theme.department or "",
            status,
            answer,
            theme.summary,
            " | ".join(index.notes[i].text for i in theme.quote_ids if i in index.notes),
        ])
    columns = [
        Column("Tema", width=32), Column("Planområde", width=20), Column("Planområde bekräftat", width=12),
        Column("Nyckelord", width=30), Column("Antal inspel", "int", 10), Column("Prickar", "int", 9),
        Column("Antal byar", "int", 9), Column("Byar", width=28), Column("Kafé", width=16),
        Column("Lämnas till förvaltning", width=20), Column("Kommunens svar", width=16),
        Column("Svarstext", width=40), Column("Sammanfattning", width=50), Column("Citat", width=60),
    ]
    return Table("Teman", columns, rows)


def note_rows(data: ExportData) -> Table:
    index = _Index(data)
    rows = []
    for note in sorted(data.notes, key=lambda n: (index.cafes[n.cafe_id].on, index.village(n.cafe_id), n.id)):
        cafe = index.cafes[note.cafe_id]
        theme = index.theme_of_note.get(note.id)
        rows.append([
            note.id, cafe.village, cafe.municipality, cafe.on, note.table, note.round,
            cafe.questions[note.round - 1] if 0 < note.round <= len(cafe.questions) else "",
            SOURCE.get(note.source, note.source), note.text,
            theme.label if theme else OTHER, (theme.category or "") if theme else "",
            note.department or (theme.department if theme else None) or "",
            local(note.created_at, data.timezone), ", ".join(personal_data_kinds(note.text)),
        ])
    columns = [
        Column("Nr", "int", 8), Column("By", width=16), Column("Kommun", width=16), Column("Datum", "date", 11),
        Column("Bord", "int", 6), Column("Runda", "int", 7), Column("Fråga", width=30), Column("Källa", width=11),
        Column("Inspel", width=60), Column("Tema", width=28), Column("Planområde", width=18),
        Column("Lämnas till förvaltning", width=18), Column("Skickat", "datetime", 17),
        Column("Personuppgifter maskerade", width=16),
    ]
    return Table("Inspel", columns, rows)


def village_theme_matrix(data: ExportData) -> Table:
    """Villages down, themes across: how many notes each village gave each theme."""
    index = _Index(data)
    villages = sorted({index.village(n.cafe_id) for n in data.notes} | {c.village for c in data.cafes})
    counts = {theme.ref: Counter(index.village(n.cafe_id) for n in index.theme_notes(theme)) for theme in data.themes}
    other = Counter(index.village(n.cafe_id) for n in data.notes if n.id not in index.theme_of_note)
    rows = []
    for village in villages:
        per_theme = [*(counts[t.ref][village] for t in data.themes), other[village]]
        rows.append([village, *per_theme, sum(per_theme)])
    totals = ["Totalt", *(sum(column) for column in zip(*(r[1:] for r in rows)))] if rows else []
    if totals:
        rows.append(totals)
    columns = [Column("By", width=18), *(Column(t.label, "int", 12) for t in data.themes),
               Column(OTHER, "int", 10), Column("Totalt", "int", 9)]
    return Table("By × tema", columns, rows)


def vote_rows(data: ExportData) -> Table:
    index = _Index(data)
    rows = [
        [index.village(v.cafe_id), index.cafes[v.cafe_id].on if v.cafe_id in index.cafes else None,
         v.theme_label, v.dots, v.voters]
        for v in sorted(data.votes, key=lambda v: (index.village(v.cafe_id), -v.dots, v.theme_label))
    ]
    columns = [Column("By", width=18), Column("Datum", "date", 11), Column("Tema (kaféets)", width=36),
               Column("Prickar", "int", 9), Column("Röstande", "int", 9)]
    return Table("Prickar", columns, rows)


def samrad_rows(data: ExportData) -> Table:
    """One row per note for the samrådsredogörelse: what was said, and the municipality's answer.
    The answer columns start from the theme's current response and are meant to be edited."""
    index = _Index(data)
    rows = []
    for note in sorted(data.notes, key=lambda n: (index.village(n.cafe_id), n.id)):
        cafe = index.cafes[note.cafe_id]
        theme = index.theme_of_note.get(note.id)
        response = index.responses.get(theme.ref) if theme else None
        department = note.department or (theme.department if theme else None)
        comment = response.text if response else ""
        if department and not comment:
            comment = f"Rör inte den fysiska planeringen. Lämnas till {department}."
        rows.append([
            note.id, theme.label if theme else OTHER, note.text, cafe.village, cafe.on,
            comment, TAKEN_INTO_ACCOUNT.get(response.status, "") if response else "", "",
        ])
    columns = [
        Column("Nr", "int", 8), Column("Tema", width=26), Column("Inspel (ordagrant, personuppgifter maskerade)", width=60),
        Column("By", width=16), Column("Datum", "date", 11), Column("Kommunens kommentar", width=45),
        Column("Beaktas (ja/nej/delvis)", width=14), Column("Motivering", width=40),
    ]
    return Table("Samråd", columns, rows)


def participation_rows(data: ExportData) -> Table:
    notes = Counter(n.cafe_id for n in data.notes)
    rows = [[c.village, c.municipality, c.on, c.venue, c.tables, c.phones, notes[c.id]] for c in data.cafes]
    if len(rows) > 1:
        rows.append(["Totalt", "", None, "", sum(c.tables for c in data.cafes), sum(c.phones for c in data.cafes),
                     len(data.notes)])
    columns = [Column("By", width=18), Column("Kommun", width=16), Column("Datum", "date", 11),
               Column("Lokal", width=20), Column("Bord", "int", 6), Column("Mobiler", "int", 9),
               Column("Inspel", "int", 8)]
    return Table("Deltagande", columns, rows)


def flagged_notes(data: ExportData) -> list[tuple[NoteInfo, list[str]]]:
    """Notes holding personal data (masked in every export), for the leader to look at."""
    return [(n, kinds) for n in data.notes if (kinds := personal_data_kinds(n.text))]


def log_rows(name: str, entries: list[LogEntry], data: ExportData) -> Table:
    index = _Index(data)
    rows = [[local(e.at, data.timezone), index.village(e.cafe_id) if e.cafe_id else "", e.action, e.detail, e.who,
             e.note_id] for e in entries]
    columns = [Column("Tid", "datetime", 17), Column("By", width=16), Column("Åtgärd", width=12),
               Column("Detaljer", width=60), Column("Vem", width=24), Column("Inspel nr", "int", 9)]
    return Table(name, columns, rows)


def response_rows(data: ExportData, responses: list[ResponseInfo]) -> Table:
    index = _Index(data)
    labels = {t.ref: t.label for t in data.themes}
    rows = [[local(r.at, data.timezone), index.village(r.cafe_id) if r.cafe_id else "Hela processen", r.theme_key,
             labels.get((r.cafe_id, r.theme_key), ""), RESPONSE_STATUS.get(r.status, r.status), r.text]
            for r in sorted(responses, key=lambda r: r.at)]
    columns = [Column("Tid", "datetime", 17), Column("Kafé", width=16), Column("Temanyckel", width=14),
               Column("Tema", width=30), Column("Status", width=16), Column("Svar", width=60)]
    return Table("Svar", columns, rows)


# --- plain formats -----------------------------------------------------------------------------

def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(table: Table, separator: str = ",") -> str:
    """CSV with a byte order mark, so Excel reads UTF-8; Swedish Excel wants separator ";"."""
    if separator not in (",", ";", "\t"):
        raise ValueError(f"separator must be ',', ';' or a tab, not {separator!r}")
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([csv_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(v) if isinstance(v, str) else cell_text(v) for v in row])
    return buffer.getvalue()


def to_json(data: ExportData) -> dict:
    """The export as one JSON document; docs/export-schema.json describes it."""
    index = _Index(data)
    cafe = _cafe(data)
    return {
        "$schema": SCHEMA_ID,
        "generated_on": data.generated_on.isoformat(),
        "scope": {"kind": "cafe" if cafe else "process", "cafe_id": cafe.id if cafe else None},
        "process": {
            "id": data.process.id, "name": data.process.name, "plan": data.process.plan,
            "municipalities": [m.strip() for m in data.process.municipalities.split(",") if m.strip()],
            "participation_level": data.process.participation_level, "description": data.process.description,
        },
        "cafes": [
            {"id": c.id, "village": c.village, "municipality": c.municipality, "venue": c.venue,
             "date": c.on.isoformat(), "tables": c.tables, "phones": c.phones,
             "notes": sum(1 for n in data.notes if n.cafe_id == c.id), "questions": list(c.questions)}
            for c in data.cafes
        ],
        "themes": [_theme_json(t, index) for t in data.themes],
        "notes": [
            {"id": n.id, "cafe_id": n.cafe_id, "village": index.village(n.cafe_id), "table": n.table,
             "round": n.round, "source": n.source, "text": n.text,
             "created_at": local(n.created_at, data.timezone).isoformat(), "department": n.department,
             "theme_key": index.theme_of_note[n.id].key if n.id in index.theme_of_note else None,
             "personal_data_masked": personal_data_kinds(n.text)}
            for n in data.notes
        ],
        "votes": [
            {"cafe_id": v.cafe_id, "village": index.village(v.cafe_id), "theme_key": v.theme_key,
             "theme_label": v.theme_label, "dots": v.dots, "voters": v.voters}
            for v in data.votes
        ],
    }


def _theme_json(theme: ThemeInfo, index: _Index) -> dict:
    notes = index.theme_notes(theme)
    response = index.responses.get(theme.ref)
    return {
        "key": theme.key, "cafe_id": theme.cafe_id, "label": theme.label, "summary": theme.summary,
        "category": theme.category, "category_confirmed": theme.category_confirmed,
        "department": theme.department, "keywords": [k for k in theme.keywords],
        "note_count": len(notes), "note_ids": [n.id for n in notes],
        "villages": dict(sorted(Counter(index.village(n.cafe_id) for n in notes).items())),
        "votes": index.votes.get(theme.ref, 0),
        "quotes": [{"note_id": i, "text": index.notes[i].text} for i in theme.quote_ids if i in index.notes],
        "response": None if response is None else {
            "status": response.status, "status_label": RESPONSE_STATUS.get(response.status, response.status),
            "text": response.text, "at": local(response.at, index.timezone).isoformat(),
        },
    }
