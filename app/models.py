"""Database tables. One class per table; plain columns. At the end, the one step that masks
personal data in text as it is stored (facilitation/privacy.py decides what is masked)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from facilitation.privacy import mask_personal_data


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Row(Protocol):
    id: int | None


def row_id(row: _Row) -> int:
    """The id of a row loaded from the database or flushed to it. SQLModel types every id as
    `int | None` because a new row has none until it is flushed."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: add it and flush the session first")
    return row.id


def public_text(note: Note) -> str:
    """A stored note's text as all but the leader's moderation view see it. The database fills it
    in as the note is stored (the column's default masks `text`), so only a new note lacks it."""
    if note.public_text is None:
        raise ValueError("a note has no public text until it is stored")
    return note.public_text


def _masked_note_text(context) -> str:
    return mask_personal_data(context.get_current_parameters()["text"])


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    timezone: str = Field(default="Europe/Stockholm", max_length=64)  # every screen and export shows this clock


class User(SQLModel, table=True):
    """A process leader (or planner) who logs in."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(default="", max_length=200)
    password_hash: str
    created_at: datetime = Field(default_factory=utcnow)


class SetupLink(SQLModel, table=True):
    """A one-time link to create the first leader account; only the token's hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class Process(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    municipalities: str = Field(default="", max_length=500)  # comma-separated, for joint processes
    plan: str = Field(default="", max_length=300)
    participation_level: str = Field(default="consultation", max_length=20)
    description: str = Field(default="", max_length=2000)
    published: bool = False  # the public feedback dashboard is visible
    created_at: datetime = Field(default_factory=utcnow)
    language: str = Field(default="sv", max_length=8)  # of the wall and the printed cards


class Cafe(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True)
    village: str = Field(max_length=200)
    municipality: str = Field(default="", max_length=200)  # in a joint process: whose village
    venue: str = Field(default="", max_length=200)
    date: date
    table_count: int
    phase: str = Field(default="draft", max_length=10)
    current_round: int | None = None
    rounds_done: int = 0
    round_ends_at: datetime | None = None
    vote_open: bool = False
    vote_dots: int = 3
    created_at: datetime = Field(default_factory=utcnow)
    reopened_until: datetime | None = None  # a closed café reopened for the vote or late paper cards
    trial: bool = False  # a test run: left out of public statistics and exports unless asked for
    # Where the village is (WGS 84, for the public map and the plan's GIS) and how many live
    # there (for reach: phones as a share of the population). Optional.
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None


