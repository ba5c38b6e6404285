"""Where a village lies and how many live there: typed in a form or read from a CSV file.

Coordinates and populations are checked here (decimal comma or point, WGS 84 ranges), so a form
and a file refuse the same things with the same codes.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from facilitation.process import PlanError

MAX_POPULATION = 10_000_000
MAX_FILE_ROWS = 5_000


def _number(text: str) -> float | None:
    """A decimal number as Swedes and spreadsheets write it: 64,91 or 64.91; blank is None."""
    cleaned = "".join((text or "").split()).replace("\u2212", "-").replace(",", ".")
    if not cleaned:
        return None
    value = float(cleaned)  # ValueError for anything else
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_location(latitude: str, longitude: str) -> tuple[float, float] | None:
    """(latitude, longitude) in WGS 84 degrees, or None when both are blank. PlanError codes:
    "latitude" and "longitude" for a value that is not a number in range, "location_half" when
    only one is given."""
    try:
        lat = _number(latitude)
    except ValueError:
        raise PlanError("latitude") from None
    try:
        lon = _number(longitude)
    except ValueError:
        raise PlanError("longitude") from None
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise PlanError("location_half")
    if not -90 <= lat <= 90:
        raise PlanError("latitude")
    if not -180 <= lon <= 180:
        raise PlanError("longitude")
    return round(lat, 6), round(lon, 6)


def parse_population(text: str) -> int | None:
    """How many live in the village: a whole number from 1, or None when blank. "1 250" is fine."""
    cleaned = "".join((text or "").split())
    if not cleaned:
        return None
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= MAX_POPULATION:
        raise PlanError("population")
    return int(cleaned)


@dataclass(frozen=True)
class VillageRow:
    line: int  # in the file, counting the header as line 1
    village: str
    location: tuple[float, float] | None
    population: int | None


@dataclass(frozen=True)
class FileProblem:
    line: int  # 0: the file as a whole
    code: str  # a PlanError code, or: file_encoding, file_empty, file_columns, file_rows, row_cells, duplicate_village
    value: str = ""


class VillageFileError(ValueError):
    def __init__(self, problems: list[FileProblem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


COLUMNS = {
    "village": ("by", "byn", "ort", "orten", "namn", "plats", "village", "name", "place"),
    "latitude": ("latitud", "lat", "latitude", "breddgrad"),
    "longitude": ("longitud", "lon", "lng", "long", "longitude", "längdgrad"),
    "population": ("befolkning", "invånare", "folkmängd", "antal invånare", "population", "inhabitants"),
}


def village_key(name: str) -> str:
    """Village names compare without case, accents kept (Å is not A), spacing ignored."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def read_village_file(content: bytes) -> list[VillageRow]:
    """Rows of a CSV of villages: a header naming the village column and latitude and longitude
    and/or population columns (Swedish or English names), separated by ; , or tab, in UTF-8 (with
    or without Excel's byte order mark) or Windows-1252. Every problem is collected, so the
    leader can mend the file in one go; any problem raises VillageFileError."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise VillageFileError([FileProblem(0, "file_encoding")]) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise VillageFileError([FileProblem(0, "file_empty")])
    separator = max((";", "\t", ","), key=lines[0].count)
    records = list(csv.reader(io.StringIO(text), delimiter=separator))
    header = [village_key(cell) for cell in records[0]]
    columns = {name: next((header.index(a) for a in aliases if a in header), None) for name, aliases in COLUMNS.items()}
    if columns["village"] is None or (columns["latitude"] is None) != (columns["longitude"] is None) or (
        columns["latitude"] is None and columns["population"] is None
    ):
        raise VillageFileError([FileProblem(1, "file_columns")])
    if len(records) - 1 > MAX_FILE_ROWS:
        raise VillageFileError([FileProblem(0, "file_rows")])

    def cell(record: list[str], name: str) -> str:
        index = columns[name]
        return record[index] if index is not None and index < len(record) else ""

    rows, problems, seen = [], [], {}
    for line, record in enumerate(records[1:], start=2):
        if not any(c.strip() for c in record):
            continue
        if len(record) > len(header):  # "64,91" unquoted in a comma-separated file splits in two
            problems.append(FileProblem(line, "row_cells"))
            continue
        village = " ".join(cell(record, "village").split())
        if not village or len(village) > 200:
            problems.append(FileProblem(line, "village", village[:40]))
            continue
        if village_key(village) in seen:
            problems.append(FileProblem(line, "duplicate_village", village))
            continue
        seen[village_key(village)] = line
        try:
            location = parse_location(cell(record, "latitude"), cell(record, "longitude"))
        except PlanError as error:
            column = error.code if error.code != "location_half" else "latitude"
            problems.append(FileProblem(line, error.code, cell(record, column)))
            continue
        try:
            population = parse_population(cell(record, "population"))
        except PlanError:
            problems.append(FileProblem(line, "population", cell(record, "population")))
            continue
        rows.append(VillageRow(line, village, location, population))
    if problems:
        raise VillageFileError(problems)
    if not rows:
        raise VillageFileError([FileProblem(0, "file_empty")])
    return rows


def match_villages(rows: list[VillageRow], cafes: Mapping[int, str]) -> tuple[dict[int, VillageRow], list[VillageRow]]:
    """Which row goes to which café (by village name), and the rows that name no café of the
    process (a municipality's whole list of villages is a fine file to import from)."""
    by_key = {village_key(row.village): row for row in rows}
    matched = {cafe_id: by_key[village_key(name)] for cafe_id, name in cafes.items() if village_key(name) in by_key}
    used = {id(row) for row in matched.values()}
    return matched, [row for row in rows if id(row) not in used]
