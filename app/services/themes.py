"""Themes of a café or a whole process: run the engine, curate by hand, undo.

Every curation step stores the scope's themes as they were before it (a snapshot), so undo is
"put the snapshot back" and the log shows who did what, when.
"""

from __future__ import annotations

import json
import secrets
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sqlmodel import Session, delete, select

from app.live import record_event
from app.models import (
    Cafe, CafeTable, CurationEvent, Note, Process, Round, Theme, ThemeNote, ThemeResponse, User, row_id, utcnow,
)
from app.services.curation_log import excerpt, move_detail, run_detail, summary_detail, undo_detail
from facilitation import embeddings, themes as engine
from facilitation.board import check_can_find_themes
from facilitation.labels import still_written
from facilitation.leader_text import check_length
from facilitation.privacy import mask_personal_data, without_placeholders
from facilitation.process import counted_cafes
from facilitation.refusals import Refused


class CurationRefused(Refused):
    pass


SUMMARY_LENGTH = 400  # characters of a summary a leader writes: one or two sentences


@dataclass(frozen=True)
class Scope:
    process_id: int
    cafe_id: int | None = None  # None: the whole process, across villages


@dataclass
class ThemeView:
    theme: Theme
    notes: list[Note]
    keywords: list[str]
    quotes: list[Note]
    by_village: Counter = field(default_factory=Counter)
    by_table: Counter = field(default_factory=Counter)
    by_round: Counter = field(default_factory=Counter)
    votes: int = 0
    log: list[CurationEvent] = field(default_factory=list)


def scope_notes(session: Session, scope: Scope) -> list[Note]:
    query = select(Note).join(Cafe, Cafe.id == Note.cafe_id).where(Note.hidden_at.is_(None))
    if scope.cafe_id is not None:
        query = query.where(Note.cafe_id == scope.cafe_id)
    else:  # across villages: a trial café's test notes make no theme of the process
        cafes = counted_cafes(session.exec(select(Cafe).where(Cafe.process_id == scope.process_id)))
        query = query.where(Note.cafe_id.in_([c.id for c in cafes]))
    return list(session.exec(query.order_by(Note.id)))


def theme_text(note: Note) -> str:
    """What the theme engine reads of a note: its masked text, so no keyword, label or summary
    can carry a phone number or an address, and without the placeholders, which are no topic."""
    return without_placeholders(note.public_text)


def engine_notes(notes: list[Note]) -> list[engine.Note]:
    return [engine.Note(id=n.id, text=theme_text(n), round=n.round_id) for n in notes]


def themes_in(session: Session, scope: Scope) -> list[Theme]:
    query = select(Theme).where(Theme.process_id == scope.process_id, Theme.cafe_id == scope.cafe_id)
    if scope.cafe_id is None:
        query = select(Theme).where(Theme.process_id == scope.process_id, Theme.cafe_id.is_(None))
    return list(session.exec(query.order_by(Theme.position, Theme.id)))


def members_of(session: Session, themes: list[Theme]) -> dict[int, list[int]]:
    ids = [row_id(t) for t in themes]
    members: dict[int, list[int]] = {theme_id: [] for theme_id in ids}
    if ids:
        for link in session.exec(select(ThemeNote).where(ThemeNote.theme_id.in_(ids))):
            members[link.theme_id].append(link.note_id)
    return members


# --- snapshots and the log ------------------------------------------------------------------

# What a person decided about a theme; kept through re-runs (by key), snapshots and undo.
DECISIONS = ("label_is_custom", "summary_is_custom", "pinned", "category_id", "category_confirmed", "department", "public_quotes")
SNAPSHOT_FIELDS = ("key", "label", "keywords", "quotes", "position", *DECISIONS)


def snapshot(session: Session, scope: Scope) -> list[dict]:
    themes = themes_in(session, scope)
    members = members_of(session, themes)
    return [
        # The summary is worked out from the notes (unless a person wrote it: summary_is_custom),
        # so it is kept for undo but not compared.
        {**{name: getattr(t, name) for name in SNAPSHOT_FIELDS}, "summary": t.summary, "members": sorted(members[t.id])}
        for t in themes
    ]


