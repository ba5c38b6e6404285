"""The public feedback dashboard: a published process, one café of it, an organisation's page,
and the villages on the map with their reach.

Only what a leader chose to show: aggregates, confirmed categories, approved quotes, the
municipality's responses; all text masked for personal data. Every count comes from the one
decision in app/services/publishing.py (public_counts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from app.models import Cafe, Organisation, Process
from app.services import themes as theme_service
from app.services.categories import categories_of
from app.services.publishing import (
    ProcessFacts,
    masker_for,
    municipalities_of,
    municipality_of,
    process_facts,
    public_counts,
)
from app.services.responses import current_responses
from app.services.themes import Scope
from facilitation.disclosure import ProcessDisclosure, names_municipalities_per_theme
from facilitation.labels import quotes_beside
from facilitation.maps import (
    MapPlace,
    VillageMap,
    draw_village_map,
    find_municipality,
    population_by_municipality,
    share,
)
from facilitation.privacy import mask_personal_data
from facilitation.process import counted_cafes
from facilitation.refusals import NotFound


@dataclass
class CountRow:
    label: str
    phones: int | None  # None: not shown (facilitation/disclosure.py)
    notes: int | None
    cafe: Cafe | None = None


@dataclass
class Participation:
    rows: list[CountRow]
    phones: int | None
    notes: int | None

    def chart(self) -> tuple[list[str], list[int]]:
        """Labels and values for a bar chart of phones: suppressed rows are left out."""
        shown = [(r.label, r.phones) for r in self.rows if r.phones is not None]
        return [label for label, _ in shown], [phones for _, phones in shown]


@dataclass
class PublicResponse:
    status: str
    text: str
    at: datetime


@dataclass
class PublicTheme:
    label: str
    notes: int | None
    votes: int | None  # dots in the harvest vote (a café's themes only)
    category: str | None
    department: str | None
    village: str | None
    cafe_id: int | None
    by_municipality: list[tuple[str, int | None]]
    quotes: list[str]
    summary: str  # one or two sentences of its notes
    response: PublicResponse | None
    keywords: list[str]  # for the read API (app/routes/integrations.py)


@dataclass
class Dashboard:
    process: Process
    name: str
    description: str
    plan: str
    municipalities: list[str]
    cafes: Participation
    villages: Participation
    by_municipality: Participation | None  # a joint process of several municipalities
    themes: list[PublicTheme]
    themes_are_per_cafe: bool
    themes_name_municipalities: bool  # "Came up in: …" under each theme


def _participation(shown: ProcessDisclosure, rows: list[tuple[str, tuple, Cafe | None]], mask) -> Participation:
    return Participation(
        [CountRow(mask(label), shown.count("phones", *name), shown.count("notes", *name), cafe)
         for label, name, cafe in rows],
        shown.count("phones", "total"), shown.count("notes", "total"),
    )


def dashboard(session: Session, process: Process, *, language: str, cafe: Cafe | None = None) -> Dashboard:
    """The public picture of a process, or of one café of it (the village's page)."""
    mask = masker_for(language)
    process_themes = bool(theme_service.themes_in(session, Scope(process.id)))
    if cafe is not None:
        scopes = [Scope(process.id, cafe.id)]
    elif process_themes:
        scopes = [Scope(process.id)]
    else:
        scopes = [Scope(process.id, c.id) for c in counted_cafes(session.exec(
            select(Cafe).where(Cafe.process_id == process.id).order_by(Cafe.date, Cafe.id)
        ))]
    facts = process_facts(session, process, scopes)
    shown = public_counts(process, facts)
    cafes = [cafe] if cafe is not None else facts.cafes
    villages = dict.fromkeys(c.village for c in cafes)
    municipalities = dict.fromkeys(municipality_of(c, process) or "–" for c in cafes)
    return Dashboard(
        process=process,
        name=mask(process.name),
        description=mask(process.description),
        plan=mask(process.plan),
        municipalities=[mask(m) for m in municipalities_of(process)],
        cafes=_participation(shown, [(c.village, ("cafe", c.id), c) for c in cafes], mask),
        villages=_participation(shown, [(v, ("village", v), None) for v in villages], mask),
        by_municipality=_participation(
            shown, [(m, ("municipality", m), None) for m in municipalities], mask
        ) if facts.region else None,
        themes=_public_themes(session, process, facts, shown, mask),
        themes_are_per_cafe=cafe is not None or not process_themes,
        themes_name_municipalities=facts.region and names_municipalities_per_theme(municipalities),
    )


def _public_themes(session, process, facts: ProcessFacts, shown: ProcessDisclosure, mask) -> list[PublicTheme]:
    cafes_by_id = {c.id: c for c in facts.cafes}
    categories = {c.id: c.name for c in categories_of(session, process)}
    responses = current_responses(session, process.id)
    found = []
    for scope, view in facts.themes:
        theme = view.theme
        visible = {n.id: n for n in view.notes}
        response = responses.get((scope.cafe_id, theme.key))
        category = categories.get(theme.category_id) if theme.category_confirmed else None
        village = cafes_by_id[scope.cafe_id].village if scope.cafe_id else None
        found.append(PublicTheme(
            label=mask(theme.label),
            notes=shown.count("theme", theme.id),
            votes=shown.count("votes", theme.id) if scope.cafe_id else None,
            category=mask(category) if category else None,
            department=mask(theme.department) or None,
            village=mask(village) if village else None,
            cafe_id=scope.cafe_id,
            by_municipality=[
                (mask(m), shown.count("theme_municipality", theme.id, m)) for m in facts.theme_municipalities[theme.id]
            ] if facts.region else [],
            quotes=quotes_beside(mask(theme.summary), [mask(visible[i].public_text)
                                                       for i in json.loads(theme.public_quotes or "[]") if i in visible]),
            summary=mask(theme.summary),
            response=PublicResponse(response.status, mask(response.text), response.at) if response else None,
            keywords=[mask(word) for word in json.loads(theme.keywords or "[]")],
        ))
    return found


@dataclass
class OrganisationPage:
    name: str
    processes: list[tuple[Process, str, int | None, int | None]]  # process, masked name, phones, notes
    cafes: list[CountRow] = field(default_factory=list)  # every café of the processes, for the map

    def chart(self) -> tuple[list[str], list[int]]:
        shown = [(name, phones) for _p, name, phones, _n in self.processes if phones is not None]
        return [name for name, _ in shown], [phones for _, phones in shown]


def organisation_page(session: Session, organisation_id: int, *, language: str) -> OrganisationPage:
    """The organisation's published processes with their participation (none before the first
    is published); 404 for an unknown organisation."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("no_public_page")
    processes = list(session.exec(
        select(Process).where(Process.organisation_id == organisation_id, Process.published.is_(True))
        .order_by(Process.created_at.desc())
    ))
    mask = masker_for(language)
    rows, cafes = [], []
    for process in processes:
        facts = process_facts(session, process, theme_scopes=[])
        shown = public_counts(process, facts)
        rows.append((process, mask(process.name), shown.count("phones", "total"), shown.count("notes", "total")))
        cafes += [CountRow(mask(c.village), shown.count("phones", "cafe", c.id), shown.count("notes", "cafe", c.id), c)
                  for c in facts.cafes]
    return OrganisationPage(mask(organisation.name), rows, cafes)


# --- villages on the map, and reach -----------------------------------------------------------
# The same shown counts as the tables (public_counts), so the map, the shares and the GeoJSON
# give back nothing the tables hide: a share is shown only next to a shown count.

@dataclass
class ReachRow:
    label: str | None  # None: the whole process
    population: int | None
    phones: int | None
    notes: int | None
    cafe: Cafe | None = None

    @property
    def phones_share(self) -> float | None:
        return share(self.phones, self.population)

    @property
    def notes_share(self) -> float | None:
        return share(self.notes, self.population)


@dataclass
class PublicMap:
    drawn: VillageMap | None  # None when no café has a location
    villages: list[ReachRow]  # the cafés on the map: the table beside it
    unplaced: list[str]  # villages without a location
    by_municipality: list[ReachRow]  # reach per municipality (one row: the whole process)


def public_map(
    cafe_rows: list[CountRow], processes: list[Process], *, title: str, description: str,
    municipality_rows: list[CountRow] | None = None, total: Participation | None = None,
) -> PublicMap:
    """The map and reach of public cafés (rows as the public tables show them). Borders are drawn
    for the municipalities that are real ones. Reach per municipality: `municipality_rows` (a
    joint process, in the order the dashboard lists them), or `total` as the one row of a
    process; neither on an organisation's page."""
    by_id = {p.id: p for p in processes}
    names = [municipality_of(r.cafe, by_id[r.cafe.process_id]) or "–" for r in cafe_rows]
    wanted = dict.fromkeys([m for p in processes for m in municipalities_of(p)] + names)
    found = {m.code: m for m in map(find_municipality, wanted) if m is not None}
    placed = [r for r in cafe_rows if r.cafe.latitude is not None and r.cafe.longitude is not None]
    places = [MapPlace(r.label, r.cafe.latitude, r.cafe.longitude, r.phones, f"/p/{r.cafe.process_id}/by/{r.cafe.id}")
              for r in placed]
    people = population_by_municipality((name, r.cafe.village, r.cafe.population) for name, r in zip(names, cafe_rows))
    if municipality_rows is not None:
        reach = [ReachRow(row.label, people.get(name), row.phones, row.notes)
                 for name, row in zip(dict.fromkeys(names), municipality_rows)]
    elif total is not None and cafe_rows:
        everyone = population_by_municipality(("", r.cafe.village, r.cafe.population) for r in cafe_rows)[""]
        only = dict.fromkeys(names)
        label = mask_personal_data(next(iter(only))) if len(only) == 1 and "–" not in only else None
        reach = [ReachRow(label, everyone, total.phones, total.notes)]
    else:
        reach = []
    placed_ids = {id(r) for r in placed}
    return PublicMap(
        drawn=draw_village_map(places, list(found.values()), title=title, description=description),
        villages=[ReachRow(r.label, r.cafe.population, r.phones, r.notes, r.cafe) for r in placed],
        unplaced=[r.label for r in cafe_rows if id(r) not in placed_ids],
        by_municipality=[row for row in reach if row.population is not None],
    )


