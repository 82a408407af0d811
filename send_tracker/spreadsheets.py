"""Cells for the spreadsheets the product writes: every CSV (the API's `?format=csv`, the board
packs, the KPI downloads) and every Excel workbook.

A spreadsheet runs a cell that begins `=`, `+`, `-` or `@` as a formula (tab and carriage return
can hide such a start), so text typed into the tracker could otherwise open a link or run a
command on the reader's machine (OWASP: CSV injection). One rule decides which text that is
(`needs_quoting`). A CSV has no cell types, so there such text is written with a single quote in
front, which the spreadsheet shows and does not run. An Excel cell has a type: there the text is
kept as typed ("- Recruitment delayed" pasted from Word stays just that), stored as text with
Excel's own hidden quote prefix, so it is never a formula. Numbers are data, not formulas: -3
stays the number -3 and a column of figures stays numeric.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Text that is exactly a number, as the API writes a decimal ("-3.50"): a spreadsheet reads it as
# that number, and it can carry nothing else.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")

Cell = str | int | float | Decimal | datetime.date


class _Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def needs_quoting(text: str) -> bool:
    """Whether a spreadsheet could run this text as a formula."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return str(value)


def safe_cell(value: object) -> Cell:
    """`value` as a CSV cell that cannot run as a formula.

    None is an empty cell; numbers, dates and text that is exactly a number are kept as they are;
    other text beginning with a formula character gets a single quote in front.
    """
    cell = _cell(value)
    if isinstance(cell, str) and needs_quoting(cell):
        return "'" + cell
    return cell


def write_csv(out: _Writer, header: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    """A header and rows as CSV, every cell through safe_cell."""
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)


def append_row(sheet: Worksheet, values: Sequence[object]) -> int:
    """Append a row of cells to an Excel sheet; returns the row's number.

    openpyxl itself stores any string beginning '=' as a formula: such text is stored as text
    instead, with the quote prefix Excel uses for text typed with a leading apostrophe.
    """
    sheet.append([_cell(value) for value in values])
    row: int = sheet.max_row
    for cell in sheet[row]:
        if isinstance(cell.value, str) and needs_quoting(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
    return row


# What an uploaded workbook may unpack to. An .xlsx is a zip: a file of a few hundred kilobytes can
# unpack to gigabytes (a zip bomb), which openpyxl would read into memory.
MAX_UNPACKED_BYTES = 100_000_000
NOT_A_WORKBOOK = "the file is not an Excel workbook (.xlsx): save it from Excel as 'Excel Workbook'"


class WorkbookError(ValueError):
    """An uploaded file that cannot be read as a workbook, with a message saying why."""


def open_workbook(raw: bytes, limit: int | None = None) -> Workbook:
    """An uploaded .xlsx, opened read-only for its values (never its formulas), every upload's one
    way in: its unpacked size is checked before anything is read. Raises WorkbookError."""
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise WorkbookError(NOT_A_WORKBOOK) from None
    if unpacked > limit:
        raise WorkbookError(f"the workbook unpacks to more than {limit // 1_000_000} MB")
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise WorkbookError(NOT_A_WORKBOOK) from None
