from facilitation.paper_cards import CardRow, card_rows, round_number
from facilitation.process import MAX_ROUNDS


def test_rows_with_text_are_read_in_order_and_empty_rows_skipped():
    rows = card_rows(["Fler bussar", "  ", "", "Bredband"], ["1", "1", "2", "2"], ["id-1", "id-2", "id-3", "id-4"])
    assert rows == [CardRow("Fler bussar", "1", 1, "id-1"), CardRow("Bredband", "2", 2, "id-4")]


def test_a_round_is_its_number_in_plain_digits_within_the_rounds_a_cafe_can_have():
    assert round_number("3") == 3
    assert round_number(str(MAX_ROUNDS)) == MAX_ROUNDS
    for typed in ("0", str(MAX_ROUNDS + 1), "-1", "1.5", "två", "", " 2", "٣", "9" * 5000, None):
        assert round_number(typed) is None, typed


def test_a_row_with_a_bad_round_is_kept_so_the_host_is_told():
    assert card_rows(["Skolan"], ["x"], ["id-1"]) == [CardRow("Skolan", "x", None, "id-1")]


def test_values_that_are_not_text_count_as_empty():
    file = object()  # what a crafted multipart form would give in place of a field
    assert card_rows([file, "Skolan"], ["1", file], ["id-1", file]) == [CardRow("Skolan", "", None, "")]
