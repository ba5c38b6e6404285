"""The plan's categories: the headings a process's themes are placed under, in the leader's order."""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session, func, select

from app.models import PlanCategory, Process, Theme
from facilitation.categories import DEFAULT_CATEGORIES
from facilitation.planning import category_name, check_category_removable
from facilitation.refusals import NotFound


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


def category_of(session: Session, process: Process, category_id: int) -> PlanCategory:
    category = session.get(PlanCategory, category_id)
    if category is None or category.process_id != process.id:
        raise NotFound
    return category


def add_category(session: Session, *, process: Process, name: str) -> PlanCategory:
    categories = categories_of(session, process)
    category = PlanCategory(
        process_id=process.id, name=category_name(name, [c.name for c in categories]),
        position=max((c.position for c in categories), default=-1) + 1,
    )
    session.add(category)
    session.commit()
    return category


def rename_category(session: Session, *, process: Process, category_id: int, name: str) -> PlanCategory:
    category = category_of(session, process, category_id)
    others = [c for c in categories_of(session, process) if c.id != category.id]
    category.name = category_name(name, [c.name for c in others])
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
    category = category_of(session, process, category_id)
    themes = list(session.exec(select(Theme).where(Theme.category_id == category.id)))
    check_category_removable(t.category_confirmed for t in themes)
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