class Round(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("cafe_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    cafe_id: int = Field(foreign_key="cafe.id", index=True)
    number: int
    question: str = Field(max_length=500)
    minutes: int
    started_at: datetime | None = None
    ended_at: datetime | None = None


class CafeTable(SQLModel, table=True):
    __tablename__ = "cafe_table"
    __table_args__ = (UniqueConstraint("cafe_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    cafe_id: int = Field(foreign_key="cafe.id", index=True)
    number: int
    join_token: str = Field(max_length=64, unique=True)  # in the QR code
    short_code: str = Field(max_length=12, unique=True)  # typed by phones that cannot scan
    host_token: str = Field(max_length=64, unique=True)  # the table host's link


class Participant(SQLModel, table=True):
    """A phone in one café. `pseudonym` is what notes carry; it means nothing outside the café."""

    __table_args__ = (UniqueConstraint("cafe_id", "device_key"),)

    id: int | None = Field(default=None, primary_key=True)
    cafe_id: int = Field(foreign_key="cafe.id", index=True)
    device_key: str = Field(max_length=64)
    pseudonym: str = Field(max_length=16)
    table_id: int = Field(foreign_key="cafe_table.id")
    joined_at: datetime = Field(default_factory=utcnow)


class Note(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("cafe_id", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cafe_id: int = Field(foreign_key="cafe.id", index=True)
    table_id: int = Field(foreign_key="cafe_table.id", index=True)
    round_id: int = Field(foreign_key="round.id", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id")
    device_pseudonym: str | None = Field(default=None, max_length=16)
    source: str = Field(max_length=10)  # "phone" or "host"
    client_id: str = Field(max_length=64)
    text: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    hidden_at: datetime | None = None
    hidden_by_id: int | None = Field(default=None, foreign_key="user.id")
    department: str | None = Field(default=None, max_length=200)  # not physical planning: pass it on here
    embedding: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    # What everyone but the leader's moderation view is shown and sent: `text` with personal data
    # masked, worked out by the database layer on every insert, however the note comes in.
    public_text: str | None = Field(default=None, sa_column=Column(Text, default=_masked_note_text))


class ModerationEvent(SQLModel, table=True):
    """Every hide and unhide, so moderation can be accounted for."""

    __tablename__ = "moderation_event"

    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(foreign_key="note.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    action: str = Field(max_length=10)  # "hide" or "unhide"
    at: datetime = Field(default_factory=utcnow)


class Theme(SQLModel, table=True):
    """A theme of one café (the evening's harvest) or of a whole process (the planner's view)."""

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True)
    cafe_id: int | None = Field(default=None, foreign_key="cafe.id", index=True)  # None: process scope
    key: str = Field(max_length=32)  # stays the same across re-runs while the theme is essentially the same
    label: str = Field(max_length=200)
    label_is_custom: bool = False  # renamed by a person: a re-run keeps the name
    keywords: str = Field(default="")  # JSON list
    quotes: str = Field(default="")  # JSON list of note ids
    pinned: bool = False
    position: int = 0
    category_id: int | None = Field(default=None, foreign_key="plan_category.id")
    category_confirmed: bool = False  # False: suggested from the content, not yet checked by a person
    department: str | None = Field(default=None, max_length=200)  # not physical planning: pass it on here
    public_quotes: str = Field(default="")  # JSON list of note ids a leader approved for public pages
    updated_at: datetime = Field(default_factory=utcnow)
    summary: str = Field(default="")  # one or two sentences from the theme's (masked) notes
    summary_is_custom: bool = False  # written by a person: a re-run keeps it, as a custom label


class ThemeNote(SQLModel, table=True):
    __tablename__ = "theme_note"

    theme_id: int = Field(foreign_key="theme.id", primary_key=True)
    note_id: int = Field(foreign_key="note.id", primary_key=True, index=True)


class CurationEvent(SQLModel, table=True):
    """One step of theme curation (a run, rename, merge, split, move, pin, delete, undo).

    `before` holds the scope's themes as they were, so the step can be undone."""

    __tablename__ = "curation_event"

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True)
    cafe_id: int | None = Field(default=None, foreign_key="cafe.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=20)
    detail: str = Field(default="", max_length=500)
    before: str = Field(default="")  # JSON snapshot
    undone: bool = False
    at: datetime = Field(default_factory=utcnow)


class Vote(SQLModel, table=True):
    """Dots a phone placed on a theme in the harvest."""

    __table_args__ = (UniqueConstraint("participant_id", "theme_key"),)

    id: int | None = Field(default=None, primary_key=True)
    cafe_id: int = Field(foreign_key="cafe.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")
    theme_key: str = Field(max_length=32)
    dots: int


class LiveEvent(SQLModel, table=True):
    """What live screens are told (a note, a round started...), written in the same transaction
    as the change itself. Its id is the SSE event id: a screen that reconnects with
    Last-Event-ID is sent what it missed, from any app process."""

    __tablename__ = "live_event"

    id: int | None = Field(default=None, primary_key=True)
    cafe_id: int = Field(foreign_key="cafe.id", index=True)
    kind: str = Field(max_length=20)
    table_id: int | None = None  # for events that concern one table only
    data: str = ""  # JSON
    at: datetime = Field(default_factory=utcnow)


class PlanCategory(SQLModel, table=True):
    """A heading of the plan (boende, kommunikationer...) that themes are sorted under."""

    __tablename__ = "plan_category"

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True)
    name: str = Field(max_length=200)
    position: int = 0


class ThemeResponse(SQLModel, table=True):
    """The municipality's answer to a theme. Rows are only added: the newest is the answer, the
    rest its history."""

    __tablename__ = "theme_response"

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True)
    cafe_id: int | None = Field(default=None, foreign_key="cafe.id")
    theme_key: str = Field(max_length=32, index=True)
    status: str = Field(max_length=20)  # received, looking_into, in_plan, not_in_plan
    text: str = Field(default="", max_length=2000)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)


class DeletionRecord(SQLModel, table=True):
    """A café's data removed under a retention decision (gallringsbeslut): what, by whom, why."""

    __tablename__ = "deletion_record"

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True)
    cafe_description: str = Field(max_length=500)
    decision: str = Field(max_length=500)
    note_count: int
    user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)


class LoginSession(SQLModel, table=True):
    """A leader's logged-in browser. The session cookie carries the key; only its hash is kept,
    so logging out (this row deleted) ends the session even if someone copied the cookie."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    key_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class ApiKey(SQLModel, table=True):
    """An organisation's key for the read API (/api/v1/org/...), for one of its systems.
    Only the key's hash is kept; the key itself is shown once, when it is made."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)  # which system uses it, e.g. "Ärendesystemet"
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # the key's first characters, to tell keys apart
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class RateBucket(SQLModel, table=True):
    """A token bucket per phone, shared by all app processes on one database (app/shared_limiter.py)."""

    __tablename__ = "rate_bucket"

    key: str = Field(max_length=80, primary_key=True)
    tokens: float
    at: float  # seconds since the epoch when `tokens` was counted
    allowed: bool  # whether the last post was let through


# Text a leader writes for the public, and the curation log that quotes notes and labels, is
# masked in place when it is stored, so that pages, phones and exports all read masked text (and
# the leader sees at once what will be shown). Masked first, then cut to the column's length, so
# a cut address cannot slip past the mask. Mapper events, not attribute events: SQLModel writes an
# attribute's raw value after SQLAlchemy's.
MASKED_ON_WRITE = {
    Process: ("name", "municipalities", "plan", "description"), Cafe: ("village", "venue"), Round: ("question",),
    Note: ("department", "public_text"), Theme: ("label", "department", "summary"),
    PlanCategory: ("name",), ThemeResponse: ("text",), CurationEvent: ("detail",),
    DeletionRecord: ("cafe_description", "decision"),
}


def _mask_on_write(_mapper, _connection, target) -> None:
    for name in MASKED_ON_WRITE[type(target)]:
        value = getattr(target, name)
        if not isinstance(value, str):
            continue
        masked = mask_personal_data(value)[: type(target).__table__.c[name].type.length]
        if masked != value:
            setattr(target, name, masked)


for _model in MASKED_ON_WRITE:
    event.listen(_model, "before_insert", _mask_on_write)
    event.listen(_model, "before_update", _mask_on_write)
