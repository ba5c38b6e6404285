"""Rules for the text of a note: what is kept, what is refused."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import datetime, timedelta

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
    """The text without the characters above: for every field a person types, not only notes."""
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
