"""A list page's rows as a CSV or Excel download, with the page's filters applied.

The list's view filters exactly as its page does and hands the rows here; every cell goes through
send_tracker/spreadsheets.py, so text beginning with a formula character never runs as a formula.
The link to the download carries the page's query string (templates/includes/list_downloads.html).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .spreadsheets import append_row, write_csv

LIST_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_format(fmt: str) -> None:
    if fmt not in LIST_FORMATS:
        raise Http404("No such format.")


def list_download(
    fmt: str, filename: str, title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """`rows` under `columns` as `filename`.csv or .xlsx; Excel's sheet opens with `title`."""
    check_format(fmt)
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel then reads the file as UTF-8
        write_csv(buffer, columns, rows)
        content = buffer.getvalue().encode("utf-8")
    else:
        content = _workbook(title, columns, rows)
    response = HttpResponse(content, content_type=LIST_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _workbook(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "List"
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    header = append_row(sheet, columns)
    for cell in sheet[header]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{header + 1}"
    for values in rows:
        number = append_row(sheet, values)
        for cell in sheet[number]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "d mmmm yyyy"
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def list_download_links(request: HttpRequest, url_name: str) -> dict[str, str]:
    """The list's download links, each carrying the page's query string (its filters)."""
    query = request.GET.urlencode()
    return {fmt: f"{reverse(url_name, args=[fmt])}{'?' + query if query else ''}" for fmt in LIST_FORMATS}
