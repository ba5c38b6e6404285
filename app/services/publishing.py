"""Publishing a process, and the one decision on what its public pages and public files show.

Which counts are shown is decided once per process (public_counts), so no page or file can give
back what another hides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlmodel import Session, func, select

from app.models import Cafe, Note, Participant, Process, Theme, Vote
from app.services import themes as theme_service
from app.services.themes import Scope, ThemeView
from facilitation.disclosure import CafeCounts, ProcessDisclosure, ThemeCounts, disclose_process
from facilitation.privacy import in_language, mask_personal_data, placeholders_for
from facilitation.process import counted_cafes
from facilitation.refusals import NotFound


def set_published(session: Session, *, process: Process, published: bool) -> Process:
    process.published = published
    session.add(process)
    session.commit()
    return process


def published_process(session: Session, process_id: int) -> Process:
    process = session.get(Process, process_id)
    if process is None or not process.published:
        raise NotFound("no_public_page")
    return process


def published_cafe(session: Session, process: Process, cafe_id: int) -> Cafe:
    cafe = session.get(Cafe, cafe_id)
    if cafe is None or cafe.process_id != process.id or not counted_cafes([cafe]):
        raise NotFound("no_public_page")
    return cafe


def masker_for(language: str):
    placeholders = placeholders_for(language)
    return lambda text: in_language(mask_personal_data(text or "", placeholders), placeholders)


def municipalities_of(process: Process) -> list[str]:
    return [m.strip() for m in process.municipalities.split(",") if m.strip()]


def municipality_of(cafe: Cafe, process: Process) -> str:
    names = municipalities_of(process)
    return cafe.municipality or (names[0] if len(names) == 1 else "")


@dataclass
class ProcessFacts:
    """A process's true counts and themes, before anything is decided about showing them."""

    cafes: list[Cafe]
    phones: Counter
    notes: Counter
    region: bool  # several municipalities run it together
    themes: list[tuple[Scope, ThemeView]]
    theme_municipalities: dict[int, Counter]  # theme id -> its notes per municipality


def process_facts(session: Session, process: Process, theme_scopes: list[Scope]) -> ProcessFacts:
    """The counts of every café, and the themes of the scopes a page shows. Each theme's counts
    add up only among themselves (notes outside any theme are never shown), so what is decided
    for a theme is the same whichever other themes are in the table: a page need not load the
    themes it does not show."""
    cafes = counted_cafes(session.exec(select(Cafe).where(Cafe.process_id == process.id).order_by(Cafe.date, Cafe.id)))
    ids = [c.id for c in cafes]
    phones = Counter(dict(session.exec(
        select(Participant.cafe_id, func.count()).where(Participant.cafe_id.in_(ids)).group_by(Participant.cafe_id)
    ).all()))
    notes = Counter(dict(session.exec(
        select(Note.cafe_id, func.count()).where(Note.cafe_id.in_(ids), Note.hidden_at.is_(None)).group_by(Note.cafe_id)
    ).all()))
    themes = [
        (scope, view)
        for scope in theme_scopes
        for view in theme_service.theme_views(session, scope, vote_totals(session, scope.cafe_id))[0]
    ]
    cafes_by_id = {c.id: c for c in cafes}
    by_municipality = {
        view.theme.id: Counter(municipality_of(cafes_by_id[n.cafe_id], process) or "–" for n in view.notes)
        for _scope, view in themes
    }
    return ProcessFacts(cafes, phones, notes, len(municipalities_of(process)) > 1, themes, by_municipality)


def public_counts(process: Process, facts: ProcessFacts) -> ProcessDisclosure:
    """The one decision on what every public page of the process shows of its counts."""
    return disclose_process(
        [CafeCounts(c.id, c.village, municipality_of(c, process) or "–", facts.phones[c.id], facts.notes[c.id])
         for c in facts.cafes],
        [ThemeCounts(view.theme.id, len(view.notes), view.votes if scope.cafe_id else None,
                     facts.theme_municipalities[view.theme.id] if facts.region else {})
         for scope, view in facts.themes],
        region=facts.region,
    )


def vote_totals(session: Session, cafe_id: int | None) -> dict[str, int]:
    if cafe_id is None:
        return {}
    rows = session.exec(select(Vote.theme_key, func.sum(Vote.dots)).where(Vote.cafe_id == cafe_id).group_by(Vote.theme_key))
    return {key: int(total) for key, total in rows}


@dataclass
class CafeFigures:
    cafe: Cafe
    phones: int | None  # None: not shown (a public file)
    notes: int | None
    themes: list[tuple[Theme, int | None]]  # the café's own themes (its harvest) and their notes


def cafe_figures(session: Session, process: Process, *, public: bool) -> list[CafeFigures]:
    """Each café's counts and its own themes' counts: as they are, or (public) as the public
    pages show them."""
    cafes = list(session.exec(select(Cafe).where(Cafe.process_id == process.id).order_by(Cafe.date, Cafe.id)))
    facts = process_facts(session, process, [Scope(process.id, c.id) for c in cafes])
    shown = public_counts(process, facts) if public else None
    themes: dict[int, list[tuple[Theme, int | None]]] = defaultdict(list)
    for scope, view in facts.themes:
        count = shown.count("theme", view.theme.id) if shown else len(view.notes)
        themes[scope.cafe_id].append((view.theme, count))
    return [
        CafeFigures(
            c,
            shown.count("phones", "cafe", c.id) if shown else facts.phones[c.id],
            shown.count("notes", "cafe", c.id) if shown else facts.notes[c.id],
            themes[c.id],
        )
        for c in facts.cafes
    ]
