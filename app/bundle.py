"""One café as a bundle (JSON): export it from a laptop in the hall, import it into the
municipality's server (app/bundle_import.py). This module holds the format and the export.

Rows are matched by what stays the same on both machines, never by database ids: the café by
its process (name and organisation), village and date; notes by client id; participants by
pseudonym; votes by pseudonym and theme key; logged events by what happened when. Importing the
same bundle twice therefore changes nothing. Curation steps arrive without their snapshots, so
imported steps cannot be undone.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from app.models import (
    Cafe, CafeTable, CurationEvent, ModerationEvent, Note, Organisation, Participant, PlanCategory, Process, Round,
    ThemeResponse, User, Vote,
)
from app.services import themes as theme_service

FORMAT = "bykafe-cafe-bundle"
VERSION = 1

PROCESS_FIELDS = ("name", "municipalities", "plan", "participation_level", "description", "published")
CAFE_FIELDS = (
    "village", "municipality", "venue", "date", "table_count", "phase", "current_round", "rounds_done",
    "round_ends_at", "vote_open", "vote_dots", "created_at", "trial",
)
ROUND_FIELDS = ("number", "question", "minutes", "started_at", "ended_at")
THEME_FIELDS = (
    "key", "label", "label_is_custom", "keywords", "pinned", "position", "category_confirmed", "department", "updated_at",
    "summary", "summary_is_custom",
)


class BundleError(Exception):
    """The bundle cannot be imported; the message says why. Nothing was written."""


# --- export ---------------------------------------------------------------------------------

def export_bundle(session: Session, cafe_id: int, *, raw: bool = False) -> dict:
    """The café as a bundle. Notes carry only their masked text unless `raw` is asked: a raw
    bundle holds every phone number and address the participants wrote (README: "Bundles")."""
    cafe = session.get(Cafe, cafe_id)
    if cafe is None:
        raise BundleError(f"there is no café {cafe_id}.")
    process = session.get(Process, cafe.process_id)
    organisation = session.get(Organisation, process.organisation_id)
    emails = {u.id: u.email for u in session.exec(select(User))}
    tables = list(session.exec(select(CafeTable).where(CafeTable.cafe_id == cafe.id).order_by(CafeTable.number)))
    table_numbers = {t.id: t.number for t in tables}
    rounds = list(session.exec(select(Round).where(Round.cafe_id == cafe.id).order_by(Round.number)))
    round_numbers = {r.id: r.number for r in rounds}
    participants = list(session.exec(select(Participant).where(Participant.cafe_id == cafe.id).order_by(Participant.id)))
    pseudonyms = {p.id: p.pseudonym for p in participants}
    notes = list(session.exec(select(Note).where(Note.cafe_id == cafe.id).order_by(Note.id)))
    client_ids = {n.id: n.client_id for n in notes}
    moderation: list[ModerationEvent] = list(session.exec(
        select(ModerationEvent).where(ModerationEvent.note_id.in_(list(client_ids))).order_by(ModerationEvent.id)
    )) if notes else []
    scope = theme_service.Scope(process.id, cafe.id)
    themes = theme_service.themes_in(session, scope)
    members = theme_service.members_of(session, themes)
    categories = {c.id: c.name for c in session.exec(select(PlanCategory).where(PlanCategory.process_id == process.id))}
    curation = session.exec(
        select(CurationEvent).where(CurationEvent.cafe_id == cafe.id).order_by(CurationEvent.id)
    )
    votes = session.exec(select(Vote).where(Vote.cafe_id == cafe.id).order_by(Vote.id))
    responses = session.exec(
        select(ThemeResponse).where(ThemeResponse.cafe_id == cafe.id).order_by(ThemeResponse.id)
    )

    def note_ids_to_client_ids(raw: str) -> list[str]:
        return [client_ids[i] for i in json.loads(raw or "[]") if i in client_ids]

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _out(datetime.now(UTC)),
        "raw": raw,
        "organisation": organisation.name,
        "process": {name: getattr(process, name) for name in PROCESS_FIELDS},
        "cafe": {name: _out(getattr(cafe, name)) for name in CAFE_FIELDS},
        "rounds": [{name: _out(getattr(r, name)) for name in ROUND_FIELDS} for r in rounds],
        "tables": [
            {"number": t.number, "join_token": t.join_token, "short_code": t.short_code, "host_token": t.host_token}
            for t in tables
        ],
        "participants": [
            {"pseudonym": p.pseudonym, "table": table_numbers[p.table_id], "joined_at": _out(p.joined_at)}
            for p in participants
        ],
        "notes": [
            {
                "client_id": n.client_id, "table": table_numbers[n.table_id], "round": round_numbers[n.round_id],
                "pseudonym": pseudonyms.get(n.participant_id), "device_pseudonym": n.device_pseudonym,
                "source": n.source, "text": n.text if raw else n.public_text, "public_text": n.public_text,
                "created_at": _out(n.created_at), "hidden_at": _out(n.hidden_at),
                "hidden_by": emails.get(n.hidden_by_id), "department": n.department,
            }
            for n in notes
        ],
        "moderation": [
            {"note": client_ids[m.note_id], "user": emails.get(m.user_id), "action": m.action, "at": _out(m.at)}
            for m in moderation
        ],
        "themes": [
            {
                **{name: _out(getattr(t, name)) for name in THEME_FIELDS},
                "category": categories.get(t.category_id),
                "quotes": note_ids_to_client_ids(t.quotes),
                "public_quotes": note_ids_to_client_ids(t.public_quotes),
                "members": sorted(client_ids[i] for i in members[t.id] if i in client_ids),
            }
            for t in themes
        ],
        "curation": [
            {"action": e.action, "detail": e.detail, "at": _out(e.at), "user": emails.get(e.user_id), "undone": e.undone}
            for e in curation
        ],
        "votes": [{"pseudonym": pseudonyms[v.participant_id], "theme_key": v.theme_key, "dots": v.dots} for v in votes],
        "theme_responses": [
            {"theme_key": r.theme_key, "status": r.status, "text": r.text, "user": emails.get(r.user_id), "at": _out(r.at)}
            for r in responses
        ],
    }


def _out(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
