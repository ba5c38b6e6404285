"""Rules for a note: what of its text is kept, what is refused, and whether it can be stored."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from facilitation.phases import CafeState, Phase, PhaseError, check_can_post_note
from facilitation.ratelimit import RateLimiter

from facilitation.refusals import Refused

MAX_NOTE_LENGTH = 1000
MAX_CLIENT_ID_LENGTH = 64

# Dropped: control characters other than line breaks and tabs, lone surrogates (they cannot be
# stored), and the invisible characters that reorder or hide text (bidi embeddings, overrides and
# isolates, zero-width space, byte order mark). Other format characters are part of what people
# write and stay: joiners in emoji and in Persian or Indic words, direction marks in mixed Arabic
# and Swedish, the tags of a regional flag. Unassigned code points stay too: they are characters
# newer than Python's Unicode tables, such as this year's emoji.
_DROPPED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # control characters (Cc) but tab and line feed
    "\ud800-\udfff"  # lone surrogates (Cs)
    "\u200b\u202a-\u202e\u2066-\u2069\ufeff]"  # zero-width space, bidi embeddings and isolates, BOM
)
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

# A closed café still takes paper cards (a host's notes that name their round) for this long after
# its last round ended: the tablecloths can be typed up the next morning, or after a weekend, but
# the record of a closed café does not keep changing for ever.
PAPER_CARDS_AFTER_CLOSING = timedelta(days=3)


class NoteRejected(Refused):
    """A note that cannot be stored; `code` names why, for a message in the user's language."""


def drop_hidden_characters(text: str) -> str:
    """The text without the characters above (a leader's text drops more: facilitation/leader_text.py)."""
    return _DROPPED.sub("", text)


def clean_note_text(raw: object) -> str:
    """Return the note as it will be stored, or raise NoteRejected.

    The text is NFC-normalised (so "å" typed two ways is one letter), stripped of control
    characters, with runs of blank lines collapsed and whitespace trimmed. HTML is kept as text:
    escaping happens where it is shown, never by altering what a person wrote.
    """
    if not isinstance(raw, str):
        raise NoteRejected("not_text")
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = drop_hidden_characters(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text):  # nothing visible
        raise NoteRejected("empty")
    if len(text) > MAX_NOTE_LENGTH:
        raise NoteRejected("too_long")
    return text


def paper_cards_accepted(*, last_round_ended_at: datetime | None, now: datetime) -> bool:
    """Whether a closed café still takes paper cards."""
    return last_round_ended_at is not None and now - last_round_ended_at <= PAPER_CARDS_AFTER_CLOSING


def clean_client_id(raw: object) -> str:
    """A note's id made on the phone: letters, digits, '-' and '_', 8 to 64 long."""
    if not isinstance(raw, str) or not _CLIENT_ID.match(raw.strip()):
        raise NoteRejected("bad_client_id")
    return raw.strip()


def new_client_id() -> str:
    return uuid.uuid4().hex


# --- whether a note can be stored ----------------------------------------------------------------

class RoundTimes(Protocol):
    started_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class EarlierNote:
    """A note stored (or sent earlier in the same batch) under the client id a new one brings."""

    participant_id: int | None
    source: str  # "phone" or "host"
    table_id: int


@dataclass(frozen=True, slots=True)
class IncomingNote:
    """One note as it arrives, with what the database knows about where it is going."""

    client_id: object
    text: object
    by_host: bool  # typed by the table host, with the host's token
    round_number: int | None = None  # a host's paper card names its round; else the running round
    table_id: int | None = None  # None: the token names no table
    token_is_hosts: bool = False  # the token is the table's host token, not its join token
    device_key: str | None = None  # the phone's anonymous key
    phone_id: int | None = None  # the phone's participant id in this café (None: unknown here)
    seated_at: int | None = None  # the table the phone sits at now
    earlier: EarlierNote | None = None
    cafe: CafeState | None = None  # set whenever table_id is
    rounds: Mapping[int, RoundTimes] = field(default_factory=dict)  # the café's rounds by number


@dataclass(frozen=True, slots=True)
class NoteVerdict:
    error: str | None = None  # why the note is not stored: a code for a message
    repeat: bool = False  # the same sender sent it before: answer with the stored note
    round_number: int | None = None  # a new note: the round it belongs to
    text: str = ""  # a new note: its text as stored


def sent_by(earlier: EarlierNote, *, phone_id: int | None, table_id: int) -> bool:
    """Whether the earlier note came from this phone, or (phone_id None) from this table's host."""
    if phone_id is not None:
        return earlier.participant_id == phone_id
    return earlier.source == "host" and earlier.table_id == table_id


def check_note(note: IncomingNote, *, limiter: RateLimiter | None, clock: float, now: datetime) -> NoteVerdict:
    """Why a note cannot be stored, that it repeats one stored before, or its round and text.

    The checks run in this order, so a retry is answered before the rate limit counts it, and
    another phone's note id gives nothing of that note away. `clock` is the limiter's clock."""
    try:
        clean_client_id(note.client_id)
    except NoteRejected as rejected:
        return NoteVerdict(error=rejected.code)
    if note.table_id is None or note.cafe is None or note.token_is_hosts != note.by_host:
        return NoteVerdict(error="not_found")
    if note.by_host:
        sender = f"host-{note.table_id}"
    elif note.device_key is not None and note.phone_id is not None and note.seated_at == note.table_id:
        sender = note.device_key
    else:
        return NoteVerdict(error="not_at_table")
    if note.earlier is not None:
        if not sent_by(note.earlier, phone_id=None if note.by_host else note.phone_id, table_id=note.table_id):
            return NoteVerdict(error="client_id_taken")  # another phone's note: neither stored nor shown
        return NoteVerdict(repeat=True)
    if limiter is not None and not limiter.allow(sender, clock):
        return NoteVerdict(error="rate_limited")
    try:
        text = clean_note_text(note.text)
    except NoteRejected as rejected:
        return NoteVerdict(error=rejected.code)
    cafe = note.cafe
    if note.round_number is None:
        try:
            check_can_post_note(cafe)
        except PhaseError as error:
            return NoteVerdict(error=error.code)
        return NoteVerdict(round_number=cafe.current_round, text=text)
    if cafe.phase == Phase.DRAFT:
        return NoteVerdict(error="cafe_not_open")
    if cafe.phase == Phase.CLOSED:
        ended = [r.ended_at for r in note.rounds.values() if r.ended_at is not None]
        if not paper_cards_accepted(last_round_ended_at=max(ended, default=None), now=now):
            return NoteVerdict(error="paper_cards_too_late")
    round_ = note.rounds.get(note.round_number)
    if round_ is None or round_.started_at is None:
        return NoteVerdict(error="round_not_started")
    return NoteVerdict(round_number=note.round_number, text=text)
