import pytest

from facilitation.board import BoardRefused, board_offers, check_can_find_themes, check_can_open_vote


def test_no_notes_means_no_themes_to_find():
    with pytest.raises(BoardRefused) as refused:
        check_can_find_themes(0)
    assert refused.value.code == "no_notes_yet"
    check_can_find_themes(1)


def test_the_vote_needs_themes_and_a_cafe_phones_can_join():
    with pytest.raises(BoardRefused) as no_themes:
        check_can_open_vote(theme_count=0, phones_can_join=True)
    assert no_themes.value.code == "no_themes"
    with pytest.raises(BoardRefused) as closed:
        check_can_open_vote(theme_count=4, phones_can_join=False)
    assert closed.value.code == "vote_cafe_not_open"
    check_can_open_vote(theme_count=4, phones_can_join=True)


def test_an_empty_board_offers_nothing_to_press():
    empty = board_offers(note_count=0, theme_count=0, undoable=False, phones_can_join=True)
    assert not empty.find_themes and not empty.undo and not empty.open_vote
    assert empty.vote_refused == "no_themes"


def test_a_harvest_offers_the_vote_only_while_phones_can_join():
    open_cafe = board_offers(note_count=40, theme_count=5, undoable=True, phones_can_join=True)
    assert open_cafe.find_themes and open_cafe.undo and open_cafe.open_vote
    closed = board_offers(note_count=40, theme_count=5, undoable=True, phones_can_join=False)
    assert not closed.open_vote and closed.vote_refused == "vote_cafe_not_open"


def test_finding_themes_again_over_published_answers_waits_for_a_confirmation():
    with pytest.raises(BoardRefused) as refused:
        check_can_find_themes(30, published_answers=2)
    assert refused.value.code == "confirm_rerun"
    check_can_find_themes(30, published_answers=2, confirmed=True)
    check_can_find_themes(30, published_answers=0)
