"""Importing a café bundle (the format: app/bundle.py) into this database, in one transaction.

Rows are matched by what stays the same on both machines, never by database ids, so importing
the same bundle twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from app.bundle import CAFE_FIELDS, FORMAT, PROCESS_FIELDS, ROUND_FIELDS, VERSION, BundleError
from app.models import (
    Cafe, CafeTable, CurationEvent, ModerationEvent, Note, Organisation, Participant, PlanCategory, Process, Round,
    ThemeResponse, User, Vote, row_id,
)
from app.security import new_short_code, new_token
from app.services import themes as theme_service

UNUSABLE_PASSWORD = "!imported"  # not a valid hash: an account made by an import cannot log in


@dataclass
class ImportSummary:
    cafe_id: int
    cafe_created: bool = False
    notes_added: int = 0
    notes_existing: int = 0
    participants_added: int = 0
    themes: int = 0
    themes_replaced: bool = False
    votes_changed: int = 0
    events_added: int = 0

    def describe(self) -> str:
        cafe = "new café" if self.cafe_created else "existing café"
        themes = f"{self.themes} themes " + ("replaced" if self.themes_replaced else "unchanged")
        return (
            f"Café {self.cafe_id} ({cafe}): {self.notes_added} notes added, {self.notes_existing} already there; "
            f"{self.participants_added} participants added; {themes}; {self.votes_changed} votes added or changed; "
            f"{self.events_added} log entries added."
        )


REQUIRED = {
    "process": ("name",),
    "cafe": ("village", "date", "table_count"),
    "rounds": ("number", "question", "minutes"),
    "tables": ("number", "join_token", "short_code", "host_token"),
    "participants": ("pseudonym", "table"),
    "notes": ("client_id", "table", "round", "source", "text", "created_at"),
    "moderation": ("note", "action", "at"),
    "themes": ("key", "label", "members"),
    "curation": ("action", "at"),
    "votes": ("pseudonym", "theme_key", "dots"),
    "theme_responses": ("theme_key", "status", "at"),
}


def validate(data: object) -> None:
    """Raise BundleError naming the first thing wrong with the bundle's shape."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"this is not a Bykafé café bundle (expected \"format\": \"{FORMAT}\").")
    if data.get("version") != VERSION:
        raise BundleError(f"bundle version {data.get('version')!r} is not supported; this Bykafé reads version {VERSION}.")
    if not isinstance(data.get("organisation"), str) or not data["organisation"].strip():
        raise BundleError("the bundle has no organisation name.")
    for section, fields in REQUIRED.items():
        items = data.get(section)
        if section in ("process", "cafe"):
            items = [items] if isinstance(items, dict) else None
        if not isinstance(items, list):
            raise BundleError(f"the bundle has no \"{section}\" section (or it has the wrong shape).")
        for position, item in enumerate(items):
            missing = [name for name in fields if not isinstance(item, dict) or item.get(name) is None]
            if missing:
                where = section if section in ("process", "cafe") else f"{section}[{position}]"
                raise BundleError(f"{where} lacks {', '.join(missing)}.")
    tables = {t["number"] for t in data["tables"]}
    rounds = {r["number"] for r in data["rounds"]}
    pseudonyms = {p["pseudonym"] for p in data["participants"]}
    notes = {n["client_id"] for n in data["notes"]}
    for p in data["participants"]:
        if p["table"] not in tables:
            raise BundleError(f"participant {p['pseudonym']} sits at table {p['table']}, which the bundle lacks.")
    for n in data["notes"]:
        if n["table"] not in tables or n["round"] not in rounds:
            raise BundleError(f"note {n['client_id']} names table {n['table']} round {n['round']}, which the bundle lacks.")
        if n.get("pseudonym") is not None and n["pseudonym"] not in pseudonyms:
            raise BundleError(f"note {n['client_id']} is by {n['pseudonym']}, who is not among the participants.")
    for m in data["moderation"]:
        if m["note"] not in notes:
            raise BundleError(f"a moderation entry names note {m['note']}, which the bundle lacks.")
    for t in data["themes"]:
        if not set(t["members"]) <= notes:
            raise BundleError(f"theme {t['key']} has members the bundle lacks.")
    for v in data["votes"]:
        if v["pseudonym"] not in pseudonyms:
            raise BundleError(f"a vote is by {v['pseudonym']}, who is not among the participants.")
        if not isinstance(v["dots"], int) or isinstance(v["dots"], bool) or v["dots"] < 1:
            raise BundleError(f"a vote on {v['theme_key']} has {v['dots']!r} dots; a vote has a whole number of dots.")
    try:
        date.fromisoformat(data["cafe"]["date"])
        for n in data["notes"]:
            datetime.fromisoformat(n["created_at"])
            if n.get("hidden_at") is not None:
                datetime.fromisoformat(n["hidden_at"])
        for section in ("moderation", "curation", "theme_responses"):
            for item in data[section]:
                datetime.fromisoformat(item["at"])
    except (TypeError, ValueError) as error:
        raise BundleError(f"a date in the bundle cannot be read: {error}.") from None


