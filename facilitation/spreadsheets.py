"""Cells that a spreadsheet would run: text starting with = + - @ (or a tab or carriage return,
which some spreadsheets skip before looking) is read as a formula by Excel and LibreOffice when
opened or pasted. Notes and leader-written fields are text, whoever wrote them."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading quote stops the formula (and is hidden
    by Excel when the cell is shown)."""
    return "'" + text if looks_like_formula(text) else text
