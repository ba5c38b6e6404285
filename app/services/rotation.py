"""Seating rotation in the hall: when a round ends, each phone is told which table to go to next.

The advice is only advice: nothing about it is stored but one live event of kind "rotation"
({"round": next round, "moves": {pseudonym: table number}}), which the phones' stream carries
and the phone page reads again when it loads between rounds. A phone that sits down elsewhere
(scans another table's code) has simply moved there; the next advice starts from where it sits.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from app.live import record_event
from app.models import Cafe, CafeTable, LiveEvent, Note, Participant, Round
from facilitation import phases
from facilitation.rotation import assign_next_tables

KIND = "rotation"


def advise_next_tables(session: Session, cafe: Cafe, *, next_round: int | None) -> dict[str, int]:
    """Where each phone should sit in `next_round` (None: no round follows, no advice).

    Called as the leader ends a round, in that transaction. Hosts use the host link, not a
    phone, so no phone is held at its table."""
    if next_round is None:
        return {}
    # Only reads until the commit: the write lock is not held while the seating is computed.
    with session.no_autoflush:
        current = dict(
            session.exec(
                select(Participant.pseudonym, CafeTable.number)
                .join(CafeTable, CafeTable.id == Participant.table_id)
                .where(Participant.cafe_id == cafe.id)
            ).all()
        )
        tables = list(
            session.exec(select(CafeTable.number).where(CafeTable.cafe_id == cafe.id).order_by(CafeTable.number))
        )
        history = _earlier_seatings(session, cafe, before_round=next_round - 1)
    moves = assign_next_tables(current, tables, hosts=None, history=history, seed=cafe.id * 100 + next_round)
    if moves:
        record_event(session, cafe_id=cafe.id, kind=KIND, data={"round": next_round, "moves": moves})
    return moves


def _earlier_seatings(session: Session, cafe: Cafe, *, before_round: int) -> list[dict[str, int]]:
    """Who sat where in the rounds before `before_round`, from the tables their notes came from
    (a phone that wrote nothing in a round is simply not in that round's seating)."""
    rows = session.exec(
        select(Round.number, Note.device_pseudonym, CafeTable.number)
        .join(Round, Round.id == Note.round_id)
        .join(CafeTable, CafeTable.id == Note.table_id)
        .where(Note.cafe_id == cafe.id, Note.device_pseudonym.is_not(None), Round.number < before_round)
        .order_by(Note.id)
    )
    seatings: dict[int, dict[str, int]] = {}
    for number, pseudonym, table in rows:
        seatings.setdefault(number, {})[pseudonym] = table  # the last note tells where it sat last
    return [seatings[number] for number in sorted(seatings)]


def next_table_for(session: Session, cafe: Cafe, participant: Participant | None) -> int | None:
    """The table this phone was told to go to, while the café waits between rounds."""
    if participant is None or cafe.phase != phases.Phase.OPEN or cafe.rounds_done == 0:
        return None
    query = (
        select(LiveEvent.data)
        .where(LiveEvent.cafe_id == cafe.id, LiveEvent.kind == KIND)
        .order_by(LiveEvent.id.desc())
        .limit(1)
    )
    latest = session.exec(query).first()
    if latest is None:
        return None
    advice = json.loads(latest)
    if advice.get("round") != cafe.rounds_done + 1:
        return None
    return advice["moves"].get(participant.pseudonym)
