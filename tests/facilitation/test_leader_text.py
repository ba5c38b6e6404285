"""Text a leader writes for the public: cleaned of what nobody sees, checked for names."""

import pytest

from facilitation.leader_text import TooLong, check_length, clean_leader_text, names_in

INVISIBLE = {
    "soft hyphen": "\u00ad", "Arabic letter mark": "\u061c", "Mongolian vowel separator": "\u180e",
    "zero-width space": "\u200b", "left-to-right mark": "\u200e", "right-to-left mark": "\u200f",
    "left-to-right embedding": "\u202a", "right-to-left embedding": "\u202b", "pop directional formatting": "\u202c",
    "left-to-right override": "\u202d", "right-to-left override": "\u202e", "word joiner": "\u2060",
    "invisible separator": "\u2063", "left-to-right isolate": "\u2066", "right-to-left isolate": "\u2067",
    "first strong isolate": "\u2068", "pop directional isolate": "\u2069", "byte order mark": "\ufeff",
    "NUL": "\x00", "escape": "\x1b", "C1 control": "\x85",
}


@pytest.mark.parametrize("character", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_invisible_character_is_taken_out_wherever_it_stands(character):
    typed = f"{character}Fler buss{character}turer på kvällen{character}"
    assert clean_leader_text(typed) == "Fler bussturer på kvällen"


def test_a_number_a_right_to_left_mark_would_show_in_another_order_reads_as_typed():
    # In a left-to-right page the mark shows the groups after it right to left: "070-123 67 45".
    assert clean_leader_text("Ring 070-123\u200f 45 67") == "Ring 070-123 45 67"


def test_emoji_joined_by_a_zero_width_joiner_stay_whole():
    assert clean_leader_text("Fler bönder 👩\u200d🌾") == "Fler bönder 👩\u200d🌾"


def test_line_breaks_stay_as_one_kind_and_letters_are_composed():
    assert clean_leader_text("Första raden\r\nandra\rtredje\u2028fjärde\ttab") == "Första raden\nandra\ntredje\nfjärde\ttab"
    assert clean_leader_text("A\u030asa") == "Åsa"  # Å typed as A and a ring: one letter, as names are listed


def test_a_text_over_its_limit_is_refused_with_how_many_characters_too_many():
    assert check_length("x" * 400, limit=400, code="summary_too_long") == "x" * 400
    with pytest.raises(TooLong) as refused:
        check_length("x" * 437, limit=400, code="summary_too_long")
    assert (refused.value.code, refused.value.over) == ("summary_too_long", 37)


def test_names_are_found_once_each_in_order_and_left_in_the_text():
    text = "Karin Johansson och Sven vill ha fler turer. Fråga Karin Johansson om tiderna."
    assert names_in(text) == ["Karin Johansson", "Sven"]
    assert names_in("Kommunen bygger en ny busskur vid skolan.") == []


def test_a_name_hidden_by_a_soft_hyphen_is_found_once_the_text_is_cleaned():
    assert names_in(clean_leader_text("Fråga Gun\u00adnar om vägen")) == ["Gunnar"]
