import csv
import io

import pytest

from facilitation.exports import Column, Table, to_csv
from facilitation.spreadsheets import csv_cell, looks_like_formula


@pytest.mark.parametrize("text", ["=1+1", "+46 70", "-2+3", "- en punkt", "-", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert looks_like_formula(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Bussen går sällan", "", " =inte först", "'redan citerad", "1+1"])
def test_other_text_is_left_as_it_is(text):
    assert not looks_like_formula(text)
    assert csv_cell(text) == text


def test_the_csv_quotes_headers_and_cells_but_not_numbers():
    table = Table("By × tema", [Column("By"), Column("=SUM(A1)", "int")], [["@by", -3], ["Hallen", 2]])
    rows = list(csv.reader(io.StringIO(to_csv(table).lstrip("\ufeff"), newline="")))
    assert rows == [["By", "'=SUM(A1)"], ["'@by", "-3"], ["Hallen", "2"]]
