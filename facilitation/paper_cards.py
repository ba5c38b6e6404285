"""Paper cards that a table host types in after a round: the rows of the form, read.

The form has eight rows of (text, round, id); the host fills some of them. Each card keeps the
round it was written in, so a tablecloth typed up the next morning still answers its question."""

from __future__ import annotations

from dataclasses import dataclass

from facilitation.process import MAX_ROUNDS


@dataclass(frozen=True)
class CardRow:
    text: str
    round: str  # as typed: given back in the form when the card is refused
    round_number: int | None  # None: no round of a café has this number
    client_id: str


def card_rows(texts: list, rounds: list, ids: list) -> list[CardRow]:
    """The rows with something written, in order; an empty row is a card not used. A value that is
    not text (a file in a crafted form) counts as empty."""
    return [
        CardRow(text, _text(round_), round_number(round_), _text(client_id))
        for text, round_, client_id in zip(texts, rounds, ids)
        if isinstance(text, str) and text.strip()
    ]


def round_number(typed: object) -> int | None:
    """The round a card names: its number in plain digits, 1 to MAX_ROUNDS."""
    if not isinstance(typed, str) or not (typed.isascii() and typed.isdigit()) or len(typed) > 3:
        return None
    number = int(typed)
    return number if 1 <= number <= MAX_ROUNDS else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
