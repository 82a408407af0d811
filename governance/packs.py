"""Board packs: the PAP highlight report and the risk register as at a meeting, in Word, CSV and Excel.

The highlight report keeps the layout of the published progress report (the EYP report of 20 May 2024, appendix B):
PAP Ref, Objective, Theme, Project(s), Comment, Date, BRAG, with each objective as a sub-heading
row above its actions. A rating is always written as its name ("Amber"); the cell's shading only
repeats it, so the pack reads the same printed in black and white or read aloud by a screen reader.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from actions.baseline import ActionSinceSignOff, ActionState, SinceSignOff
from actions.choices import BRAG_DEFINITIONS, BRAG_DISPLAY_ORDER, NOT_YET_RATED, Brag
from send_tracker.spreadsheets import append_row, write_csv

from .as_it_stood import PlanAsItStood, RiskAsItStood
from .choices import RiskLevel
from .models import Meeting, describe_scores, long_date

PLAN_COLUMNS = ["PAP Ref", "Objective", "Theme", "Project(s)", "Comment", "Date", "BRAG"]
# Landscape A4 less 1.5 cm margins is 26.7 cm; the description and the comment get the room.
PLAN_WIDTHS_CM = [1.6, 8.4, 3.0, 3.2, 6.5, 1.8, 2.2]

RISK_COLUMNS = [
    "Ref",
    "Risk",
    "Cause",
    "Consequence",
    "Owner",
    "Likelihood before",
    "Impact before",
    "Score before",
    "Level before",
    "Likelihood after",
    "Impact after",
    "Score after",
    "Level after",
    "Mitigations",
    "Trend",
    "Next review",
    "Review overdue",
    "Demo scores",
]
RISK_DOC_COLUMNS = [
    "Ref",
    "Risk",
    "Owner",
    "Before mitigation",
    "After mitigation",
    "Mitigations",
    "Trend",
    "Next review",
]
RISK_DOC_WIDTHS_CM = [1.2, 7.5, 3.0, 3.4, 3.4, 5.0, 1.6, 1.6]

# Light tints, the same as the web pages', so black text on them keeps a contrast above 7:1.
BRAG_FILLS: dict[str | None, str] = {
    Brag.RED: "F4CDC6",
    Brag.AMBER: "FCE2A8",
    Brag.GREEN: "CCE2D8",
    Brag.BLUE: "BBD4EA",
    Brag.GREY: "DFE0E1",
    None: "FFFFFF",
}
LEVEL_FILLS: dict[str, str] = {
    RiskLevel.LOW: "CCE2D8",
    RiskLevel.MEDIUM: "FFF7BF",
    RiskLevel.HIGH: "FCE2A8",
    RiskLevel.VERY_HIGH: "F4CDC6",
}
OBJECTIVE_FILL = "F3F2F1"
HEADER_FILL = "DEE0E2"

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class HighlightRow:
    """One row of the highlight report: an objective's sub-heading, or an action."""

    is_objective: bool
    ref: str
    objective: str
    theme: str = ""
    projects: str = ""
    comment: str = ""
    date: str = ""
    brag: str | None = None
    retired: bool = False

    @property
    def brag_label(self) -> str:
        if self.is_objective:
            return ""
        if self.retired:  # said in words; its cell is shaded as no rating, not as its last one
            return "Retired"
        return Brag(self.brag).label if self.brag else NOT_YET_RATED

    def cells(self) -> list[str]:
        return [self.ref, self.objective, self.theme, self.projects, self.comment, self.date, self.brag_label]


def highlight_rows(reading: PlanAsItStood) -> list[HighlightRow]:
    rows: list[HighlightRow] = []
    for group in reading.groups():
        rows.append(HighlightRow(is_objective=True, ref=group.objective.code, objective=group.objective.text))
        for action in group.actions:
            rows.append(
                HighlightRow(
                    is_objective=False,
                    ref=action.published_ref,
                    objective=action.description,
                    theme=action.themes_text,
                    projects=action.workstreams_text,
                    comment=action.highlight_comment,
                    date=action.date_text,
                    brag=None if action.is_retired else action.brag,
                    retired=action.is_retired,
                )
            )
    return rows