def restore(session: Session, scope: Scope, themes: list[dict]) -> None:
    """Put back themes as a snapshot holds them, keeping what they show to what their notes
    say now: a note hidden or a name masked since stays so."""
    _clear(session, scope)
    visible = _visible_texts(session, scope)
    for item in themes:
        fields = {name: item[name] for name in (*SNAPSHOT_FIELDS, "summary") if name in item}
        theme = Theme(process_id=scope.process_id, cafe_id=scope.cafe_id, **fields)
        session.add(theme)
        session.flush()
        for note_id in item["members"]:
            session.add(ThemeNote(theme_id=theme.id, note_id=note_id))
        session.flush()
        keep_to_visible_notes(session, theme, visible)


def keep_to_visible_notes(session: Session, theme: Theme, visible: list[str] | None = None) -> None:
    """The theme's keywords, label and summary kept to what the visible notes of its café or
    process (`visible`, read if not given) say as others see them (labels.still_written)."""
    if visible is None:
        visible = _visible_texts(session, Scope(theme.process_id, theme.cafe_id))
    keywords, theme.label, summary = still_written(
        json.loads(theme.keywords or "[]"), theme.label, theme.summary or "", visible,
        custom_label=theme.label_is_custom)
    theme.keywords = json.dumps(keywords)
    if not theme.summary_is_custom:  # a summary a person wrote stays as written, as a label does
        theme.summary = summary
    session.add(theme)


def _visible_texts(session: Session, scope: Scope) -> list[str]:
    return [n.public_text or "" for n in scope_notes(session, scope)]


def _clear(session: Session, scope: Scope) -> None:
    old = themes_in(session, scope)
    if old:
        session.exec(delete(ThemeNote).where(ThemeNote.theme_id.in_([t.id for t in old])))
        for theme in old:
            session.delete(theme)
        session.flush()


def _log(session: Session, scope: Scope, user: User | None, action: str, detail: str, before: list[dict]) -> None:
    session.add(
        CurationEvent(
            process_id=scope.process_id, cafe_id=scope.cafe_id, user_id=user.id if user else None,
            action=action, detail=detail, before=json.dumps(before),  # masked, then cut (app/models.py)
        )
    )
    if scope.cafe_id is not None:
        record_event(session, cafe_id=scope.cafe_id, kind="themes", data={"action": action})


def curation_log(session: Session, scope: Scope, limit: int = 50) -> list[CurationEvent]:
    query = select(CurationEvent).where(CurationEvent.process_id == scope.process_id)
    query = query.where(
        CurationEvent.cafe_id == scope.cafe_id if scope.cafe_id is not None else CurationEvent.cafe_id.is_(None)
    )
    return list(session.exec(query.order_by(CurationEvent.id.desc()).limit(limit)))


# --- embeddings -----------------------------------------------------------------------------

def ensure_embeddings(session: Session, notes: list[Note]) -> np.ndarray:
    """Each note is embedded once and the vector kept with it; only new notes cost time.
    The vectors are added to the session; the caller's commit keeps them."""
    backend = embeddings.backend_name()
    if not embeddings.is_storable(backend):
        # The text-only fallback (the model could not load): its vectors depend on all the texts
        # together, so they are worked out for the whole scope on every run and never stored.
        return embeddings.embed_texts([theme_text(n) for n in notes], backend=backend) if notes else np.zeros((0, 0))
    missing = [n for n in notes if n.embedding is None]
    if missing:
        vectors = embeddings.embed_texts([theme_text(n) for n in missing])
        for note, vector in zip(missing, vectors):
            note.embedding = embeddings.vector_to_bytes(vector)
            session.add(note)
    if not notes:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([embeddings.vector_from_bytes(n.embedding) for n in notes])


def embed_pending_notes(session: Session, cafe_id: int, limit: int = embeddings.BATCH_SIZE) -> int:
    """Embed up to `limit` notes of a café that have no vector yet; returns how many."""
    if not embeddings.is_storable(embeddings.backend_name()):
        return 0
    query = select(Note).where(Note.cafe_id == cafe_id, Note.embedding.is_(None)).limit(limit)
    notes = list(session.exec(query))
    ensure_embeddings(session, notes)
    session.commit()
    return len(notes)


# --- running the engine ---------------------------------------------------------------------

