"""The plan as a spreadsheet (Excel or CSV) in the layout its import reads, so that a partnership
can update its plan in Excel and import it back: exporting and importing again changes nothing.

Title rows above the header, the header in the import's own words, one row per open action under
its priority area (`PAP 1: Voice and views`), a dated target as a date cell (as `31/03/2025` in
the CSV), TBC and Ongoing as words. Every cell goes through send_tracker/spreadsheets.py.
"""

from __future__ import annotations

import datetime
import io

from django.db.models import QuerySet

from send_tracker.spreadsheets import append_row, write_csv

from .choices import DueDateKind, PlanColumn
from .models import Action, Plan
from .spreadsheet_import import _lead_officer_name

COLUMNS: tuple[PlanColumn, ...] = tuple(PlanColumn)


def _actions(plan: Plan) -> QuerySet[Action]:
    return (
        Action.objects.filter(plan=plan)
        .open()
        .select_related("objective__priority_area", "owner", "lead_officer")
        .order_by("objective__priority_area__number", "position", "ref")
    )


def _target_date(action: Action, *, as_text: bool) -> object:
    if action.due_date_kind == DueDateKind.DATE and action.due_date is not None:
        return action.due_date.strftime("%d/%m/%Y") if as_text else action.due_date
    if action.due_date_kind in (DueDateKind.TBC, DueDateKind.ONGOING):
        return "TBC" if action.due_date_kind == DueDateKind.TBC else "Ongoing"
    return ""


def plan_rows(plan: Plan, *, dates_as_text: bool) -> list[list[object]]:
    """One row per open action, in the order of COLUMNS."""
    return [
        [
            action.published_ref or action.ref,
            str(action.objective.priority_area),
            action.description,
            action.owner.name if action.owner else "",
            _lead_officer_name(action),
            _target_date(action, as_text=dates_as_text),
            action.get_brag_display() if action.brag else "",
            action.comment,
            action.success_measure,
        ]
        for action in _actions(plan)
    ]


def title_lines(plan: Plan, today: datetime.date) -> list[str]:
    return [f"{plan.partnership.name}: {plan.title}", f"Exported {today.strftime('%-d %B %Y')}"]


def plan_csv(plan: Plan, today: datetime.date) -> bytes:
    out = io.StringIO()
    for line in title_lines(plan, today):
        write_csv(out, [line], [])
    write_csv(out, [column.label for column in COLUMNS], plan_rows(plan, dates_as_text=True))
    # utf-8-sig: Excel opens a CSV as UTF-8 only when it starts with a byte-order mark.
    return out.getvalue().encode("utf-8-sig")


def plan_xlsx(plan: Plan, today: datetime.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Plan"
    for line in title_lines(plan, today):
        append_row(sheet, [line])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [])
    header = append_row(sheet, [column.label for column in COLUMNS])
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    for row in plan_rows(plan, dates_as_text=False):
        number = append_row(sheet, row)
        date_cell = sheet.cell(row=number, column=COLUMNS.index(PlanColumn.DUE_DATE) + 1)
        if isinstance(date_cell.value, datetime.date):
            date_cell.number_format = "dd/mm/yyyy"
    widths = {"A": 10, "B": 30, "C": 60, "D": 28, "E": 24, "F": 14, "G": 10, "H": 60, "I": 40}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
