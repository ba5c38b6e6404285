"""Setting up and running a café: the process leader's verbs."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.live import record_event
from app.models import Cafe, CafeTable, Organisation, Process, Round, User, utcnow
from app.security import new_short_code, new_token
from app.services.rotation import advise_next_tables
from facilitation import phases
from facilitation.phases import CafeState, Phase
from facilitation.process import RoundPlan, check_cafe_edit, check_cafe_plan, process_name, village_name
from facilitation.refusals import NotFound


def processes_of(session: Session, user: User) -> list[Process]:
    query = select(Process).where(Process.organisation_id == user.organisation_id)
    return list(session.exec(query.order_by(Process.created_at.desc())))


def process_for(session: Session, user: User, process_id: int) -> Process:
    process = session.get(Process, process_id)
    if process is None or process.organisation_id != user.organisation_id:
        raise NotFound
    return process


def cafe_for(session: Session, user: User, cafe_id: int) -> Cafe:
    cafe = session.get(Cafe, cafe_id)
    if cafe is None:
        raise NotFound
    process_for(session, user, cafe.process_id)
    return cafe


def save_process(
    session: Session,
    *,
    user: User,
    name: str,
    municipalities: str,
    plan: str,
    participation_level: str,
    description: str,
    language: str = DEFAULT_LANGUAGE,
    process: Process | None = None,
) -> Process:
    name = process_name(name, participation_level=participation_level, language=language, languages=LANGUAGES)
    process = process or Process(organisation_id=user.organisation_id, name=name)
    process.name = name
    process.municipalities = ", ".join(m.strip() for m in municipalities.split(",") if m.strip())[:500]
    process.plan = plan.strip()[:300]
    process.participation_level = participation_level
    process.description = description.strip()[:2000]
    process.language = language
    session.add(process)
    session.commit()
    session.refresh(process)
    return process


def timezone_of(session: Session, cafe: Cafe) -> str:
    """The clock a café's screens show: its organisation's time zone."""
    process = session.get(Process, cafe.process_id)
    return session.get(Organisation, process.organisation_id).timezone


def cafes_of(session: Session, process: Process) -> list[Cafe]:
    return list(session.exec(select(Cafe).where(Cafe.process_id == process.id).order_by(Cafe.date)))


def create_cafe(
    session: Session,
    *,
    process: Process,
    village: str,
    venue: str,
    on: date,
    table_count: int,
    rounds: list[RoundPlan],
    municipality: str | None = None,
    trial: bool = False,
) -> Cafe:
    village = village_name(village)
    check_cafe_plan(table_count, rounds)
    cafe = Cafe(
        process_id=process.id, village=village, venue=venue.strip()[:200], date=on, table_count=0,
        municipality=(municipality or "").strip()[:200], trial=trial,
    )
    session.add(cafe)
    session.flush()
    _add_tables(session, cafe, table_count)
    for number, plan in enumerate(rounds, start=1):
        session.add(Round(cafe_id=cafe.id, number=number, question=plan.question.strip(), minutes=plan.minutes))
    session.commit()
    session.refresh(cafe)
    return cafe


def update_cafe(
    session: Session,
    *,
    cafe: Cafe,
    village: str,
    venue: str,
    on: date,
    table_count: int,
    rounds: list[RoundPlan],
    municipality: str | None = None,
    trial: bool = False,
) -> Cafe:
    """Edit a café. Tables can be added at any time; removed only before the café opens, and
    rounds that have started keep their question (notes were written to it)."""
    village = village_name(village)
    existing = rounds_of(session, cafe)
    check_cafe_edit(state_of(cafe, len(existing)), table_count=table_count, rounds=rounds, tables_now=cafe.table_count)
    cafe.village, cafe.venue, cafe.date, cafe.trial = village, venue.strip()[:200], on, trial
    if municipality is not None:  # in a joint process: whose village
        cafe.municipality = municipality.strip()[:200]
    if table_count > cafe.table_count:
        _add_tables(session, cafe, table_count - cafe.table_count)
    elif table_count < cafe.table_count:
        for table in tables_of(session, cafe)[table_count:]:
            session.delete(table)
        cafe.table_count = table_count
    for number, plan in enumerate(rounds, start=1):
        if number > len(existing):
            session.add(Round(cafe_id=cafe.id, number=number, question=plan.question.strip(), minutes=plan.minutes))
        elif existing[number - 1].started_at is None:
            row = existing[number - 1]
            row.question, row.minutes = plan.question.strip(), plan.minutes
            session.add(row)
    for row in existing[len(rounds):]:
        session.delete(row)
    session.add(cafe)
    session.commit()
    session.refresh(cafe)
    return cafe


def _add_tables(session: Session, cafe: Cafe, count: int) -> None:
    for number in range(cafe.table_count + 1, cafe.table_count + count + 1):
        session.add(
            CafeTable(
                cafe_id=cafe.id,
                number=number,
                join_token=new_token(),
                short_code=_unused_short_code(session),
                host_token=new_token(),
            )
        )
        session.flush()
    cafe.table_count += count


def _unused_short_code(session: Session) -> str:
    while True:
        code = new_short_code()
        if session.exec(select(CafeTable.id).where(CafeTable.short_code == code)).first() is None:
            return code


def tables_of(session: Session, cafe: Cafe) -> list[CafeTable]:
    return list(session.exec(select(CafeTable).where(CafeTable.cafe_id == cafe.id).order_by(CafeTable.number)))


def rounds_of(session: Session, cafe: Cafe) -> list[Round]:
    return list(session.exec(select(Round).where(Round.cafe_id == cafe.id).order_by(Round.number)))


def current_round(session: Session, cafe: Cafe) -> Round | None:
    if cafe.current_round is None:
        return None
    query = select(Round).where(Round.cafe_id == cafe.id, Round.number == cafe.current_round)
    return session.exec(query).first()


def state_of(cafe: Cafe, round_count: int) -> CafeState:
    return CafeState(
        phase=Phase(cafe.phase),
        round_count=round_count,
        current_round=cafe.current_round,
        round_ends_at=cafe.round_ends_at,
        rounds_done=cafe.rounds_done,
        reopened_until=cafe.reopened_until,
    )


def cafe_state(session: Session, cafe: Cafe) -> CafeState:
    return state_of(cafe, len(rounds_of(session, cafe)))


def phase_data(state: CafeState, rounds: list[Round], now: datetime) -> dict:
    """What every screen needs to show the café's phase and the shared clock."""
    running = state.phase == Phase.ROUND
    return {
        "phase": state.phase.value,
        "round": state.current_round if running else None,
        "question": rounds[state.current_round - 1].question if running else None,
        "seconds_left": phases.seconds_left(state, now),
        "rounds_done": state.rounds_done,
        "round_count": len(rounds),
        "phones_welcome": phases.can_join(state, now),
        "reopened_until": phases.open_again_until(state, now),
    }


