"""The harvest's dot vote on a café's themes."""

from __future__ import annotations

from sqlmodel import Session, func, select

from app.live import record_event
from app.models import Cafe, Participant, Theme, Vote, utcnow
from app.services.cafes import cafe_state
from facilitation import phases
from facilitation.board import check_can_open_vote
from facilitation.voting import VoteRefused, check_dots_setting, dots_after


def cafe_theme_keys(session: Session, cafe: Cafe) -> set[str]:
    return set(session.exec(select(Theme.key).where(Theme.cafe_id == cafe.id)))


def cafe_themes(session: Session, cafe: Cafe) -> list[Theme]:
    return list(session.exec(select(Theme).where(Theme.cafe_id == cafe.id).order_by(Theme.position, Theme.id)))


def open_vote(session: Session, *, cafe: Cafe, dots: int) -> Cafe:
    check_dots_setting(dots)
    check_can_open_vote(theme_count=len(cafe_theme_keys(session, cafe)),
                        phones_can_join=phases.can_join(cafe_state(session, cafe), utcnow()))
    cafe.vote_open, cafe.vote_dots = True, dots
    session.add(cafe)
    record_event(session, cafe_id=cafe.id, kind="vote", data={"open": True, "dots": dots, "totals": vote_totals(session, cafe)})
    session.commit()
    return cafe


def close_vote(session: Session, *, cafe: Cafe) -> Cafe:
    cafe.vote_open = False
    session.add(cafe)
    record_event(session, cafe_id=cafe.id, kind="vote", data={"open": False, "totals": vote_totals(session, cafe)})
    session.commit()
    return cafe


def dots_of(session: Session, participant: Participant) -> dict[str, int]:
    votes = session.exec(select(Vote).where(Vote.participant_id == participant.id))
    return {vote.theme_key: vote.dots for vote in votes}


def change_dot(session: Session, *, cafe: Cafe, participant: Participant, theme_key: str, change: int) -> dict[str, int]:
    """Add or take back one dot. The phone's row is locked first (PostgreSQL), so two taps at
    once cannot both spend the last dot."""
    if not cafe.vote_open:
        raise VoteRefused("vote_closed")
    session.exec(select(Participant).where(Participant.id == participant.id).with_for_update()).one()
    placed = dots_of(session, participant)
    updated = dots_after(placed, theme_key, change, cafe.vote_dots, cafe_theme_keys(session, cafe))
    vote = session.exec(
        select(Vote).where(Vote.participant_id == participant.id, Vote.theme_key == theme_key)
    ).first()
    if theme_key in updated:
        vote = vote or Vote(cafe_id=cafe.id, participant_id=participant.id, theme_key=theme_key, dots=0)
        vote.dots = updated[theme_key]
        session.add(vote)
    elif vote is not None:
        session.delete(vote)
    session.flush()
    record_event(session, cafe_id=cafe.id, kind="vote", data={"open": True, "totals": vote_totals(session, cafe)})
    session.commit()
    return updated


def vote_totals(session: Session, cafe: Cafe) -> dict[str, int]:
    rows = session.exec(
        select(Vote.theme_key, func.sum(Vote.dots)).where(Vote.cafe_id == cafe.id).group_by(Vote.theme_key)
    )
    return {key: int(total) for key, total in rows}