def run_themes(session: Session, *, user: User | None, scope: Scope, n_themes: int | None = None,
               confirmed: bool = False) -> list[Theme]:
    """Cluster the scope's visible notes. Pinned themes stay as they are; a theme that is
    essentially the same as before keeps its key, its hand-given name and its place. With
    published answers on the board, only when `confirmed`."""
    notes = scope_notes(session, scope)
    check_can_find_themes(len(notes), published_answers=published_answers(session, scope), confirmed=confirmed)
    vectors = ensure_embeddings(session, notes)
    before = snapshot(session, scope)
    previous = [
        engine.Theme(
            key=item["key"], label=item["label"], keywords=json.loads(item["keywords"] or "[]"),
            members=item["members"], pinned=item["pinned"], label_is_custom=item["label_is_custom"],
            summary=item["summary"], summary_is_custom=item["summary_is_custom"],
        )
        for item in before
    ]
    result = engine.find_themes(
        engine_notes(notes), vectors=vectors, n_themes=n_themes, previous=previous,
    )
    decided = {item["key"]: {name: item[name] for name in DECISIONS} for item in before}
    _clear(session, scope)
    for position, found in enumerate(result.themes):
        theme = _add_theme(
            session, scope, key=found.key, label=found.label, keywords=found.keywords, quote_ids=found.quote_ids,
            members=found.members, pinned=found.pinned, label_is_custom=found.label_is_custom, position=position,
            summary=found.summary, summary_is_custom=found.summary_is_custom,
        )
        for name, value in decided.get(found.key, {}).items():
            if name not in ("pinned", "label_is_custom", "summary_is_custom"):  # the engine already applied these
                setattr(theme, name, value)
    detail = run_detail(themes=len(result.themes), other=len(result.other), asked=n_themes)
    _log(session, scope, user, "run", detail, before)
    session.commit()
    return themes_in(session, scope)


def published_answers(session: Session, scope: Scope) -> int:
    """How many of the board's themes have an answer the public dashboard shows now."""
    process = session.get(Process, scope.process_id)
    keys = [t.key for t in themes_in(session, scope)]
    if not process.published or not keys:
        return 0
    query = select(ThemeResponse.theme_key).where(
        ThemeResponse.process_id == scope.process_id, ThemeResponse.theme_key.in_(keys),
        ThemeResponse.cafe_id == scope.cafe_id if scope.cafe_id is not None else ThemeResponse.cafe_id.is_(None),
    )
    return len(set(session.exec(query)))


def _add_theme(session, scope, *, key, label, keywords, quote_ids, members, pinned, label_is_custom, position,
               summary="", summary_is_custom=False) -> Theme:
    theme = Theme(
        process_id=scope.process_id, cafe_id=scope.cafe_id, key=key, label=label[:200],
        label_is_custom=label_is_custom, keywords=json.dumps(list(keywords)), quotes=json.dumps(list(quote_ids)),
        pinned=pinned, position=position, updated_at=utcnow(), summary=summary, summary_is_custom=summary_is_custom,
    )
    session.add(theme)
    session.flush()
    for note_id in members:
        session.add(ThemeNote(theme_id=theme.id, note_id=int(note_id)))
    return theme