def run_action(session: Session, *, cafe: Cafe, action: str, minutes: int = 5, now: datetime | None = None) -> Cafe:
    """Open, start/extend/end a round, close or reopen the café; facilitation/ decides what is
    allowed. `minutes` is the extension, or how long a closed café opens again."""
    now = now or utcnow()
    rounds = rounds_of(session, cafe)
    before = state_of(cafe, len(rounds))
    match action:
        case phases.Action.OPEN:
            after = phases.open_cafe(before)
        case phases.Action.START_ROUND:
            number = phases.next_round_number(before)
            after = phases.start_round(before, minutes=rounds[number - 1].minutes if number else 0, now=now)
            rounds[after.current_round - 1].started_at = now
        case phases.Action.EXTEND_ROUND:
            after = phases.extend_round(before, minutes=minutes, now=now)
        case phases.Action.END_ROUND:
            after = phases.end_round(before)
            rounds[before.current_round - 1].ended_at = now
            advise_next_tables(session, cafe, next_round=phases.next_round_number(after))
        case phases.Action.CLOSE:
            after = phases.close_cafe(before)
            if before.phase == Phase.ROUND:
                rounds[before.current_round - 1].ended_at = now
        case phases.Action.REOPEN:
            after = phases.reopen_cafe(before, minutes=minutes, now=now)
        case _:
            raise phases.PhaseError("unknown_action")
    cafe.phase = after.phase.value
    cafe.current_round = after.current_round
    cafe.round_ends_at = after.round_ends_at
    cafe.rounds_done = after.rounds_done
    cafe.reopened_until = after.reopened_until
    session.add_all([cafe, *rounds])
    record_event(session, cafe_id=cafe.id, kind="phase", data=phase_data(after, rounds, now))
    session.commit()
    session.refresh(cafe)
    return cafe
