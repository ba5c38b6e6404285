"""The municipality's response to each theme: the newest is shown, earlier ones stay as history."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import ThemeResponse, User
from app.services import themes as theme_service
from app.services.themes import Scope
from facilitation.planning import PlanningRefused, response_text


def respond(
    session: Session, *, user: User, process_id: int, cafe_id: int | None, theme_key: str, status: str, text: str
) -> ThemeResponse:
    """Record the municipality's answer to a theme. Earlier answers stay as its history."""
    text = response_text(status, text)
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