def _theme_in_scope(session: Session, scope: Scope, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None or theme.process_id != scope.process_id or theme.cafe_id != scope.cafe_id:
        raise CurationRefused("unknown_theme")
    return theme


# --- curation -------------------------------------------------------------------------------

def rename_theme(session: Session, *, user: User, scope: Scope, theme_id: int, label: str) -> Theme:
    label = " ".join(label.split())
    if not label or len(label) > 200:
        raise CurationRefused("bad_label")
    theme = _theme_in_scope(session, scope, theme_id)
    before = snapshot(session, scope)
    old = theme.label
    theme.label, theme.label_is_custom, theme.updated_at = label, True, utcnow()
    session.add(theme)
    _log(session, scope, user, "rename", f"{old} → {label}", before)
    session.commit()
    return theme


def write_summary(session: Session, *, user: User, scope: Scope, theme_id: int, summary: str) -> Theme:
    """The leader's own summary of a theme, kept through re-runs as a custom label is; an empty
    one gives the theme back the summary worked out from its notes. Masked as it is stored."""
    summary = " ".join(summary.split())
    theme = _theme_in_scope(session, scope, theme_id)
    if not theme.summary_is_custom and summary == " ".join(theme.summary.split()):
        # The notes' summary saved as the form showed it stays theirs (whatever its length):
        # hiding a note it quotes must still take that out of every page.
        return theme
    check_length(summary, limit=SUMMARY_LENGTH, code="summary_too_long")
    before = snapshot(session, scope)
    if summary:
        theme.summary, theme.summary_is_custom = summary, True
    else:
        theme.summary_is_custom = False
        theme.summary = _described(session, scope, theme).summary
    theme.updated_at = utcnow()
    session.add(theme)
    # Masked before it is cut: a number cut in half ("070-123…") is no longer found by the mask.
    _log(session, scope, user, "summary", summary_detail(
        theme=theme.label, summary=excerpt(mask_personal_data(summary), 150) if summary else None), before)
    session.commit()
    return theme


def merge_themes(session: Session, *, user: User, scope: Scope, theme_id: int, other_id: int) -> Theme:
    if theme_id == other_id:
        raise CurationRefused("same_theme")
    keep, other = _theme_in_scope(session, scope, theme_id), _theme_in_scope(session, scope, other_id)
    before = snapshot(session, scope)
    links = list(session.exec(select(ThemeNote).where(ThemeNote.theme_id == other.id)))
    for link in links:
        session.delete(link)
    session.flush()
    for link in links:
        session.add(ThemeNote(theme_id=keep.id, note_id=link.note_id))
    session.delete(other)
    session.flush()
    _redescribe(session, scope, keep)
    keep.updated_at = utcnow()
    session.add(keep)
    _log(session, scope, user, "merge", f"{other.label} → {keep.label}", before)
    session.commit()
    return keep


def _redescribe(session: Session, scope: Scope, theme: Theme) -> None:
    """New keywords, quotes and (unless a person wrote them) label and summary for a theme whose notes changed,
    worked out against the scope's other themes so the keywords still set it apart."""
    fresh = _described(session, scope, theme)
    theme.label, theme.keywords, theme.quotes = fresh.label[:200], json.dumps(fresh.keywords), json.dumps(fresh.quote_ids)
    theme.summary = fresh.summary


def _described(session: Session, scope: Scope, theme: Theme) -> engine.Theme:
    """`theme` as the engine describes it from its notes now, next to the scope's other themes
    (its name and summary as a person wrote them, if one did)."""
    themes = themes_in(session, scope)
    members = members_of(session, themes)
    notes = scope_notes(session, scope)
    vectors = ensure_embeddings(session, notes)
    described = engine.describe_themes(
        [engine.Theme(key=t.key, label=t.label, keywords=[], members=members[t.id], label_is_custom=t.label_is_custom,
                      summary=t.summary, summary_is_custom=t.summary_is_custom)
         for t in themes],
        engine_notes(notes),
        vectors,
    )
    return next(d for t, d in zip(themes, described) if t.id == theme.id)


def split_theme(session: Session, *, user: User, scope: Scope, theme_id: int, parts: int = 2) -> list[Theme]:
    theme = _theme_in_scope(session, scope, theme_id)
    note_ids = members_of(session, [theme])[theme.id]
    if len(note_ids) < 2 * parts or not 2 <= parts <= 6:
        raise CurationRefused("too_small_to_split")
    notes = list(session.exec(select(Note).where(Note.id.in_(note_ids)).order_by(Note.id)))
    vectors = ensure_embeddings(session, notes)
    whole = engine.Theme(key=theme.key, label=theme.label, keywords=[], members=[row_id(n) for n in notes])
    pieces = engine.split_theme(whole, engine_notes(notes), vectors=vectors, parts=parts)
    before = snapshot(session, scope)
    session.exec(delete(ThemeNote).where(ThemeNote.theme_id == theme.id))
    position = theme.position
    session.delete(theme)
    session.flush()
    created = [
        _add_theme(
            session, scope, key=secrets.token_hex(6), label=piece.label, keywords=piece.keywords,
            quote_ids=piece.quote_ids, members=piece.members, pinned=False, label_is_custom=False,
            position=position, summary=piece.summary,
        )
        for piece in pieces
    ]
    _log(session, scope, user, "split", f"{theme.label} → " + " | ".join(t.label for t in created), before)
    session.commit()
    return created


def move_note(session: Session, *, user: User, scope: Scope, note_id: int, theme_id: int | None) -> None:
    """Move a note to another theme, or to "other" (theme_id None)."""
    note = session.get(Note, note_id)
    if note is None or note.id not in {n.id for n in scope_notes(session, scope)}:
        raise CurationRefused("unknown_note")
    target = _theme_in_scope(session, scope, theme_id) if theme_id is not None else None
    before = snapshot(session, scope)
    themes = themes_in(session, scope)
    session.exec(
        delete(ThemeNote).where(ThemeNote.note_id == note.id, ThemeNote.theme_id.in_([t.id for t in themes]))
    )
    if target is not None:
        session.add(ThemeNote(theme_id=target.id, note_id=note.id))
    detail = move_detail(note=excerpt(note.public_text, 60), theme=target.label if target else None)
    _log(session, scope, user, "move", detail, before)
    session.commit()


def set_pinned(session: Session, *, user: User, scope: Scope, theme_id: int, pinned: bool) -> Theme:
    theme = _theme_in_scope(session, scope, theme_id)
    before = snapshot(session, scope)
    theme.pinned = pinned
    session.add(theme)
    _log(session, scope, user, "pin" if pinned else "unpin", theme.label, before)
    session.commit()
    return theme


def delete_theme(session: Session, *, user: User, scope: Scope, theme_id: int) -> None:
    """Delete a theme; its notes go back to "other", from where a re-run places them again."""
    theme = _theme_in_scope(session, scope, theme_id)
    before = snapshot(session, scope)
    session.exec(delete(ThemeNote).where(ThemeNote.theme_id == theme.id))
    session.delete(theme)
    _log(session, scope, user, "delete", theme.label, before)
    session.commit()


def undoable_step(session: Session, scope: Scope) -> CurationEvent | None:
    """The step Undo would take back: the newest not yet undone; None when there is none, or it
    cannot be (steps imported from a bundle carry no snapshot)."""
    step = next((e for e in curation_log(session, scope, limit=500) if e.action != "undo" and not e.undone), None)
    return step if step is not None and step.before else None


def undo(session: Session, *, user: User, scope: Scope) -> CurationEvent:
    """Undo the newest step not yet undone, by putting back the themes as they were before it."""
    step = undoable_step(session, scope)
    if step is None:
        raise CurationRefused("nothing_to_undo")
    before = snapshot(session, scope)
    restore(session, scope, json.loads(step.before or "[]"))
    step.undone = True
    session.add(step)
    _log(session, scope, user, "undo", undo_detail(action=step.action, detail=step.detail), before)
    session.commit()
    return step


# --- what the screens show ------------------------------------------------------------------

def theme_views(session: Session, scope: Scope, vote_totals: dict[str, int] | None = None) -> tuple[list[ThemeView], list[Note]]:
    """Themes with their notes, counts per village, table and round, votes; and the "other" notes."""
    themes = themes_in(session, scope)
    members = members_of(session, themes)
    notes = {n.id: n for n in scope_notes(session, scope)}
    cafes = {c.id: c for c in session.exec(select(Cafe).where(Cafe.process_id == scope.process_id))}
    tables = {t.id: t.number for t in session.exec(select(CafeTable).where(CafeTable.cafe_id.in_(list(cafes))))}
    rounds = {r.id: r.number for r in session.exec(select(Round).where(Round.cafe_id.in_(list(cafes))))}
    views: list[ThemeView] = []
    placed: set[int] = set()  # ids of the notes in some theme
    for theme in themes:
        theme_notes = [notes[i] for i in members[theme.id] if i in notes]
        placed.update(row_id(n) for n in theme_notes)
        quote_ids = json.loads(theme.quotes or "[]")
        views.append(
            ThemeView(
                theme=theme,
                notes=theme_notes,
                keywords=json.loads(theme.keywords or "[]"),
                quotes=[notes[i] for i in quote_ids if i in notes],
                by_village=Counter(cafes[n.cafe_id].village for n in theme_notes),
                by_table=Counter(tables.get(n.table_id) for n in theme_notes),
                by_round=Counter(rounds.get(n.round_id) for n in theme_notes),
                votes=(vote_totals or {}).get(theme.key, 0),
            )
        )
    other = [n for i, n in notes.items() if i not in placed]
    return views, other
