"""safe_cell: the one rule for every cell the product writes to a CSV or an Excel workbook."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from send_tracker.spreadsheets import FORMULA_STARTS, append_row, safe_cell, write_csv


@given(st.text())
def test_no_text_comes_out_as_a_formula_and_none_is_lost(text):
    cell = safe_cell(text)

    assert isinstance(cell, str)
    if cell.startswith(FORMULA_STARTS):
        # Only text that is exactly a number: a spreadsheet reads it as that number.
        assert Decimal(cell) == Decimal(text)
    assert cell in (text, "'" + text)


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_text_beginning_a_formula_character_gets_a_quote(start):
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-3, -3),
        (Decimal("-3.50"), Decimal("-3.50")),
        (-0.5, -0.5),
        ("-3.50", "-3.50"),
        ("+44", "+44"),
        ("-1e5", "'-1e5"),
        ("- first point", "'- first point"),
        ("Plans: -3 this month", "Plans: -3 this month"),
        (None, ""),
        (True, "true"),
        (datetime.date(2024, 4, 1), datetime.date(2024, 4, 1)),
    ],
)
def test_numbers_stay_numbers_and_other_text_is_kept(value, cell):
    assert safe_cell(value) == cell


def test_csv_quotes_formula_text_and_excel_keeps_it_as_text():
    rows = [["=1+1", -3, "@SUM(A1)", "plain"]]
    buffer = io.StringIO()
    write_csv(buffer, ["a", "b", "c", "d"], rows)
    sheet = openpyxl.Workbook().active
    append_row(sheet, rows[0])

    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["a", "b", "c", "d"],
        ["'=1+1", "-3", "'@SUM(A1)", "plain"],
    ]
    # Excel keeps the text as typed, as text with its hidden quote prefix: never a formula.
    assert [cell.value for cell in sheet[1]] == ["=1+1", -3, "@SUM(A1)", "plain"]
    assert [cell.data_type for cell in sheet[1]] == ["s", "n", "s", "s"]
    assert [cell.quotePrefix for cell in sheet[1]] == [True, False, True, False]
