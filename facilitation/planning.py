"""Rules for the way from themes to the plan: the names of plan categories, the department a
view is passed on to, and the municipality's response to a theme."""

from __future__ import annotations

from collections.abc import Iterable

from facilitation.refusals import Refused

RESPONSE_STATUSES = ("received", "looking_into", "in_plan", "not_in_plan")
NEEDS_REASON = "not_in_plan"


class PlanningRefused(Refused):
    pass


def clean(text: str) -> str:
    return " ".join((text or "").split())


def category_name(name: str, others: Iterable[str]) -> str:
    """A new name for a category, unique among the process's other categories (any case)."""
    name = clean(name)
    if not name or len(name) > 200:
        raise PlanningRefused("category_name")
    if any(other.casefold() == name.casefold() for other in others):
        raise PlanningRefused("category_exists")
    return name


def check_category_removable(confirmed: Iterable[bool]) -> None:
    """A category can go while no person has placed a theme under it (`confirmed`: one flag per
    theme under it); mere suggestions do not keep it."""
    if any(confirmed):
        raise PlanningRefused("category_in_use")


def department_name(text: str) -> str | None:
    """The department a view is passed on to; None when cleared."""
    name = clean(text)
    if len(name) > 200:
        raise PlanningRefused("department_too_long")
    return name or None


def response_text(status: str, text: str) -> str:
    """The text of the municipality's answer to a theme, checked against its status."""
    if status not in RESPONSE_STATUSES:
        raise PlanningRefused("response_status")
    text = (text or "").strip()
    if status == NEEDS_REASON and not text:
        raise PlanningRefused("response_reason")
    if len(text) > 2000:
        raise PlanningRefused("response_too_long")
    return text
