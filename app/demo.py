"""`bykafe demo`: the Swedish example from facilitation/demo.py, stored so every screen is filled.

Three village cafés that have been held (closed, with notes, themes, dots and some responses)
and one trial café that is open with its first round running, to try on a phone at once."""

from __future__ import annotations

import json
import random
import secrets
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from app.models import Cafe, Note, Participant, Process, User, Vote, row_id
from app.security import hash_password, new_pseudonym
from app.services import cafes as cafe_service
from app.services import planning
from app.services import categories as category_service
from app.services import responses as response_service
from app.services import themes as theme_service
from app.services import villages as village_service
from app.services.accounts import create_user
from app.services.themes import Scope
from facilitation.demo import TRIAL_PLACE, demo_example
from facilitation.process import DEFAULT_QUESTIONS, RoundPlan

DEMO_EMAIL = "demo@storsjon.example"
EVENING_START = time(18, 30)


@dataclass
class DemoSummary:
    email: str
    password: str | None  # None: the demo went to an existing account, which keeps its own password
    process_ids: list[int] = field(default_factory=list)
    trial_cafe_id: int | None = None
    trial_table: tuple[str, str, str] | None = None  # join token, short code, host token
    notes: int = 0
    cafes: int = 0

    def describe(self, base: str) -> str:
        ready = (
            f"Demo ready: {self.cafes} cafés, {self.notes} notes, themes found."
            if self.cafes else "The demo was already loaded."
        )
        login = (
            f"Log in at {base}/login as {self.email} with password {self.password}" if self.password
            else f"Log in at {base}/login as {self.email} (your own account) with your own password"
        )
        lines = [ready, login, f"  Processes:    {base}/leader"]
        for process_id in self.process_ids:
            lines.append(f"  Public page:  {base}/p/{process_id}")
        if self.trial_cafe_id and self.trial_table:  # set together
            lines.append(f"  Trial café (round 1 running): {base}/leader/cafes/{self.trial_cafe_id}")
            lines.append(f"  Its wall:     {base}/leader/cafes/{self.trial_cafe_id}/wall")
            join, code, host = self.trial_table
            lines.append(f"  A phone at table 1: {base}/t/{join}  (or {base}/k and code {code})")
            lines.append(f"  Table 1 host: {base}/h/{host}")
        return "\n".join(lines)


def load_demo(session: Session, progress=lambda message: print(message, file=sys.stderr)) -> DemoSummary:
    """Store the example in the organisation of the first account, so the leader who just signed
    up sees it; with no account yet, under a demo login made here. Run again, it adds nothing (a
    demo login only gets a new password)."""
    example = demo_example()
    owner = session.exec(select(User).where(User.email != DEMO_EMAIL).order_by(User.created_at, User.id)).first()
    password = None
    if owner is None:
        password = secrets.token_urlsafe(9)
        owner = session.exec(select(User).where(User.email == DEMO_EMAIL)).first()
        if owner is None:
            owner = create_user(session, email=DEMO_EMAIL, password=password, organisation=example.organisation, name="Demo")
        else:
            owner.password_hash = hash_password(password)
            session.add(owner)
            session.commit()
    summary = DemoSummary(email=owner.email, password=password)
    loaded = session.exec(select(Process).where(
        Process.organisation_id == owner.organisation_id, Process.name.in_([plan.name for plan in example.processes]),
    )).all()
    if loaded:
        summary.process_ids = [row_id(p) for p in loaded]
        return summary

    rng = random.Random(7)
    for plan in example.processes:
        process = cafe_service.save_process(
            session, user=owner, name=plan.name, municipalities=", ".join(plan.municipalities), plan=plan.plan,
            participation_level=plan.participation_level, description=plan.description,
        )
        process.published = True
        category_service.ensure_default_categories(session, process)
        summary.process_ids.append(process.id)
        for demo_cafe in plan.cafes:
            progress(f"Café in {demo_cafe.village}: {len(demo_cafe.notes)} notes")
            cafe = _held_cafe(session, process, demo_cafe)
            summary.cafes += 1
            summary.notes += len(demo_cafe.notes)
            _curate(session, owner, Scope(process_id=process.id, cafe_id=cafe.id), cafe, rng, progress)
        progress("Themes across all villages")
        _curate(session, owner, Scope(process_id=process.id), None, rng, progress)
        trial = cafe_service.create_cafe(
            session, process=process, village="Storsjöstrand", venue="Provkafé: prova med din egen mobil",
            on=date.today(), table_count=4,
            rounds=[RoundPlan(question, 20) for question in DEFAULT_QUESTIONS], trial=True,
        )
        latitude, longitude, population = TRIAL_PLACE
        village_service.set_place(session, cafe=trial, location=(latitude, longitude), population=population)
        cafe_service.run_action(session, cafe=trial, action="open")
        cafe_service.run_action(session, cafe=trial, action="start_round")
        summary.trial_cafe_id = trial.id
        first = cafe_service.tables_of(session, trial)[0]
        summary.trial_table = (first.join_token, first.short_code, first.host_token)
        summary.cafes += 1
    session.commit()
    return summary


