"""What is kept of a note's text, what is refused, and the phone's note ids."""

import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from facilitation.notes import (
    MAX_NOTE_LENGTH,
    EarlierNote,
    IncomingNote,
    NoteRejected,
    NoteVerdict,
    check_note,
    clean_client_id,
    clean_note_text,
    new_client_id,
    sent_by,
)
from facilitation.phases import CafeState, Phase
from facilitation.ratelimit import RateLimiter


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


# --- whether a note can be stored: check_note ----------------------------------------------------

NOW = datetime(2026, 5, 12, 19, 30, tzinfo=UTC)
RUNNING = CafeState(Phase.ROUND, round_count=2, current_round=1, round_ends_at=NOW + timedelta(minutes=10))
ROUNDS = {1: SimpleNamespace(started_at=NOW - timedelta(minutes=10), ended_at=None),
          2: SimpleNamespace(started_at=None, ended_at=None)}


def from_phone(**changes) -> IncomingNote:
    note = IncomingNote(client_id="note-0001", text=" Fler bussar ", by_host=False, table_id=7, device_key="phone-a",
                        phone_id=3, seated_at=7, cafe=RUNNING, rounds=ROUNDS)
    return replace(note, **changes)


def paper_card(**changes) -> IncomingNote:
    return replace(from_phone(by_host=True, token_is_hosts=True, phone_id=None, seated_at=None, round_number=1),
                   **changes)


def verdict(note: IncomingNote, limiter: RateLimiter | None = None) -> NoteVerdict:
    return check_note(note, limiter=limiter, clock=0.0, now=NOW)


def test_a_phone_at_its_table_in_a_running_round_stores_the_cleaned_text_in_that_round():
    assert verdict(from_phone()) == NoteVerdict(round_number=1, text="Fler bussar")


def test_a_bad_note_id_is_refused_before_anything_else():
    assert verdict(from_phone(client_id="x", table_id=None)).error == "bad_client_id"


def test_an_unknown_token_or_the_other_kind_of_token_finds_no_table():
    assert verdict(from_phone(table_id=None)).error == "not_found"
    assert verdict(from_phone(token_is_hosts=True)).error == "not_found"


def test_a_phone_seated_elsewhere_or_unknown_is_not_at_the_table():
    assert verdict(from_phone(seated_at=8)).error == "not_at_table"
    assert verdict(from_phone(phone_id=None, seated_at=None)).error == "not_at_table"


def test_a_retry_is_answered_with_the_stored_note_even_between_rounds():
    mine = EarlierNote(participant_id=3, source="phone", table_id=7)
    assert verdict(from_phone(earlier=mine, cafe=replace(RUNNING, phase=Phase.OPEN))) == NoteVerdict(repeat=True)


def test_another_phones_note_id_is_taken_and_gives_nothing_away():
    theirs = EarlierNote(participant_id=4, source="phone", table_id=7)
    assert verdict(from_phone(earlier=theirs)) == NoteVerdict(error="client_id_taken")


def test_a_host_repeats_only_a_card_typed_at_the_same_table():
    assert sent_by(EarlierNote(None, "host", 7), phone_id=None, table_id=7)
    assert not sent_by(EarlierNote(None, "host", 8), phone_id=None, table_id=7)
    assert not sent_by(EarlierNote(3, "phone", 7), phone_id=None, table_id=7)


def test_the_rate_limit_counts_new_notes_but_not_retries():
    limiter = RateLimiter(capacity=1, refill_per_second=0)
    mine = EarlierNote(participant_id=3, source="phone", table_id=7)
    assert verdict(from_phone(), limiter).error is None
    assert verdict(from_phone(earlier=mine), limiter).repeat
    assert verdict(from_phone(client_id="note-0002"), limiter).error == "rate_limited"


def test_an_empty_note_is_refused_after_the_rate_limit():
    assert verdict(from_phone(text="   ")).error == "empty"


def test_a_phone_note_outside_a_round_names_the_phase():
    assert verdict(from_phone(cafe=replace(RUNNING, phase=Phase.OPEN))).error == "no_round_running"
    assert verdict(from_phone(cafe=replace(RUNNING, phase=Phase.DRAFT))).error == "cafe_not_open"


def test_a_paper_card_goes_to_the_round_it_names_once_that_round_has_started():
    assert verdict(paper_card()) == NoteVerdict(round_number=1, text="Fler bussar")
    assert verdict(paper_card(round_number=2)).error == "round_not_started"
    assert verdict(paper_card(round_number=9)).error == "round_not_started"
    assert verdict(paper_card(cafe=replace(RUNNING, phase=Phase.DRAFT))).error == "cafe_not_open"


def test_a_closed_cafe_takes_paper_cards_for_three_days_after_its_last_round():
    closed = replace(RUNNING, phase=Phase.CLOSED)
    ended = {1: SimpleNamespace(started_at=NOW - timedelta(days=3, hours=1), ended_at=NOW - timedelta(days=3))}
    assert verdict(paper_card(cafe=closed, rounds=ended)).error is None
    long_ago = {1: SimpleNamespace(started_at=NOW - timedelta(days=4), ended_at=NOW - timedelta(days=3, seconds=1))}
    assert verdict(paper_card(cafe=closed, rounds=long_ago)).error == "paper_cards_too_late"
