"""What is kept of a note's text, what is refused, and the phone's note ids."""

import unicodedata

import pytest

from facilitation.notes import (
    MAX_NOTE_LENGTH,
    NoteRejected,
    clean_client_id,
    clean_note_text,
    new_client_id,
)


def rejection(raw, clean=clean_note_text) -> str:
    with pytest.raises(NoteRejected) as refused:
        clean(raw)
    return refused.value.code


def test_surrounding_whitespace_is_trimmed():
    assert clean_note_text("  \n\t Bättre bussar \n ") == "Bättre bussar"


def test_letters_typed_as_base_and_combining_mark_become_one_letter():
    decomposed = "Va\u0308sterbotten a\u030a"  # ä and å as two code points each
    cleaned = clean_note_text(decomposed)
    assert cleaned == "Västerbotten å"
    assert cleaned == unicodedata.normalize("NFC", cleaned)
    assert len(cleaned) == len("Västerbotten å")


def test_control_characters_are_removed_but_line_breaks_and_tabs_are_kept():
    assert clean_note_text("Skola\x00 och\x07 förskola\n\tnära\x1b[31m") == "Skola och förskola\n\tnära[31m"


def test_windows_and_old_mac_line_breaks_become_plain_line_breaks():
    assert clean_note_text("ett\r\ntvå\rtre") == "ett\ntvå\ntre"


def test_many_blank_lines_collapse_to_one_and_trailing_spaces_on_a_line_go():
    assert clean_note_text("ett   \n\n\n\n\ntvå") == "ett\n\ntvå"


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\t", "\x00\x01", "\u200b\ufeff", " \u200f ", "\u00a0"])
def test_a_note_with_nothing_visible_is_empty(raw):
    assert rejection(raw) == "empty"


def test_a_note_of_exactly_the_maximum_length_is_kept():
    text = "å" * MAX_NOTE_LENGTH
    assert clean_note_text(text) == text


def test_a_note_one_character_too_long_is_refused():
    assert rejection("å" * (MAX_NOTE_LENGTH + 1)) == "too_long"


def test_the_length_is_counted_after_cleaning():
    assert clean_note_text("  " + "a" * MAX_NOTE_LENGTH + "\x00\x00  ") == "a" * MAX_NOTE_LENGTH


def test_the_length_is_counted_in_letters_not_in_code_points_typed():
    decomposed = "a\u030a" * MAX_NOTE_LENGTH  # 2,000 code points, 1,000 letters å
    assert clean_note_text(decomposed) == "å" * MAX_NOTE_LENGTH


@pytest.mark.parametrize("raw", [None, 42, 3.5, ["text"], {"text": "x"}, b"bytes", True])
def test_anything_but_a_string_is_refused_as_not_text(raw):
    assert rejection(raw) == "not_text"


def test_html_is_kept_as_text_for_escaping_where_it_is_shown():
    raw = '<script>alert("x")</script> & <b>fet</b>'
    assert clean_note_text(raw) == raw


@pytest.mark.parametrize(
    "text",
    [
        "Familjer 👨\u200d👩\u200d👧 behöver förskola",  # zero-width joiners hold the family emoji together
        "می\u200cخواهم مدرسه",  # Persian: the zero-width non-joiner is part of the spelling
        "Busslinje \u200f100\u200f till Umeå",  # right-to-left marks in mixed text
        "Skottland 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # a flag made of tags
        "Hej ❤\ufe0f och 👍🏽",  # variation selector and skin tone
        "Ny emoji \U0001fae8",  # newer than Python's Unicode tables: unassigned to it, still kept
        "Sámi: Árjepluovve, Meänkieli: Pajala",
    ],
)
def test_text_that_looks_odd_to_a_computer_is_kept_as_written(text):
    assert clean_note_text(text) == text


@pytest.mark.parametrize("hidden", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\ufeff"])
def test_invisible_characters_that_reorder_or_hide_text_are_removed(hidden):
    assert clean_note_text(f"Bygg {hidden}cykelväg") == "Bygg cykelväg"


def test_a_lone_surrogate_that_could_not_be_stored_is_removed():
    assert clean_note_text("fel\ud800tecken") == "feltecken"


def test_a_new_client_id_is_accepted_as_a_client_id():
    made = new_client_id()
    assert clean_client_id(made) == made
    assert new_client_id() != made


@pytest.mark.parametrize("raw", ["abcd1234", "A-b_C-d_", "x" * 64, "0123456789abcdef0123456789abcdef"])
def test_client_ids_of_8_to_64_letters_digits_dashes_and_underscores_are_accepted(raw):
    assert clean_client_id(raw) == raw


def test_whitespace_around_a_client_id_is_trimmed():
    assert clean_client_id("  abcd1234\n") == "abcd1234"


@pytest.mark.parametrize(
    "raw", ["", "abc1234", "x" * 65, "abcd 1234", "abcd.1234", "åäö12345", "abcd1234;--", "../../etc", None, 12345678]
)
def test_other_client_ids_are_refused(raw):
    assert rejection(raw, clean_client_id) == "bad_client_id"