def _held_cafe(session: Session, process: Process, demo_cafe) -> Cafe:
    """A café that took place: its rounds ran at the evening's times, its notes came in then."""
    cafe = cafe_service.create_cafe(
        session, process=process, village=demo_cafe.village, venue=demo_cafe.venue, on=demo_cafe.date,
        table_count=demo_cafe.table_count, rounds=[RoundPlan(r.question, r.minutes) for r in demo_cafe.rounds],
    )
    cafe.municipality = demo_cafe.municipality
    cafe.latitude, cafe.longitude, cafe.population = demo_cafe.latitude, demo_cafe.longitude, demo_cafe.population
    start = datetime.combine(demo_cafe.date, EVENING_START, tzinfo=UTC)
    rounds = cafe_service.rounds_of(session, cafe)
    for round_ in rounds:
        round_.started_at = start + timedelta(minutes=25 * (round_.number - 1))
        round_.ended_at = round_.started_at + timedelta(minutes=round_.minutes)
        session.add(round_)
    cafe.phase, cafe.current_round, cafe.rounds_done = "closed", len(rounds), len(rounds)
    tables = {t.number: t for t in cafe_service.tables_of(session, cafe)}
    phones: dict[int, Participant] = {}
    for demo_note in demo_cafe.notes:
        table = tables[demo_note.table]
        participant = None
        if demo_note.device is not None:
            participant = phones.get(demo_note.device)
            if participant is None:
                participant = Participant(
                    cafe_id=cafe.id, device_key=secrets.token_urlsafe(16), pseudonym=new_pseudonym(), table_id=table.id
                )
                session.add(participant)
                session.flush()
                phones[demo_note.device] = participant
            participant.table_id = row_id(table)
        round_ = rounds[demo_note.round - 1]
        session.add(
            Note(
                cafe_id=cafe.id, table_id=table.id, round_id=round_.id,
                participant_id=participant.id if participant else None,
                device_pseudonym=participant.pseudonym if participant else None,
                source=demo_note.source, client_id=secrets.token_hex(16), text=demo_note.text,
                created_at=round_.started_at + timedelta(minutes=demo_note.minutes_into_round),
            )
        )
    session.add(cafe)
    session.commit()
    return cafe


def _curate(session: Session, user: User, scope: Scope, cafe: Cafe | None, rng: random.Random, progress) -> None:
    """Themes found, categories suggested, a quote approved per theme, dots and some answers."""
    themes = theme_service.run_themes(session, user=user, scope=scope)
    planning.suggest_categories(session, scope)
    for theme in theme_service.themes_in(session, scope):
        quotes = json.loads(theme.quotes or "[]")
        if quotes:
            planning.set_public_quote(session, user=user, scope=scope, theme_id=theme.id, note_id=quotes[0], approved=True)
    if cafe is not None:
        _dots(session, cafe, [t.key for t in themes], rng)
    answers = [
        ("in_plan", "Tas med i planförslaget som ett utvecklingsområde."),
        ("looking_into", "Utreds tillsammans med regionen under våren."),
        ("not_in_plan", "Frågan hör inte till översiktsplanen; vi har lämnat den till rätt förvaltning."),
    ]
    for theme, (status, text) in zip(themes[:3], answers):
        response_service.respond(
            session, user=user, process_id=scope.process_id, cafe_id=scope.cafe_id, theme_key=theme.key,
            status=status, text=text,
        )
    progress(f"  {len(themes)} themes")


def _dots(session: Session, cafe: Cafe, keys: list[str], rng: random.Random) -> None:
    """Each phone placed its three dots in the harvest."""
    phones = session.exec(select(Participant).where(Participant.cafe_id == cafe.id)).all()
    for phone in phones:
        placed: dict[str, int] = {}
        for _ in range(cafe.vote_dots):
            key = rng.choice(keys[: max(1, len(keys) // 2)] if rng.random() < 0.7 else keys)
            placed[key] = placed.get(key, 0) + 1
        for key, dots in placed.items():
            session.add(Vote(cafe_id=cafe.id, participant_id=phone.id, theme_key=key, dots=dots))
    session.commit()
