"""Where each village is and how many live there: typed on the café form, or imported for the
whole process from a CSV file of villages (facilitation/village_data.py reads and checks it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.models import Cafe, Process, row_id
from facilitation.village_data import FileProblem, VillageFileError, match_villages, read_village_file


def place_fields(cafe: Cafe) -> dict[str, str]:
    """The café form's location and population fields, as the leader typed them."""
    def text(value) -> str:
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)

    return {"latitude": text(cafe.latitude), "longitude": text(cafe.longitude), "population": text(cafe.population)}


def set_place(session: Session, *, cafe: Cafe, location: tuple[float, float] | None, population: int | None) -> Cafe:
    """Set (or, with None, clear) the café's location and population, as typed on its form."""
    cafe.latitude, cafe.longitude = location if location else (None, None)
    cafe.population = population
    session.add(cafe)
    session.commit()
    return cafe


@dataclass
class ImportResult:
    updated: list[Cafe]
    unused: list[str]  # villages in the file that name no café of the process


def import_villages(session: Session, *, process: Process, content: bytes) -> ImportResult:
    """Set the location and population of the process's cafés from a CSV of villages, in one
    transaction. A blank cell leaves the café's value as it was. Raises VillageFileError (and
    changes nothing) for a file with any problem, or whose villages match no café."""
    rows = read_village_file(content)
    cafes = list(session.exec(select(Cafe).where(Cafe.process_id == process.id).order_by(Cafe.date, Cafe.id)))
    matched, unused = match_villages(rows, {row_id(c): c.village for c in cafes})
    if not matched:
        raise VillageFileError([FileProblem(0, "file_no_match")])
    updated = []
    for cafe in cafes:
        row = matched.get(cafe.id)
        if row is None:
            continue
        if row.location is not None:
            cafe.latitude, cafe.longitude = row.location
        if row.population is not None:
            cafe.population = row.population
        session.add(cafe)
        updated.append(cafe)
    session.commit()
    return ImportResult(updated, [row.village for row in unused])
