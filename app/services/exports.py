"""Exports and retention: read a café or a process into plain export data, and remove a café's
data under a retention decision (gallringsbeslut), leaving a record of the removal."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlmodel import Session, delete, func, select

from app.models import (
    Cafe, CafeTable, CurationEvent, DeletionRecord, LiveEvent, ModerationEvent, Note, Organisation, Participant,
    PlanCategory, Process, Round, Theme, ThemeNote, ThemeResponse, User, Vote, row_id,
)
from app.i18n import translations
from app.services.curation_log import action_name, describe
from app.services.publishing import cafe_figures, municipalities_of
from app.services.responses import current_responses
from facilitation.export_data import (
    CafeInfo, ExportData, LogEntry, NoteInfo, ProcessInfo, ResponseInfo, ThemeInfo, VoteInfo,
)
from facilitation.exports import RESPONSE_STATUS, slugify
from facilitation.retention import clean_decision, deleted_cafe_description
from facilitation.process import counted_cafes
from facilitation.maps import GeoTheme, GeoVillage, feature_collection


def load_export(
    session: Session, *, process: Process, cafe: Cafe | None = None, archive: bool = False, include_trial: bool = False,
) -> ExportData:
    """Everything an export of one café (or, without `cafe`, the whole process) shows. Hidden
    notes are left out here, so no renderer can show them. With `archive`, the record logs too.
    A process's trial cafés are left out unless `include_trial`; a café asked for by name is not."""
    cafes = [cafe] if cafe else counted_cafes(
        session.exec(select(Cafe).where(Cafe.process_id == process.id).order_by(Cafe.date, Cafe.id)),
        include_trial=include_trial,
    )
    cafe_ids = [c.id for c in cafes]
    notes = list(session.exec(
        select(Note).where(Note.cafe_id.in_(cafe_ids), Note.hidden_at.is_(None)).order_by(Note.id)
    ))
    visible = {n.id for n in notes}
    themes = _themes(session, process, cafe, cafe_ids)
    members = _members(session, themes)
    categories = list(session.exec(
        select(PlanCategory).where(PlanCategory.process_id == process.id).order_by(PlanCategory.position, PlanCategory.id)
    ))
    category_names = {c.id: c.name for c in categories}
    refs = {(t.cafe_id, t.key) for t in themes}
    responses = [r for ref, r in current_responses(session, process.id).items() if ref in refs]
    data = ExportData(
        process=ProcessInfo(
            id=process.id, name=process.name, municipalities=process.municipalities, plan=process.plan,
            participation_level=process.participation_level, description=process.description,
        ),
        cafes=_cafes(session, process, cafes),
        themes=[
            ThemeInfo(
                key=t.key, cafe_id=t.cafe_id, label=t.label, keywords=tuple(json.loads(t.keywords or "[]")),
                note_ids=tuple(i for i in members[t.id] if i in visible),
                quote_ids=tuple(i for i in json.loads(t.quotes or "[]") if i in visible),
                category=category_names.get(t.category_id), category_confirmed=t.category_confirmed,
                department=t.department, summary=t.summary,
                public_quote_ids=tuple(i for i in json.loads(t.public_quotes or "[]") if i in visible),
            )
            for t in themes
        ],
        notes=_notes(session, notes),
        votes=_votes(session, cafe_ids, visible),
        responses=[_response(r) for r in responses],
        cafe_id=cafe.id if cafe else None,
        categories=[c.name for c in categories],
        timezone=session.get(Organisation, process.organisation_id).timezone,
    )
    if archive:
        _add_records(session, data, process, cafe, cafe_ids)
    return data


def _themes(session: Session, process: Process, cafe: Cafe | None, cafe_ids: list[int]) -> list[Theme]:
    """A café's own themes; for a process its own themes, or the cafés' themes if it has none."""
    query = select(Theme).where(Theme.process_id == process.id)
    if cafe is not None:
        return list(session.exec(query.where(Theme.cafe_id == cafe.id).order_by(Theme.position, Theme.id)))
    own = list(session.exec(query.where(Theme.cafe_id.is_(None)).order_by(Theme.position, Theme.id)))
    if own:
        return own
    cafe_dates = {c.id: (c.date, c.id) for c in session.exec(select(Cafe).where(Cafe.process_id == process.id))}
    cafe_themes = list(session.exec(query.where(Theme.cafe_id.in_(cafe_ids))))
    return sorted(cafe_themes, key=lambda t: (cafe_dates[t.cafe_id], t.position, t.id))