def risk_cells(risk: RiskAsItStood, owners: dict[int, str], on: datetime.date) -> list[object]:
    owner = ", ".join(part for part in (risk.owner_role, owners.get(risk.owner_id or 0, "")) if part)
    return [
        risk.reference,
        risk.title,
        risk.cause,
        risk.consequence,
        owner or "Not assigned",
        risk.likelihood_before,
        risk.impact_before,
        risk.score_before,
        risk.level_before.label,
        risk.likelihood_after,
        risk.impact_after,
        risk.score_after,
        risk.level_after.label,
        risk.mitigations,
        risk.trend_label,
        risk.next_review_date.isoformat() if risk.next_review_date else "",
        "Yes" if risk.is_review_overdue(on) else "No",
        "Yes" if risk.is_demo_scores else "No",
    ]


def _meeting_line(meeting: Meeting) -> str:
    return f"{meeting.board.full_name}, meeting of {meeting.date_label}."


DEMO_NOTE = (
    "Demo: this meeting and the history behind these figures were invented to show how the tracker works. "
    "They are not the partnership's real record."
)


# ---------------------------------------------------------------------------------------------
# CSV


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    # The byte order mark makes Excel read the file as UTF-8, as the DfE's own downloads do.
    buffer.write("\ufeff")
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8")


def plan_csv(reading: PlanAsItStood, since: SinceSignOff | None = None) -> bytes:
    rows: list[list[object]] = [list(row.cells()) for row in highlight_rows(reading)]
    if since is not None:
        rows.extend(_since_sign_off_csv_section(since))
    return to_csv(PLAN_COLUMNS, rows)


def risks_csv(risks: list[RiskAsItStood], owners: dict[int, str], on: datetime.date) -> bytes:
    return to_csv(RISK_COLUMNS, (risk_cells(risk, owners, on) for risk in risks))


# ---------------------------------------------------------------------------------------------
# Word


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_as_header(row: _Row) -> None:
    # Marks the row as the table's header: Word repeats it on every page and screen readers
    # announce each cell with its column's name.
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _set_cell(
    cell: _Cell, text: str, *, bold: bool = False, fill: str | None = None, width: float | None = None
) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if fill:
        _shade(cell, fill)
    if width is not None:
        cell.width = Cm(width)


def _new_document(title: str) -> DocxDocument:
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = "en-GB"
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    return document


