"""Decisions on themes on the way to the plan: the category a theme goes under, views passed on
to other departments, and the quotes approved for public pages.

Decisions about a theme (its category, department, approved quotes) are curation steps like a
rename: logged with a snapshot, so undo covers them and an undo of an earlier step cannot
silently drop them.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.models import Cafe, Note, Process, Theme, User, public_text, row_id
from app.services import themes as theme_service
from app.services.categories import categories_of, category_of
from app.services.responses import current_responses
from app.services.themes import Scope
from facilitation.categories import DEPARTMENT_SUGGESTIONS, suggest_category
from facilitation.leader_text import names_in
from facilitation.planning import RESPONSE_STATUSES, PlanningRefused, department_name
from facilitation.refusals import NotFound


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
    texts = {row_id(n): public_text(n) for n in theme_service.scope_notes(session, scope)}
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
    category = category_of(session, process, category_id) if category_id is not None else None

    def change(theme: Theme) -> str:
        theme.category_id, theme.category_confirmed = (category.id if category else None), True
        return category.name if category else "–"

    return _decide(session, user=user, scope=scope, theme_id=theme_id, action="category", change=change)


def set_department(session: Session, *, user: User, scope: Scope, theme_id: int, department: str) -> Theme:
    """Mark a theme as not physical planning, to be passed on to a department ("" clears it)."""
    value = department_name(department)

    def change(theme: Theme) -> str:
        theme.department = value
        return value or "–"

    return _decide(session, user=user, scope=scope, theme_id=theme_id, action="department", change=change)


def set_note_department(session: Session, *, process: Process, note_id: int, department: str) -> Note:
    note = session.get(Note, note_id)
    if note is None:
        raise NotFound
    cafe = session.get(Cafe, note.cafe_id)
    if cafe is None or cafe.process_id != process.id:
        raise NotFound
    note.department = department_name(department)
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
    # Only a quote this theme holds can be taken back: any other id names nothing here (and
    # its text must not reach the log).
    if not approved and note_id not in json.loads(theme.public_quotes or "[]"):
        raise PlanningRefused("unknown_note")

    def change(theme: Theme) -> str:
        quotes = [i for i in json.loads(theme.public_quotes or "[]") if i != note_id]
        theme.public_quotes = json.dumps(quotes + [note_id] if approved else quotes)
        note = session.get(Note, note_id)  # the log shows which quote in words, not by its id
        quoted = textwrap.shorten(note.public_text, 60, placeholder="…") if note else str(note_id)
        return f"{'+' if approved else '−'} ”{quoted}”"

    return _decide(session, user=user, scope=scope, theme_id=theme_id, action="public_quote", change=change)


# --- what the leader's screens show ---------------------------------------------------------

# The texts a leader writes for a theme on the board and its planning page, by form field.
WRITTEN_TEXTS = ("label", "summary", "response")


def names_to_check(session: Session, scope: Scope, theme_id: int | str, field: str) -> dict | None:
    """Names of persons in the text a person wrote for a theme in `field` (WRITTEN_TEXTS), as
    stored, for the leader to check before it is published: {"theme", "field", "names"}, or None
    when there are none. A summary the notes made is not checked here; names in notes are
    flagged on the café's page."""
    if field not in WRITTEN_TEXTS:
        return None
    theme = next((t for t in theme_service.themes_in(session, scope) if t.id == theme_id), None)
    if theme is None or (field == "summary" and not theme.summary_is_custom):
        return None
    if field == "response":
        response = current_responses(session, scope.process_id).get((scope.cafe_id, theme.key))
        text = response.text if response else ""
    else:
        text = getattr(theme, field)
    names = names_in(text)
    return {"theme": theme_id, "field": field, "names": names} if names else None


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


