"""Text a process leader writes for others to read: a theme's name and summary, the
municipality's response, names of processes, cafés and plan categories, round questions.

It is cleaned as a note is, and more strictly: it is published in the municipality's name, so
no character that nobody sees may stay in it, not even a direction mark (a note keeps those for
mixed Arabic and Swedish). A right-to-left mark shows the groups of a number after it in
another order than they were typed, and a soft hyphen or zero-width space inside a number or a
name hides it from a search.

Names of persons in it are found for the leader to check, never masked by themselves: the
name of a councillor or an association may belong there, and only the leader can tell.
"""

from __future__ import annotations

import re
import unicodedata

from facilitation.names import find_names
from facilitation.refusals import Refused

# Dropped: control characters other than tab and line feed, lone surrogates (they cannot be
# stored), and every invisible character that reorders the text around it or hides what it
# stands in: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width space,
# left-to-right and right-to-left marks, bidi embeddings, overrides and isolates, word joiner
# and invisible operators, deprecated format characters, byte order mark. The zero-width
# joiner and non-joiner stay: emoji and Persian words are written with them.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
    "\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
_LINE_BREAK = re.compile("\r\n|[\r\u2028\u2029]")


class TooLong(Refused):
    """Text longer than its field takes; `over` says by how many characters, for the message."""

    def __init__(self, code: str, *, over: int):
        super().__init__(code)
        self.over = over


def clean_leader_text(text: str) -> str:
    """`text` as it is stored: NFC-normalised (so "å" typed two ways is one letter), line
    breaks as "\\n", without the characters above. Spaces are the field's business."""
    return _INVISIBLE.sub("", _LINE_BREAK.sub("\n", unicodedata.normalize("NFC", text)))


def check_length(text: str, *, limit: int, code: str) -> str:
    """`text` if it is at most `limit` characters, else TooLong(`code`)."""
    if len(text) > limit:
        raise TooLong(code, over=len(text) - limit)
    return text


def names_in(text: str) -> list[str]:
    """The names of persons `text` seems to mention (facilitation/names.py), each once, in
    order: for the leader to check before the text is published."""
    return list(dict.fromkeys(name.text for name in find_names(text)))
