"""Database tables. One class per table; plain columns, no behaviour."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


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
