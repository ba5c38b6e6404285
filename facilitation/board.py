"""What the theme board offers a leader. A button is shown only where pressing it can do
something, and the server refuses the same things with a message of its own (a page may be old,
or the form sent without it)."""

from __future__ import annotations

from dataclasses import dataclass

from facilitation.refusals import Refused


class BoardRefused(Refused):
    pass


def check_can_find_themes(note_count: int, *, published_answers: int = 0, confirmed: bool = False) -> None:
    """Themes are found in the notes: with none there is nothing to find (and nothing to log).
    Finding them again may move an answered theme's notes, or drop the theme, and a published
    dashboard shows that at once: with published answers the leader confirms first (Undo can
    still put the themes back)."""
    if note_count == 0:
        raise BoardRefused("no_notes_yet")
    if published_answers and not confirmed:
        raise BoardRefused("confirm_rerun")


def check_can_open_vote(*, theme_count: int, phones_can_join: bool) -> None:
    """The harvest vote is on the café's themes, by the phones in the room: it needs themes, and
    a café phones can join (open, or closed and reopened for the vote)."""
    if theme_count == 0:
        raise BoardRefused("no_themes")
    if not phones_can_join:
        raise BoardRefused("vote_cafe_not_open")


@dataclass(frozen=True)
class BoardOffers:
    find_themes: bool
    undo: bool
    vote_refused: str | None  # why the vote cannot be opened (a refusal code); None: it can

    @property
    def open_vote(self) -> bool:
        return self.vote_refused is None


def board_offers(*, note_count: int, theme_count: int, undoable: bool, phones_can_join: bool) -> BoardOffers:
    try:
        check_can_open_vote(theme_count=theme_count, phones_can_join=phones_can_join)
        vote_refused = None
    except BoardRefused as refused:
        vote_refused = refused.code
    return BoardOffers(find_themes=note_count > 0, undo=undoable, vote_refused=vote_refused)
