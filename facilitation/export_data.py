"""What goes into an export: plain objects a loader fills from the database (ExportData).

Hidden notes are not in it at all, and every text in it is already masked (facilitation/exports.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from facilitation.clock import DEFAULT_TIMEZONE


@dataclass(frozen=True)
class ProcessInfo:
    id: int
    name: str
    municipalities: str = ""
    plan: str = ""
    participation_level: str = "consultation"
    description: str = ""


@dataclass(frozen=True)
class CafeInfo:
    id: int
    village: str
    on: date
    municipality: str = ""
    venue: str = ""
    tables: int = 0
    phones: int = 0  # phones that joined: the closest count of participants we have
    questions: tuple[str, ...] = ()  # round 1, 2, ...


@dataclass(frozen=True)
class NoteInfo:
    id: int
    cafe_id: int
    table: int
    round: int
    source: str  # "phone" or "host"
    text: str  # the note's public text: personal data already masked
    created_at: datetime
    department: str | None = None  # not physical planning: pass on to this department


@dataclass(frozen=True)
class ThemeInfo:
    key: str
    cafe_id: int | None  # None: a theme of the whole process
    label: str
    keywords: tuple[str, ...] = ()
    note_ids: tuple[int, ...] = ()
    quote_ids: tuple[int, ...] = ()
    category: str | None = None
    category_confirmed: bool = False
    department: str | None = None
    summary: str = ""  # one or two sentences from the theme's notes (or the leader's own words)
    public_quote_ids: tuple[int, ...] = ()  # quotes a leader approved for public pages

    @property
    def ref(self) -> tuple[int | None, str]:
        return (self.cafe_id, self.key)


@dataclass(frozen=True)
class VoteInfo:
    """The dots one café's harvest gave one of its themes."""

    cafe_id: int
    theme_key: str
    theme_label: str
    dots: int
    voters: int
    note_ids: tuple[int, ...] = ()  # the café theme's notes, to find it among process themes


@dataclass(frozen=True)
class ResponseInfo:
    cafe_id: int | None
    theme_key: str
    status: str
    text: str
    at: datetime


@dataclass(frozen=True)
class LogEntry:
    """One line of a record log (curation, moderation, deletions) for the archive."""

    at: datetime
    action: str
    detail: str = ""
    who: str = ""
    cafe_id: int | None = None
    note_id: int | None = None


@dataclass
class ExportData:
    process: ProcessInfo
    cafes: list[CafeInfo]
    themes: list[ThemeInfo]
    notes: list[NoteInfo]  # visible notes only
    votes: list[VoteInfo] = field(default_factory=list)
    responses: list[ResponseInfo] = field(default_factory=list)  # the current answer per theme
    generated_on: date = field(default_factory=date.today)
    cafe_id: int | None = None  # set when the export is of one café
    categories: list[str] = field(default_factory=list)  # the process's plan categories, in order
    timezone: str = DEFAULT_TIMEZONE  # the organisation's: times are shown as its screens show them
    # For the archive only:
    response_history: list[ResponseInfo] = field(default_factory=list)
    curation_log: list[LogEntry] = field(default_factory=list)
    moderation_log: list[LogEntry] = field(default_factory=list)
    deletions: list[LogEntry] = field(default_factory=list)