def _members(session: Session, themes: list[Theme]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {row_id(t): [] for t in themes}
    if members:
        for link in session.exec(select(ThemeNote).where(ThemeNote.theme_id.in_(list(members))).order_by(ThemeNote.note_id)):
            members[link.theme_id].append(link.note_id)
    return members


def _cafes(session: Session, process: Process, cafes: list[Cafe]) -> list[CafeInfo]:
    ids = [c.id for c in cafes]
    phones = dict(session.exec(
        select(Participant.cafe_id, func.count(Participant.id)).where(Participant.cafe_id.in_(ids)).group_by(Participant.cafe_id)
    ).all())
    questions: dict[int, list[str]] = defaultdict(list)
    for round_ in session.exec(select(Round).where(Round.cafe_id.in_(ids)).order_by(Round.number)):
        questions[round_.cafe_id].append(round_.question)
    municipalities = [m.strip() for m in process.municipalities.split(",") if m.strip()]
    return [
        CafeInfo(
            id=c.id, village=c.village, on=c.date, venue=c.venue, tables=c.table_count, phones=phones.get(c.id, 0),
            municipality=c.municipality or (municipalities[0] if len(municipalities) == 1 else ""),
            questions=tuple(questions[c.id]),
        )
        for c in cafes
    ]


def _notes(session: Session, notes: list[Note]) -> list[NoteInfo]:
    cafe_ids = list({n.cafe_id for n in notes})
    tables = dict(session.exec(select(CafeTable.id, CafeTable.number).where(CafeTable.cafe_id.in_(cafe_ids))).all())
    rounds = dict(session.exec(select(Round.id, Round.number).where(Round.cafe_id.in_(cafe_ids))).all())
    return [
        NoteInfo(
            id=n.id, cafe_id=n.cafe_id, table=tables.get(n.table_id, 0), round=rounds.get(n.round_id, 0),
            source=n.source, text=n.public_text, created_at=n.created_at, department=n.department,
        )
        for n in notes
    ]


def _votes(session: Session, cafe_ids: list[int], visible: set[int]) -> list[VoteInfo]:
    rows = session.exec(
        select(Vote.cafe_id, Vote.theme_key, func.sum(Vote.dots), func.count(Vote.id))
        .where(Vote.cafe_id.in_(cafe_ids)).group_by(Vote.cafe_id, Vote.theme_key)
    ).all()
    themes = {(t.cafe_id, t.key): t for t in session.exec(select(Theme).where(Theme.cafe_id.in_(cafe_ids)))}
    members = _members(session, list(themes.values()))
    votes = []
    for cafe_id, key, dots, voters in rows:
        theme = themes.get((cafe_id, key))
        votes.append(VoteInfo(
            cafe_id=cafe_id, theme_key=key, theme_label=theme.label if theme else f"(borttaget tema {key})",
            dots=int(dots), voters=int(voters),
            note_ids=tuple(i for i in members[theme.id] if i in visible) if theme else (),
        ))
    return votes


def _response(r: ThemeResponse) -> ResponseInfo:
    return ResponseInfo(cafe_id=r.cafe_id, theme_key=r.theme_key, status=r.status, text=r.text, at=r.at)


def _add_records(session: Session, data: ExportData, process: Process, cafe: Cafe | None, cafe_ids: list[int]) -> None:
    names = {u.id: u.name or u.email for u in session.exec(select(User).where(User.organisation_id == process.organisation_id))}
    history = select(ThemeResponse).where(ThemeResponse.process_id == process.id)
    curation = select(CurationEvent).where(CurationEvent.process_id == process.id)
    if cafe is not None:
        history = history.where(ThemeResponse.cafe_id == cafe.id)
        curation = curation.where(CurationEvent.cafe_id == cafe.id)
    data.response_history = [_response(r) for r in session.exec(history.order_by(ThemeResponse.id))]
    swedish = translations("sv")  # the exports are in Swedish, the language of the records
    data.curation_log = [
        LogEntry(at=e.at, action=action_name(e.action, swedish.gettext) + (" (ångrat)" if e.undone else ""),
                 detail=describe(e.action, e.detail, swedish.gettext, swedish.ngettext),
                 who=names.get(e.user_id, ""), cafe_id=e.cafe_id)
        for e in session.exec(curation.order_by(CurationEvent.id))
    ]
    moderation = (
        select(ModerationEvent, Note.cafe_id).join(Note, Note.id == ModerationEvent.note_id)
        .where(Note.cafe_id.in_(cafe_ids)).order_by(ModerationEvent.id)
    )
    data.moderation_log = [
        LogEntry(at=e.at, action={"hide": "dold", "unhide": "visas igen", "mask_name": "namn maskerat"}.get(e.action, e.action),
                 who=names.get(e.user_id, ""), cafe_id=cafe_id, note_id=e.note_id)
        for e, cafe_id in session.exec(moderation)
    ]
    if cafe is None:
        data.deletions = [
            LogEntry(at=d.at, action="gallring", detail=f"{d.cafe_description}: {d.note_count} inspel. Beslut: {d.decision}",
                     who=names.get(d.user_id, ""))
            for d in deletions_of(session, process)
        ]


# --- GeoJSON for the plan's GIS -------------------------------------------------------------------

def load_geojson(session: Session, *, process: Process, public: bool) -> tuple[bytes, str]:
    """The process's cafés as GeoJSON points with their counts and their own themes (the
    village's harvest, as on its public page), and a file name. `public`: counts as the public
    pages show them, and only the plan categories a person confirmed."""
    categories = dict(session.exec(select(PlanCategory.id, PlanCategory.name).where(PlanCategory.process_id == process.id)).all())
    responses = current_responses(session, process.id)
    names = municipalities_of(process)
    villages = []
    for figures in cafe_figures(session, process, public=public):
        cafe = figures.cafe
        themes = []
        for theme, notes in figures.themes:
            response = responses.get((cafe.id, theme.key))
            category = categories.get(theme.category_id) if theme.category_confirmed or not public else None
            themes.append(GeoTheme(
                theme.label, notes, category,
                RESPONSE_STATUS.get(response.status, response.status) if response else None,
                response.text if response else None,
            ))
        villages.append(GeoVillage(
            cafe_id=cafe.id, village=cafe.village,
            municipality=cafe.municipality or (names[0] if len(names) == 1 else ""), cafe_date=cafe.date,
            location=(cafe.latitude, cafe.longitude) if cafe.latitude is not None and cafe.longitude is not None else None,
            population=cafe.population, phones=figures.phones, notes=figures.notes, themes=tuple(themes),
        ))
    collection = feature_collection(villages, process_name=process.name, public=public)
    content = json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    filename = f"bykafe-{slugify(process.name)}-{date.today().isoformat()}{'-offentlig' if public else ''}.geojson"
    return content, filename


# --- retention ---------------------------------------------------------------------------------

def deletions_of(session: Session, process: Process) -> list[DeletionRecord]:
    query = select(DeletionRecord).where(DeletionRecord.process_id == process.id)
    return list(session.exec(query.order_by(DeletionRecord.at.desc(), DeletionRecord.id.desc())))


def delete_cafe_data(session: Session, *, user: User, cafe: Cafe, decision: str) -> DeletionRecord:
    """Remove a café and everything recorded in it (notes, phones, votes, themes, logs, the
    municipality's responses to its themes), in one transaction, and record the removal with the
    retention decision it rests on. Raises DeletionRefused without a decision."""
    decision = clean_decision(decision)
    note_ids = list(session.exec(select(Note.id).where(Note.cafe_id == cafe.id)))
    theme_ids = list(session.exec(select(Theme.id).where(Theme.cafe_id == cafe.id)))
    record = DeletionRecord(
        process_id=cafe.process_id, decision=decision, note_count=len(note_ids), user_id=user.id,
        cafe_description=deleted_cafe_description(
            village=cafe.village, municipality=cafe.municipality, venue=cafe.venue, on=cafe.date
        ),
    )
    # Children before parents: PostgreSQL and SQLite (foreign_keys=ON) both check every step.
    if note_ids:
        session.exec(delete(ThemeNote).where(ThemeNote.note_id.in_(note_ids)))  # process themes hold them too
        session.exec(delete(ModerationEvent).where(ModerationEvent.note_id.in_(note_ids)))
    if theme_ids:
        session.exec(delete(ThemeNote).where(ThemeNote.theme_id.in_(theme_ids)))
    session.exec(delete(Vote).where(Vote.cafe_id == cafe.id))
    session.exec(delete(Note).where(Note.cafe_id == cafe.id))
    session.exec(delete(Participant).where(Participant.cafe_id == cafe.id))
    session.exec(delete(Theme).where(Theme.cafe_id == cafe.id))
    session.exec(delete(CurationEvent).where(CurationEvent.cafe_id == cafe.id))
    session.exec(delete(ThemeResponse).where(ThemeResponse.cafe_id == cafe.id))
    session.exec(delete(LiveEvent).where(LiveEvent.cafe_id == cafe.id))
    session.exec(delete(Round).where(Round.cafe_id == cafe.id))
    session.exec(delete(CafeTable).where(CafeTable.cafe_id == cafe.id))
    session.exec(delete(Cafe).where(Cafe.id == cafe.id))
    session.add(record)
    session.commit()
    session.refresh(record)
    return record

