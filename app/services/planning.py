"""From themes to the plan: plan categories, views passed on to other departments, the
municipality's response to each theme, and the public feedback dashboard built from them.

Decisions about a theme (its category, department, approved quotes) are curation steps like a
rename: logged with a snapshot, so undo covers them and an undo of an earlier step cannot
silently drop them.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, func, select

from app.models import Cafe, Note, Organisation, Participant, PlanCategory, Process, Theme, ThemeResponse, User, Vote
from app.services import themes as theme_service
from facilitation.refusals import NotFound
from app.services.themes import Scope, ThemeView
from facilitation.categories import DEFAULT_CATEGORIES, DEPARTMENT_SUGGESTIONS, suggest_category
from facilitation.disclosure import CafeCounts, ProcessDisclosure, ThemeCounts, disclose_process
from facilitation.maps import MapPlace, VillageMap, draw_village_map, find_municipality, population_by_municipality, share
from facilitation.privacy import ENGLISH_PLACEHOLDERS, PLACEHOLDERS, in_language, mask_personal_data
from facilitation.process import counted_cafes
from facilitation.refusals import Refused

RESPONSE_STATUSES = ("received", "looking_into", "in_plan", "not_in_plan")
NEEDS_REASON = "not_in_plan"


class PlanningRefused(Refused):
    pass


def _clean(text: str) -> str:
    return " ".join((text or "").split())


# --- plan categories ------------------------------------------------------------------------

def ensure_default_categories(session: Session, process: Process) -> list[PlanCategory]:
    existing = _categories(session, process.id)
    if existing:
        return existing
    for position, name in enumerate(DEFAULT_CATEGORIES):
        session.add(PlanCategory(process_id=process.id, name=name, position=position))
    session.commit()
    return _categories(session, process.id)


def categories_of(session: Session, process: Process) -> list[PlanCategory]:
    """The process's categories in their order; a process that has none gets the default set."""
    return ensure_default_categories(session, process)


def _categories(session: Session, process_id: int) -> list[PlanCategory]:
    query = select(PlanCategory).where(PlanCategory.process_id == process_id)
    return list(session.exec(query.order_by(PlanCategory.position, PlanCategory.id)))


def _category_name(name: str, others: list[PlanCategory]) -> str:
    name = _clean(name)
    if not name or len(name) > 200:
        raise PlanningRefused("category_name")
    if any(c.name.casefold() == name.casefold() for c in others):
        raise PlanningRefused("category_exists")
    return name


def _category_of(session: Session, process: Process, category_id: int) -> PlanCategory:
    category = session.get(PlanCategory, category_id)
    if category is None or category.process_id != process.id:
        raise NotFound
    return category


def add_category(session: Session, *, process: Process, name: str) -> PlanCategory:
    categories = categories_of(session, process)
    category = PlanCategory(
        process_id=process.id, name=_category_name(name, categories),
        position=max((c.position for c in categories), default=-1) + 1,
    )
    session.add(category)
    session.commit()
    return category


def rename_category(session: Session, *, process: Process, category_id: int, name: str) -> PlanCategory:
    category = _category_of(session, process, category_id)
    others = [c for c in categories_of(session, process) if c.id != category.id]
    category.name = _category_name(name, others)
    session.add(category)
    session.commit()
    return category


def move_category(session: Session, *, process: Process, category_id: int, offset: int) -> None:
    """Move a category one step up (offset −1) or down (+1) in the list."""
    categories = categories_of(session, process)
    index = next((i for i, c in enumerate(categories) if c.id == category_id), None)
    if index is None:
        raise NotFound
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(categories):
        categories[index], categories[target] = categories[target], categories[index]
    for position, category in enumerate(categories):
        category.position = position
        session.add(category)
    session.commit()


def remove_category(session: Session, *, process: Process, category_id: int) -> None:
    """Remove a category no person has placed a theme under; mere suggestions are cleared."""
    category = _category_of(session, process, category_id)
    themes = list(session.exec(select(Theme).where(Theme.category_id == category.id)))
    if any(t.category_confirmed for t in themes):
        raise PlanningRefused("category_in_use")
    for theme in themes:
        theme.category_id = None
        session.add(theme)
    session.flush()
    session.delete(category)
    session.commit()


def category_use(session: Session, process: Process) -> Counter:
    """How many themes a person has placed under each category."""
    rows = session.exec(
        select(Theme.category_id, func.count()).where(
            Theme.process_id == process.id, Theme.category_confirmed.is_(True), Theme.category_id.is_not(None)
        ).group_by(Theme.category_id)
    )
    return Counter({category_id: count for category_id, count in rows})