def import_bundle(
    session: Session, data: dict, *, organisation: str | None = None, process_id: int | None = None,
    cafe_id: int | None = None,
) -> ImportSummary:
    """Add what the bundle has and this database lacks, in one transaction."""
    validate(data)
    try:
        summary = _import(session, data, organisation=organisation, process_id=process_id, cafe_id=cafe_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return summary


def _import(session: Session, data: dict, *, organisation, process_id, cafe_id) -> ImportSummary:
    users = _Users(session)
    process = _process(session, data, users, organisation=organisation, process_id=process_id)
    users.organisation_id = process.organisation_id
    cafe, created = _cafe(session, data, process, cafe_id)
    summary = ImportSummary(cafe_id=cafe.id, cafe_created=created)

    rounds = {r.number: r for r in session.exec(select(Round).where(Round.cafe_id == cafe.id))}
    for item in data["rounds"]:
        if item["number"] not in rounds:
            fields = {name: _in(item.get(name)) for name in ROUND_FIELDS}
            rounds[item["number"]] = _added(session, Round(cafe_id=cafe.id, **fields))

    tables = {t.number: t for t in session.exec(select(CafeTable).where(CafeTable.cafe_id == cafe.id))}
    for item in data["tables"]:
        if item["number"] not in tables:
            tables[item["number"]] = _added(session, CafeTable(
                cafe_id=cafe.id, number=item["number"],
                join_token=_unused(session, CafeTable.join_token, item["join_token"], new_token),
                short_code=_unused(session, CafeTable.short_code, item["short_code"], new_short_code),
                host_token=_unused(session, CafeTable.host_token, item["host_token"], new_token),
            ))

    participants = {p.pseudonym: p for p in session.exec(select(Participant).where(Participant.cafe_id == cafe.id))}
    for item in data["participants"]:
        if item["pseudonym"] not in participants:
            # The phone's cookie key stays on the laptop: these participants cannot send from here.
            participants[item["pseudonym"]] = _added(session, Participant(
                cafe_id=cafe.id, device_key=f"imported-{new_token()}", pseudonym=item["pseudonym"],
                table_id=tables[item["table"]].id, joined_at=_in(item.get("joined_at")) or datetime.now(UTC),
            ))
            summary.participants_added += 1

    notes = {n.client_id: n for n in session.exec(select(Note).where(Note.cafe_id == cafe.id))}
    for item in data["notes"]:
        if item["client_id"] in notes:
            summary.notes_existing += 1
            continue
        participant = participants.get(item.get("pseudonym"))
        notes[item["client_id"]] = _added(session, Note(
            cafe_id=cafe.id, table_id=tables[item["table"]].id, round_id=rounds[item["round"]].id,
            participant_id=participant.id if participant else None, device_pseudonym=item.get("device_pseudonym"),
            source=item["source"], client_id=item["client_id"], text=item["text"],
            public_text=item.get("public_text"),  # a name masked by hand stays masked; None: masked from text
            created_at=_in(item["created_at"]), hidden_at=_in(item.get("hidden_at")),
            hidden_by_id=users.id_for(item.get("hidden_by"), create=True), department=item.get("department"),
        ))
        summary.notes_added += 1

    note_client_ids = {n.id: c for c, n in notes.items()}
    moderated = {
        (note_client_ids[m.note_id], m.action, _stamp(m.at))
        for m in session.exec(select(ModerationEvent).where(ModerationEvent.note_id.in_(list(note_client_ids))))
    } if notes else set()
    for item in data["moderation"]:
        key = (item["note"], item["action"], _stamp(_in(item["at"])))
        user_id = users.id_for(item.get("user"), create=True)
        if key not in moderated and user_id is not None:
            moderated.add(key)
            session.add(ModerationEvent(
                note_id=notes[item["note"]].id, user_id=user_id, action=item["action"], at=_in(item["at"]),
            ))
            summary.events_added += 1

    scope = theme_service.Scope(process.id, cafe.id)
    if data["themes"]:
        wanted = _themes_as_snapshot(session, data["themes"], notes, process)
        current = theme_service.snapshot(session, scope)
        summary.themes = len(wanted)
        if _comparable(current) != _comparable(wanted):
            if current:  # the local themes can be brought back with undo
                session.add(CurationEvent(
                    process_id=process.id, cafe_id=cafe.id, action="import", detail="",
                    before=json.dumps(current),
                ))
                summary.events_added += 1
            theme_service.restore(session, scope, wanted)
            summary.themes_replaced = True

    logged = {
        (e.action, e.detail, _stamp(e.at))
        for e in session.exec(select(CurationEvent).where(CurationEvent.cafe_id == cafe.id))
    }
    for item in data["curation"]:
        key = (item["action"], item.get("detail") or "", _stamp(_in(item["at"])))
        if key not in logged:
            logged.add(key)
            session.add(CurationEvent(
                process_id=process.id, cafe_id=cafe.id, user_id=users.id_for(item.get("user")), action=item["action"],
                detail=item.get("detail") or "", before="", undone=bool(item.get("undone")), at=_in(item["at"]),
            ))
            summary.events_added += 1

    session.flush()
    votes = {
        (v.participant_id, v.theme_key): v for v in session.exec(select(Vote).where(Vote.cafe_id == cafe.id))
    }
    for item in data["votes"]:
        participant = participants[item["pseudonym"]]
        vote = votes.get((participant.id, item["theme_key"]))
        if vote is None:
            vote = Vote(cafe_id=cafe.id, participant_id=participant.id, theme_key=item["theme_key"], dots=item["dots"])
        elif vote.dots == item["dots"]:
            continue
        vote.dots = item["dots"]
        session.add(vote)
        summary.votes_changed += 1

    answered = {
        (r.theme_key, r.status, r.text, _stamp(r.at))
        for r in session.exec(select(ThemeResponse).where(ThemeResponse.cafe_id == cafe.id))
    }
    for item in data["theme_responses"]:
        answer = (item["theme_key"], item["status"], item.get("text") or "", _stamp(_in(item["at"])))
        if answer not in answered:
            answered.add(answer)
            session.add(ThemeResponse(
                process_id=process.id, cafe_id=cafe.id, theme_key=item["theme_key"], status=item["status"],
                text=item.get("text") or "", user_id=users.id_for(item.get("user")), at=_in(item["at"]),
            ))
            summary.events_added += 1
    session.flush()
    return summary


def _process(session: Session, data: dict, users: _Users, *, organisation, process_id) -> Process:
    if process_id is not None:
        process = session.get(Process, process_id)
        if process is None:
            raise BundleError(f"there is no process {process_id} here.")
        return process
    name = (organisation or data["organisation"]).strip()
    org = session.exec(select(Organisation).where(Organisation.name == name)).first()
    if org is None:
        org = _added(session, Organisation(name=name))
    fields = data["process"]
    process = session.exec(
        select(Process).where(Process.organisation_id == org.id, Process.name == fields["name"])
    ).first()
    if process is None:
        process = _added(session, Process(
            organisation_id=org.id, **{k: fields[k] for k in PROCESS_FIELDS if fields.get(k) is not None}
        ))
    return process


def _cafe(session: Session, data: dict, process: Process, cafe_id: int | None) -> tuple[Cafe, bool]:
    fields = {name: _in(data["cafe"].get(name)) for name in CAFE_FIELDS if data["cafe"].get(name) is not None}
    fields["date"] = date.fromisoformat(data["cafe"]["date"])
    if cafe_id is not None:
        cafe = session.get(Cafe, cafe_id)
        if cafe is None or cafe.process_id != process.id:
            raise BundleError(f"process {process.id} has no café {cafe_id}.")
        return cafe, False
    cafe = session.exec(
        select(Cafe).where(Cafe.process_id == process.id, Cafe.village == fields["village"], Cafe.date == fields["date"])
    ).first()
    if cafe is not None:
        return cafe, False
    return _added(session, Cafe(process_id=process.id, **fields)), True


def _themes_as_snapshot(session: Session, themes: list[dict], notes: dict[str, Note], process: Process) -> list[dict]:
    """The bundle's themes in the shape themes.restore takes, with this database's note ids."""
    categories = {c.name: c for c in session.exec(select(PlanCategory).where(PlanCategory.process_id == process.id))}
    items = []
    for position, theme in enumerate(themes):
        category = None
        if theme.get("category"):
            category = categories.get(theme["category"])
            if category is None:
                category = categories[theme["category"]] = _added(
                    session, PlanCategory(process_id=process.id, name=theme["category"], position=len(categories))
                )
        items.append({
            "key": theme["key"], "label": theme["label"], "keywords": theme.get("keywords") or "",
            "position": theme.get("position", position),
            "quotes": json.dumps([notes[c].id for c in theme.get("quotes") or [] if c in notes]),
            "label_is_custom": bool(theme.get("label_is_custom")), "pinned": bool(theme.get("pinned")),
            # Bundles made before summaries travelled carry none (and no custom one).
            "summary": theme.get("summary") or "", "summary_is_custom": bool(theme.get("summary_is_custom")),
            "category_id": category.id if category else None,
            "category_confirmed": bool(theme.get("category_confirmed")), "department": theme.get("department"),
            "public_quotes": json.dumps([notes[c].id for c in theme.get("public_quotes") or [] if c in notes]),
            "members": sorted(row_id(notes[c]) for c in theme["members"]),
        })
    return items


def _comparable(snapshot: list[dict]) -> list[dict]:
    """What a person decided and the engine found; a summary only when a person wrote it (the
    engine's follows from the notes)."""
    return [{**{k: item.get(k) for k in (*theme_service.SNAPSHOT_FIELDS, "members")},
             "summary": item.get("summary") if item.get("summary_is_custom") else None} for item in snapshot]


class _Users:
    """Users by e-mail. Moderation must name a person, so an unknown moderator is added as an
    account that cannot log in; elsewhere an unknown e-mail is left out."""

    def __init__(self, session: Session):
        self.session = session
        self.organisation_id: int | None = None
        self.ids: dict[str, int] = {}

    def id_for(self, email: str | None, *, create: bool = False) -> int | None:
        if not email:
            return None
        if email not in self.ids:
            user = self.session.exec(select(User).where(User.email == email)).first()
            if user is None and create:
                user = _added(self.session, User(
                    organisation_id=self.organisation_id, email=email, password_hash=UNUSABLE_PASSWORD
                ))
            if user is None:
                return None
            self.ids[email] = row_id(user)
        return self.ids[email]


def _added(session: Session, row):
    session.add(row)
    session.flush()
    return row


def _unused(session: Session, column, wanted: str, make) -> str:
    """The bundle's token or code, so printed QR codes keep working, unless it is taken here."""
    value = wanted
    while session.exec(select(CafeTable.id).where(column == value)).first() is not None:
        value = make()
    return value


def _in(value):
    """A datetime from the bundle's ISO text (dates are handled where they occur)."""
    if isinstance(value, str) and "T" in value:
        return datetime.fromisoformat(value)
    return value


def _stamp(value) -> str:
    """A moment as text, the same whether the database kept its time zone (PostgreSQL) or not."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat()