def _table(document: Document, columns: list[str], widths: list[float]) -> Table:  # type: ignore[valid-type]
    table = document.add_table(rows=1, cols=len(columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    for cell, name, width in zip(header.cells, columns, widths, strict=True):
        _set_cell(cell, name, bold=True, fill=HEADER_FILL, width=width)
    _repeat_as_header(header)
    return table


def _save(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_docx(meeting: Meeting, reading: PlanAsItStood, since: SinceSignOff | None = None) -> bytes:
    on = long_date(reading.on)
    title = f"PAP highlight report as at {on}"
    document = _new_document(title)
    document.add_heading(title, level=0)
    plan_title = reading.plan.title if reading.plan else "No plan recorded"
    document.add_paragraph(f"{plan_title}. For the {_meeting_line(meeting)}")
    if meeting.is_demo:
        document.add_paragraph().add_run(DEMO_NOTE).bold = True
    document.add_paragraph(
        f"Each action's rating, commentary and target date as they stood at the end of {on}, from the "
        "tracker's history. Every rating is named in words; the shading only repeats the word."
    )

    document.add_heading("Key: the BRAG ratings the DfE instructs", level=1)
    key = _table(document, ["Rating", "Meaning"], [4.0, 22.7])
    for value in BRAG_DISPLAY_ORDER:
        cells = key.add_row().cells
        _set_cell(cells[0], Brag(value).label, bold=True, fill=BRAG_FILLS[value], width=4.0)
        _set_cell(cells[1], BRAG_DEFINITIONS[value], width=22.7)
    cells = key.add_row().cells
    _set_cell(cells[0], NOT_YET_RATED, bold=True, width=4.0)
    _set_cell(cells[1], "No rating recorded yet (this is not Grey).", width=22.7)

    document.add_heading("Summary", level=1)
    total = len(reading.actions)
    if total:
        document.add_paragraph(f"{total} action{'s' if total != 1 else ''} in the plan at this date.")
        for count in reading.rating_counts():
            document.add_paragraph(f"{count.label}: {count.count}", style="List Bullet")
        document.add_paragraph(f"Overdue (past the target date and not Green or Blue): {len(reading.overdue)}")
    else:
        document.add_paragraph("There were no actions in the plan at this date.")

    document.add_heading("Progress against the plan", level=1)
    table = _table(document, PLAN_COLUMNS, PLAN_WIDTHS_CM)
    for row in highlight_rows(reading):
        cells = table.add_row().cells
        for index, (cell, text, width) in enumerate(zip(cells, row.cells(), PLAN_WIDTHS_CM, strict=True)):
            if row.is_objective:
                _set_cell(cell, text, bold=True, fill=OBJECTIVE_FILL, width=width)
            elif index == len(PLAN_COLUMNS) - 1:
                _set_cell(cell, text, bold=True, fill=BRAG_FILLS[row.brag], width=width)
            else:
                _set_cell(cell, text, width=width)
    if since is not None:
        _since_sign_off_docx(document, since)
    return _save(document)


def risks_docx(meeting: Meeting, risks: list[RiskAsItStood], owners: dict[int, str], on: datetime.date) -> bytes:
    title = f"SEND risk register as at {long_date(on)}"
    document = _new_document(title)
    document.add_heading(title, level=0)
    document.add_paragraph(f"For the {_meeting_line(meeting)}")
    if meeting.is_demo or any(risk.is_demo_scores for risk in risks):
        document.add_paragraph().add_run(
            "Demo: scores marked 'Demo scores' were invented to show how the tracker works. The risks themselves are "
            "those the partnership recorded in its 2018 Written Statement of Action report."
        ).bold = True
    document.add_paragraph(
        "Likelihood and impact are scored 1 to 5; the score is their product (1 to 25). Levels: 1 to 4 Low, "
        "5 to 9 Medium, 10 to 15 High, 16 to 25 Very high. Each level is named in words; the shading only "
        "repeats it. The trend compares the score after mitigation with the previous review."
    )
    table = _table(document, RISK_DOC_COLUMNS, RISK_DOC_WIDTHS_CM)
    for risk in risks:
        owner = ", ".join(part for part in (risk.owner_role, owners.get(risk.owner_id or 0, "")) if part)
        description = risk.title
        if risk.cause:
            description += f"\nCause: {risk.cause}"
        if risk.consequence:
            description += f"\nConsequence: {risk.consequence}"
        review = long_date(risk.next_review_date) if risk.next_review_date else "Not set"
        if risk.is_review_overdue(on):
            review += " (review overdue)"
        before = describe_scores(risk.likelihood_before, risk.impact_before)
        after = describe_scores(risk.likelihood_after, risk.impact_after)
        if risk.is_demo_scores:
            after += " (Demo scores)"
        values = [
            risk.reference,
            description,
            owner or "Not assigned",
            before,
            after,
            risk.mitigations,
            risk.trend_label,
            review,
        ]
        cells = table.add_row().cells
        for index, (cell, text, width) in enumerate(zip(cells, values, RISK_DOC_WIDTHS_CM, strict=True)):
            fill = None
            if index == 3:
                fill = LEVEL_FILLS[risk.level_before]
            elif index == 4:
                fill = LEVEL_FILLS[risk.level_after]
            _set_cell(cell, text, bold=index in (0, 3, 4), fill=fill, width=width)
    if not risks:
        document.add_paragraph("There were no risks on the register at this date.")
    return _save(document)


# ---------------------------------------------------------------------------------------------
# Excel


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _fill(hex_colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=hex_colour, end_color=hex_colour)


def _title_rows(sheet: Worksheet, lines: list[str]) -> None:
    for index, line in enumerate(lines):
        row = append_row(sheet, [line])
        sheet.cell(row=row, column=1).font = Font(bold=index == 0, size=14 if index == 0 else 11)
    append_row(sheet, [])


def _header(sheet: Worksheet, columns: list[str]) -> int:
    row = append_row(sheet, columns)
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.fill = _fill(HEADER_FILL)
        cell.border = BORDER
        cell.alignment = WRAP
    # A coordinate, not sheet.cell(): touching a cell below would make the next append skip a row.
    sheet.freeze_panes = f"A{row + 1}"
    sheet.print_title_rows = f"{row}:{row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    return row


def _key_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("Key")
    append_row(sheet, ["Rating", "Meaning (as the DfE instructs)"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for value in BRAG_DISPLAY_ORDER:
        row = append_row(sheet, [Brag(value).label, BRAG_DEFINITIONS[value]])
        sheet.cell(row=row, column=1).fill = _fill(BRAG_FILLS[value])
    append_row(sheet, [NOT_YET_RATED, "No rating recorded yet (this is not Grey)."])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 70


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PLAN_SHEET = "Highlight report"
RISK_SHEET = "Risk register"


def plan_xlsx(meeting: Meeting, reading: PlanAsItStood, since: SinceSignOff | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = PLAN_SHEET
    lines = [
        f"PAP highlight report as at {long_date(reading.on)}",
        f"{reading.plan.title if reading.plan else 'No plan recorded'}. For the {_meeting_line(meeting)}",
    ]
    if meeting.is_demo:
        lines.append(DEMO_NOTE)
    _title_rows(sheet, lines)
    _header(sheet, PLAN_COLUMNS)
    for item in highlight_rows(reading):
        row = append_row(sheet, item.cells())
        for cell in sheet[row]:
            cell.border = BORDER
            cell.alignment = WRAP
            if item.is_objective:
                cell.font = Font(bold=True)
                cell.fill = _fill(OBJECTIVE_FILL)
        if not item.is_objective:
            brag_cell = sheet.cell(row=row, column=len(PLAN_COLUMNS))
            brag_cell.font = Font(bold=True)
            brag_cell.fill = _fill(BRAG_FILLS[item.brag])
    for letter, width in zip("ABCDEFG", [9, 60, 20, 22, 45, 10, 14], strict=True):
        sheet.column_dimensions[letter].width = width
    if since is not None:
        _since_sign_off_sheet(
            workbook.create_sheet(SINCE_SIGN_OFF_TITLE), since, [f"Since sign-off, as at {long_date(reading.on)}"]
        )
    _key_sheet(workbook)
    return _workbook_bytes(workbook)


def risks_xlsx(meeting: Meeting, risks: list[RiskAsItStood], owners: dict[int, str], on: datetime.date) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = RISK_SHEET
    lines = [f"SEND risk register as at {long_date(on)}", f"For the {_meeting_line(meeting)}"]
    if meeting.is_demo or any(risk.is_demo_scores for risk in risks):
        lines.append("Demo: scores marked 'Demo scores: Yes' were invented to show how the tracker works.")
    _title_rows(sheet, lines)
    _header(sheet, RISK_COLUMNS)
    level_columns = {RISK_COLUMNS.index("Level before") + 1, RISK_COLUMNS.index("Level after") + 1}
    levels = {level.label: level for level in RiskLevel}
    for risk in risks:
        row = append_row(sheet, risk_cells(risk, owners, on))
        for cell in sheet[row]:
            cell.border = BORDER
            cell.alignment = WRAP
            if cell.column in level_columns and cell.value in levels:
                cell.fill = _fill(LEVEL_FILLS[levels[str(cell.value)]])
                cell.font = Font(bold=True)
    widths = [6, 40, 30, 30, 24, 10, 10, 10, 11, 10, 10, 10, 11, 40, 10, 12, 10, 10]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return _workbook_bytes(workbook)


# ---------------------------------------------------------------------------------------------
# Since sign-off: the plan at a date (a meeting's, or today) against its signed-off baseline
# (actions/baseline.py), as a section of the highlight report and as the page's own downloads.

SINCE_SIGN_OFF_TITLE = "Since sign-off"
SINCE_SIGN_OFF_COLUMNS = [
    "PAP Ref",
    "Action",
    "Priority area",
    "Change",
    "Target date at sign-off",
    "Target date",
    "Days moved (later +, earlier -)",
    "Times moved since sign-off",
    "Owner at sign-off",
    "Owner",
    "Rating at sign-off",
    "Rating",
    "Status",
]
SINCE_SIGN_OFF_DOC_COLUMNS = ["PAP Ref", "Action", "Change", "Target date", "Owner", "Rating"]
SINCE_SIGN_OFF_DOC_WIDTHS_CM = [1.6, 8.1, 5.0, 4.4, 4.0, 3.6]


def _rating(state: ActionState | None) -> str:
    return state.brag_label if state else ""


def since_sign_off_cells(row: ActionSinceSignOff) -> list[object]:
    """One action's row: what changed in words, then each figure in a column of its own."""
    then, now = row.then, row.now
    area = row.objective.priority_area
    return [
        row.published_ref,
        row.description,
        f"PAP {area.number}: {area.title}",
        "; ".join(row.changes) or "No change",
        row.baseline_due_date,
        row.due_date,
        row.days_slipped,
        row.due_date_revisions,
        then.owner if then else "",
        now.owner if now else "",
        _rating(then),
        _rating(now),
        ("Retired" if row.is_retired else "Open") if now else "No longer in the plan",
    ]


def since_sign_off_summary(comparison: SinceSignOff) -> list[str]:
    """The comparison in a few sentences, as the page and every format open with it."""
    if not comparison.is_signed_off or comparison.signed_off_on is None:
        return ["The plan had not been signed off at this date, so there is no baseline to compare with."]
    at = long_date(comparison.on) if comparison.on else "today"
    lists = comparison.lists
    later = lists["moved_later"]
    return [
        f"Signed off on {long_date(comparison.signed_off_on)}; compared with the plan at the end of {at}.",
        f"Actions at sign-off: {len(lists['at_sign_off'])}; in the plan at {at}: {len(lists['in_plan'])}.",
        f"Added since sign-off: {len(lists['added'])}. Retired: {len(lists['retired'])}.",
        f"Target dates moved later: {len(later)} (by {comparison.days_slipped_total} days in all). "
        f"Moved earlier: {len(lists['moved_earlier'])}.",
        f"Owners changed: {len(lists['owners_changed'])}. Ratings changed: {len(lists['ratings_changed'])}.",
    ]


def _date_or(day: datetime.date | None, absent: str = "None") -> str:
    return long_date(day) if day else absent


def _since_sign_off_doc_cells(row: ActionSinceSignOff) -> list[str]:
    then, now = row.then, row.now
    dates = f"{_date_or(row.baseline_due_date)} at sign-off; {_date_or(row.due_date)} now"
    owners = f"{then.owner or 'None' if then else '-'} to {now.owner or 'None' if now else '-'}"
    ratings = f"{_rating(then) or '-'} to {_rating(now) or '-'}"
    if row.due_date_revisions:
        dates += f" (moved {row.due_date_revisions} time{'s' if row.due_date_revisions != 1 else ''})"
    return [row.published_ref, row.description, "; ".join(row.changes), dates, owners, ratings]


def _since_sign_off_docx(document: DocxDocument, comparison: SinceSignOff) -> None:
    document.add_heading(SINCE_SIGN_OFF_TITLE, level=1)
    for line in since_sign_off_summary(comparison):
        document.add_paragraph(line)
    changed = [row for row in comparison.rows if row.changes]
    if not changed:
        if comparison.is_signed_off:
            document.add_paragraph("No action has changed since sign-off.")
        return
    table = _table(document, SINCE_SIGN_OFF_DOC_COLUMNS, SINCE_SIGN_OFF_DOC_WIDTHS_CM)
    for row in changed:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, _since_sign_off_doc_cells(row), SINCE_SIGN_OFF_DOC_WIDTHS_CM, strict=True):
            _set_cell(cell, text, width=width)


def _since_sign_off_sheet(sheet: Worksheet, comparison: SinceSignOff, lines: list[str]) -> None:
    _title_rows(sheet, lines + since_sign_off_summary(comparison))
    _header(sheet, SINCE_SIGN_OFF_COLUMNS)
    for item in comparison.rows:
        row = append_row(sheet, since_sign_off_cells(item))
        for cell in sheet[row]:
            cell.border = BORDER
            cell.alignment = WRAP
            if isinstance(cell.value, datetime.date):
                cell.number_format = "d mmmm yyyy"
    widths = [9, 50, 24, 30, 14, 14, 12, 10, 22, 22, 12, 12, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def since_sign_off_csv(comparison: SinceSignOff) -> bytes:
    """Every action of the comparison, a row each."""
    return to_csv(SINCE_SIGN_OFF_COLUMNS, (since_sign_off_cells(row) for row in comparison.rows))


def since_sign_off_xlsx(comparison: SinceSignOff, meeting: Meeting | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = SINCE_SIGN_OFF_TITLE
    lines = [f"{comparison.plan.title}: since sign-off"]
    if meeting is not None:
        lines.append(f"At the {_meeting_line(meeting)}")
    _since_sign_off_sheet(sheet, comparison, lines)
    _key_sheet(workbook)
    return _workbook_bytes(workbook)


def _since_sign_off_csv_section(comparison: SinceSignOff) -> list[list[object]]:
    """The section below the highlight report in the pack's CSV: a blank row, its title and
    summary, then its own header and rows."""
    rows: list[list[object]] = [[], [SINCE_SIGN_OFF_TITLE]]
    rows.extend([line] for line in since_sign_off_summary(comparison))
    rows.append(list(SINCE_SIGN_OFF_COLUMNS))
    rows.extend(since_sign_off_cells(row) for row in comparison.rows)
    return rows