# --- decisions on themes --------------------------------------------------------------------

def _theme_in(session: Session, scope: Scope, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None or theme.process_id != scope.process_id or theme.cafe_id != scope.cafe_id:
        raise PlanningRefused("unknown_theme")
    return theme


def suggest_categories(session: Session, scope: Scope) -> int:
    """Suggest a category for each theme no person has decided on; returns how many changed."""
    process = session.get(Process, scope.process_id)
    categories = categories_of(session, process)
    by_name = {c.name: c.id for c in categories}
    themes = [t for t in theme_service.themes_in(session, scope) if not t.category_confirmed]
    if not themes:
        return 0
    members = theme_service.members_of(session, themes)
    texts = {n.id: n.public_text for n in theme_service.scope_notes(session, scope)}
    changed = 0
    for theme in themes:
        name = suggest_category(
            [c.name for c in categories], json.loads(theme.keywords or "[]"),
            [texts[i] for i in members[theme.id] if i in texts],
        )
        suggested = by_name.get(name) if name else None
        if theme.category_id != suggested:
            theme.category_id = suggested
            session.add(theme)
            changed += 1
    if changed:
        session.commit()
    return changed


def _decide(session: Session, *, user: User, scope: Scope, theme_id: int, action: str, change) -> Theme:
    theme = _theme_in(session, scope, theme_id)
    before = theme_service.snapshot(session, scope)
    detail = change(theme)
    session.add(theme)
    theme_service._log(session, scope, user, action, f"{theme.label}: {detail}", before)
    session.commit()
    return theme


def set_category(session: Session, *, user: User, scope: Scope, theme_id: int, category_id: int | None) -> Theme:
    """A person confirms the suggested category or picks another (None: no plan category)."""
    process = session.get(Process, scope.process_id)
    category = _category_of(session, process, category_id) if category_id is not None else None

    def change(theme: Theme) -> str:
        theme.category_id, theme.category_confirmed = (category.id if category else None), True
        return category.name if category else "–"

    return _decide(session, user=user, scope=scope, theme_id=theme_id, action="category", change=change)


def _department(text: str) -> str | None:
    department = _clean(text)
    if len(department) > 200:
        raise PlanningRefused("department_too_long")
    return department or None


def set_department(session: Session, *, user: User, scope: Scope, theme_id: int, department: str) -> Theme:
    """Mark a theme as not physical planning, to be passed on to a department ("" clears it)."""
    value = _department(department)

    def change(theme: Theme) -> str:
        theme.department = value
        return value or "–"

    return _decide(session, user=user, scope=scope, theme_id=theme_id, action="department", change=change)


def set_note_department(session: Session, *, process: Process, note_id: int, department: str) -> Note:
    note = session.get(Note, note_id)
    cafe = session.get(Cafe, note.cafe_id) if note else None
    if cafe is None or cafe.process_id != process.id:
        raise NotFound
    note.department = _department(department)
    session.add(note)
    session.commit()
    return note


def set_public_quote(
    session: Session, *, user: User, scope: Scope, theme_id: int, note_id: int, approved: bool
) -> Theme:
    """Approve one of the theme's notes as a quote for public pages, or take the approval back."""
    theme = _theme_in(session, scope, theme_id)
    visible = {n.id for n in theme_service.scope_notes(session, scope)}
    if approved and (note_id not in theme_service.members_of(session, [theme])[theme.id] or note_id not in visible):
        raise PlanningRefused("unknown_note")

    def change(theme: Theme) -> str:
        quotes = [i for i in json.loads(theme.public_quotes or "[]") if i != note_id]
        theme.public_quotes = json.dumps(quotes + [note_id] if approved else quotes)
        note = session.get(Note, note_id)  # the log shows which quote in words, not by its id
        quoted = textwrap.shorten(note.public_text, 60, placeholder="…") if note else str(note_id)
        return f"{'+' if approved else '−'} ”{quoted}”"

    return _decide(session, user=user, scope=scope, theme_id=theme_id, action="public_quote", change=change)


set_public_quotes = set_public_quote  # the name the other services were told about


# --- the municipality's response ------------------------------------------------------------

def respond(
    session: Session, *, user: User, process_id: int, cafe_id: int | None, theme_key: str, status: str, text: str
) -> ThemeResponse:
    """Record the municipality's answer to a theme. Earlier answers stay as its history."""
    if status not in RESPONSE_STATUSES:
        raise PlanningRefused("response_status")
    text = (text or "").strip()
    if status == NEEDS_REASON and not text:
        raise PlanningRefused("response_reason")
    if len(text) > 2000:
        raise PlanningRefused("response_too_long")
    themes = theme_service.themes_in(session, Scope(process_id=process_id, cafe_id=cafe_id))
    if theme_key not in {t.key for t in themes}:
        raise PlanningRefused("unknown_theme")
    response = ThemeResponse(
        process_id=process_id, cafe_id=cafe_id, theme_key=theme_key, status=status, text=text, user_id=user.id
    )
    session.add(response)
    session.commit()
    session.refresh(response)
    return response


def current_responses(session: Session, process_id: int) -> dict[tuple[int | None, str], ThemeResponse]:
    """The newest response per (café id or None for the process's own themes, theme key)."""
    query = select(ThemeResponse).where(ThemeResponse.process_id == process_id).order_by(ThemeResponse.id)
    return {(r.cafe_id, r.theme_key): r for r in session.exec(query)}


def response_history(session: Session, *, process_id: int, cafe_id: int | None, theme_key: str) -> list[ThemeResponse]:
    """Every response to a theme, newest first."""
    query = select(ThemeResponse).where(ThemeResponse.process_id == process_id, ThemeResponse.theme_key == theme_key)
    query = query.where(ThemeResponse.cafe_id == cafe_id if cafe_id is not None else ThemeResponse.cafe_id.is_(None))
    return list(session.exec(query.order_by(ThemeResponse.id.desc())))


# --- what the leader's screens show ---------------------------------------------------------

def department_suggestions(session: Session, process: Process) -> list[str]:
    used = set(session.exec(select(Theme.department).where(Theme.process_id == process.id)))
    used |= set(session.exec(
        select(Note.department).join(Cafe, Cafe.id == Note.cafe_id).where(Cafe.process_id == process.id)
    ))
    return sorted(set(DEPARTMENT_SUGGESTIONS) | {d for d in used if d}, key=str.casefold)


def board_context(session: Session, scope: Scope) -> dict:
    """What the theme board needs for the planning controls: pass it to the template as `planning`."""
    suggest_categories(session, scope)
    process = session.get(Process, scope.process_id)
    responses = current_responses(session, scope.process_id)
    return {
        "categories": categories_of(session, process),
        "responses": {key: r for (cafe_id, key), r in responses.items() if cafe_id == scope.cafe_id},
        "statuses": RESPONSE_STATUSES,
        "departments": department_suggestions(session, process),
        "approved": {t.id: set(json.loads(t.public_quotes or "[]")) for t in theme_service.themes_in(session, scope)},
    }


@dataclass
class DepartmentList:
    name: str
    themes: list[tuple[Theme, Cafe | None]] = field(default_factory=list)
    notes: list[tuple[Note, Cafe]] = field(default_factory=list)


def department_lists(session: Session, process: Process) -> list[DepartmentList]:
    """Themes and notes marked "not physical planning", per department they go to."""
    cafes = {c.id: c for c in session.exec(select(Cafe).where(Cafe.process_id == process.id))}
    lists: dict[str, DepartmentList] = {}

    def entry(name: str) -> DepartmentList:
        return lists.setdefault(name.casefold(), DepartmentList(name))

    themes = session.exec(
        select(Theme).where(Theme.process_id == process.id, Theme.department.is_not(None))
        .order_by(Theme.cafe_id, Theme.position)
    )
    for theme in themes:
        entry(theme.department).themes.append((theme, cafes.get(theme.cafe_id)))
    notes = session.exec(
        select(Note).where(Note.cafe_id.in_(list(cafes)), Note.department.is_not(None), Note.hidden_at.is_(None))
        .order_by(Note.id)
    )
    for note in notes:
        entry(note.department).notes.append((note, cafes[note.cafe_id]))
    return sorted(lists.values(), key=lambda d: d.name.casefold())


def set_published(session: Session, *, process: Process, published: bool) -> Process:
    process.published = published
    session.add(process)
    session.commit()
    return process


# --- the public feedback dashboard ----------------------------------------------------------
# Only what a leader chose to show: aggregates, confirmed categories, approved quotes, the
# municipality's responses; all text masked for personal data. Which counts are shown is decided
# once per process (public_counts), so no page can give back what another hides.

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
        shown = [r for r in self.rows if r.phones is not None]
        return [r.label for r in shown], [r.phones for r in shown]


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


def _masker(language: str):
    placeholders = ENGLISH_PLACEHOLDERS if language == "en" else None
    return lambda text: in_language(mask_personal_data(text or "", placeholders), placeholders or PLACEHOLDERS)


def municipalities_of(process: Process) -> list[str]:
    return [m.strip() for m in process.municipalities.split(",") if m.strip()]


def _municipality(cafe: Cafe, process: Process) -> str:
    names = municipalities_of(process)
    return cafe.municipality or (names[0] if len(names) == 1 else "")


@dataclass
class _Facts:
    """A process's true counts and themes, before anything is decided about showing them."""

    cafes: list[Cafe]
    phones: Counter
    notes: Counter
    region: bool  # several municipalities run it together
    themes: list[tuple[Scope, ThemeView]]
    theme_municipalities: dict[int, Counter]  # theme id -> its notes per municipality


def _facts(session: Session, process: Process, theme_scopes: list[Scope]) -> _Facts:
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
        for view in theme_service.theme_views(session, scope, _vote_totals(session, scope.cafe_id))[0]
    ]
    cafes_by_id = {c.id: c for c in cafes}
    by_municipality = {
        view.theme.id: Counter(_municipality(cafes_by_id[n.cafe_id], process) or "–" for n in view.notes)
        for _scope, view in themes
    }
    return _Facts(cafes, phones, notes, len(municipalities_of(process)) > 1, themes, by_municipality)


def public_counts(process: Process, facts: _Facts) -> ProcessDisclosure:
    """The one decision on what every public page of the process shows of its counts."""
    return disclose_process(
        [CafeCounts(c.id, c.village, _municipality(c, process) or "–", facts.phones[c.id], facts.notes[c.id])
         for c in facts.cafes],
        [ThemeCounts(view.theme.id, len(view.notes), view.votes if scope.cafe_id else None,
                     facts.theme_municipalities[view.theme.id] if facts.region else {})
         for scope, view in facts.themes],
        region=facts.region,
    )


def _participation(shown: ProcessDisclosure, rows: list[tuple[str, tuple, Cafe | None]], mask) -> Participation:
    return Participation(
        [CountRow(mask(label), shown.count("phones", *name), shown.count("notes", *name), cafe)
         for label, name, cafe in rows],
        shown.count("phones", "total"), shown.count("notes", "total"),
    )


def dashboard(session: Session, process: Process, *, language: str, cafe: Cafe | None = None) -> Dashboard:
    """The public picture of a process, or of one café of it (the village's page)."""
    mask = _masker(language)
    process_themes = bool(theme_service.themes_in(session, Scope(process.id)))
    if cafe is not None:
        scopes = [Scope(process.id, cafe.id)]
    elif process_themes:
        scopes = [Scope(process.id)]
    else:
        scopes = [Scope(process.id, c.id) for c in counted_cafes(session.exec(
            select(Cafe).where(Cafe.process_id == process.id).order_by(Cafe.date, Cafe.id)
        ))]
    facts = _facts(session, process, scopes)
    shown = public_counts(process, facts)
    cafes = [cafe] if cafe is not None else facts.cafes
    villages = dict.fromkeys(c.village for c in cafes)
    municipalities = dict.fromkeys(_municipality(c, process) or "–" for c in cafes)
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
    )


def _public_themes(session, process, facts: _Facts, shown: ProcessDisclosure, mask) -> list[PublicTheme]:
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
            quotes=[mask(visible[i].public_text) for i in json.loads(theme.public_quotes or "[]") if i in visible],
            response=PublicResponse(response.status, mask(response.text), response.at) if response else None,
            keywords=[mask(word) for word in json.loads(theme.keywords or "[]")],
        ))
    return found


def _vote_totals(session: Session, cafe_id: int | None) -> dict[str, int]:
    if cafe_id is None:
        return {}
    rows = session.exec(select(Vote.theme_key, func.sum(Vote.dots)).where(Vote.cafe_id == cafe_id).group_by(Vote.theme_key))
    return {key: int(total) for key, total in rows}


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
    mask = _masker(language)
    rows, cafes = [], []
    for process in processes:
        facts = _facts(session, process, theme_scopes=[])
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
    names = [_municipality(r.cafe, by_id[r.cafe.process_id]) or "–" for r in cafe_rows]
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
    facts = _facts(session, process, [Scope(process.id, c.id) for c in cafes])
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
