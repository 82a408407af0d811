"""Reads a partnership's own plan from its spreadsheet (`.xlsx` or `.csv`), in its own layout, and
writes it into a plan: all of it in one transaction, or nothing.

Each partnership keeps its plan in Excel in a layout of its own. The reader looks in every sheet for
a header row (below any title rows) whose cells name the plan's columns in the words people use
(`HEADER_WORDS`, compared whatever the case or punctuation); a column it cannot place is left out
unless the person says what it holds (`mapping`, keyed by `header_key`). A row's priority area
comes from a priority area column, from the section row above it (a ref with a title and nothing
else), or from its sheet when the plan has one sheet per area.

Three steps, so that the upload page can show everything before anything is written:

- `read_plan_spreadsheet` reads the file into rows and problems (sheet and row of each);
- `check_plan_import` puts the rows beside the plan as it is: what each will create or change, and
  the problems only the plan can show (an organisation not of this partnership, a new action
  without a priority area);
- `import_plan_spreadsheet` checks again under a lock on the plan and writes, in one transaction;
  a row that changes nothing is not saved, so importing the same file twice changes nothing.

A blank cell never clears what the tracker holds (a rating, an owner, a progress update), as with
the published table's importer. A rating is written through `write_rating`; every other change is
stamped with the file's name as its reason.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.db import transaction

from send_tracker.accounts.models import Organisation
from send_tracker.history import stamp
from send_tracker.spreadsheets import MAX_UNPACKED_BYTES, WorkbookError, needs_quoting, open_workbook

from .choices import Brag, DueDateKind, PlanColumn
from .importer import ImportCounts, parse_brag, parse_due_date, plural
from .models import Action, Objective, Plan, PriorityArea
from .refs import ACTION_REF, canonical_ref
from .services import write_rating

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser

SPREADSHEET_SUFFIXES = (".xlsx", ".csv")
MAX_ROWS = 5000  # far more than any plan; a bigger sheet is not a plan
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 30  # title rows above the header
REF_MAX_LENGTH = 20
LEAD_OFFICER_MAX_LENGTH = 200
DUE_DATE_TEXT_MAX_LENGTH = 40
AREA_TITLE_MAX_LENGTH = 200
LEAVE_OUT = "leave_out"

# The words people head each column with, as `header_key` makes them.
HEADER_WORDS: dict[PlanColumn, tuple[str, ...]] = {
    PlanColumn.REF: ("ref", "pap ref", "action ref", "no", "number", "reference", "ref no"),
    PlanColumn.PRIORITY_AREA: ("priority", "priority area", "area for priority action", "area", "pap"),
    PlanColumn.DESCRIPTION: ("action", "description", "what we will do", "actions"),
    PlanColumn.OWNER: (
        "lead organisation",
        "lead organization",
        "owner",
        "agency",
        "lead agency",
        "organisation",
        "organization",
    ),
    PlanColumn.LEAD_OFFICER: ("lead", "lead officer", "responsible officer", "officer"),
    PlanColumn.DUE_DATE: ("target date", "due date", "deadline", "by when", "date", "timescale"),
    PlanColumn.BRAG: ("brag", "rag", "brag status", "rag status", "status", "rating", "brag rating"),
    PlanColumn.COMMENTARY: ("progress update", "update", "comment", "comments", "progress", "commentary"),
    PlanColumn.SUCCESS_MEASURE: ("success measure", "impact measure", "success criteria", "success measures"),
}
COLUMN_BY_WORDS: dict[str, PlanColumn] = {words: column for column, all in HEADER_WORDS.items() for words in all}

# A priority area written with its number: `PAP 1: Voice and views`, `1. Voice and views`, `Area 2 - ...`.
NUMBERED_AREA = re.compile(
    r"(?:(?:pap|priority\s+area|priority|area)\s*(?P<n1>\d{1,2})\s*[.:)\-\u2013\u2014]?|(?P<n2>\d{1,2})\s*[.:)\-\u2013\u2014])"
    r"\s*(?P<title>.*)",
    re.I | re.S,
)
# A section row's ref: a priority area's number (`2`, `PAP 2`), or an objective's (`2B`).
SECTION_REF = re.compile(r"(?:pap|priority\s+area|priority|area)?\s*(?P<number>\d{1,2})(?P<letter>[A-Z]?)", re.I)
DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4}|\d{2})")
# A financial-year quarter: `Q2 2025/26`, `Q2 25/26`, `2025/26 Q2`. Q1 is April to June.
QUARTER = re.compile(
    r"(?:q\s*(?P<q1>[1-4])\s*(?:fy\s*)?(?P<y1>\d{4}|\d{2})\s*[/\-\u2013]\s*(?P<z1>\d{4}|\d{2})"
    r"|(?:fy\s*)?(?P<y2>\d{4}|\d{2})\s*[/\-\u2013]\s*(?P<z2>\d{4}|\d{2})\s*q\s*(?P<q2>[1-4]))",
    re.I,
)
NOT_RATED_WORDS = frozenset({"not yet rated", "not rated", "none", "n/a", "-"})


def header_key(text: str) -> str:
    """A header as compared: lower case, each run of punctuation or spaces one space."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


# ---------------------------------------------------------------------------------------------
# Cells


def _year(text: str) -> int:
    year = int(text)
    # Two-digit years are this century: the plans answer to frameworks from 2018 on.
    return year + 2000 if year < 100 else year


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_target_date(value: object) -> tuple[datetime.date | None, DueDateKind]:
    """A target date as a spreadsheet holds it: a date cell, `31/03/2025`, `31/3/25`, `2025-03-31`,
    `31 March 2025`, a month (`March 2025`, `Mar 25`, `Mar-25`, `Sept 24`: its last day), a
    financial-year quarter (`Q2 2025/26`: its last day, 30 September 2025), `TBC` or `Ongoing`.
    Raises ValueError for anything else."""
    if isinstance(value, datetime.datetime):
        return value.date(), DueDateKind.DATE
    if isinstance(value, datetime.date):
        return value, DueDateKind.DATE
    text = " ".join(str(value or "").split())
    try:
        when = _text_date(text)
    except ValueError:
        raise ValueError(
            f"the target date {text!r} is not a date like 31/03/2025, a month like March 2025, a quarter like "
            "Q2 2025/26, TBC or Ongoing"
        ) from None
    if when is not None:
        if not 2000 <= when.year <= 2100:
            raise ValueError(f"the target date {text!r} is not between 2000 and 2100")
        return when, DueDateKind.DATE
    return parse_due_date(text)


def _text_date(text: str) -> datetime.date | None:
    """A dated target written out; None for text that is no such date (a month, TBC, Ongoing)."""
    if match := DAY_FIRST.fullmatch(text):
        return datetime.date(_year(match[3]), int(match[2]), int(match[1]))
    if match := ISO_DATE.fullmatch(text):
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    if match := DAY_MONTH_YEAR.fullmatch(text):
        from .importer import MONTHS

        if match[2].lower() not in MONTHS:
            raise ValueError(text)
        return datetime.date(_year(match[3]), MONTHS[match[2].lower()], int(match[1]))
    if match := QUARTER.fullmatch(text):
        quarter = int(match["q1"] or match["q2"])
        start, end = _year(match["y1"] or match["y2"]), _year(match["z1"] or match["z2"])
        if end != start + 1:
            raise ValueError(text)
        # Q1 ends in June, Q2 in September, Q3 in December (all of the first year), Q4 in March.
        return _month_end(start, quarter * 3 + 3) if quarter < 4 else _month_end(end, 3)
    return None


def parse_rating(value: object) -> Brag | None:
    """The BRAG cell: the five names in any case, or the letters B, R, A and G (G is Green, as a RAG
    column uses it: Grey, "not yet begun", has no letter and is written out). Blank is not yet rated."""
    text = " ".join(str(value or "").split())
    if text.lower() in NOT_RATED_WORDS:
        return None
    return parse_brag(text)


def _text(value: object) -> str:
    """A cell as text. Excel keeps `1` and `2.5` as numbers; a CSV the product wrote puts a quote
    before text a spreadsheet would run as a formula, which is taken off again here."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if text.startswith("'") and needs_quoting(text[1:]):
        text = text[1:]
    return text


def _one_line(value: object) -> str:
    return " ".join(_text(value).split())


def parse_area(text: str) -> tuple[int | None, str]:
    """A priority area cell or sheet name: its number if it gives one, and its title."""
    cleaned = " ".join(text.split())
    if match := NUMBERED_AREA.fullmatch(cleaned):
        return int(match["n1"] or match["n2"]), match["title"].strip()
    return None, cleaned


def plan_ref(published: str) -> str:
    """The stored form of a ref: `2B:1` is `2B1` as in the published plan; any other ref (`VV-01`,
    `12`) upper-cased without spaces. Raises ValueError for a ref with no letter or digit."""
    try:
        return canonical_ref(published)
    except ValueError:
        pass
    ref = re.sub(r"\s+", "", published).upper()
    if not re.search(r"[0-9A-Z]", ref):
        raise ValueError(f"{published!r} is not a ref: it has no letter or number") from None
    if len(ref) > REF_MAX_LENGTH:
        # Upper case can be longer than the text typed: "ﬁ" is "FI".
        raise ValueError(f"the ref {published!r} is longer than {REF_MAX_LENGTH} characters in capitals")
    return ref


# ---------------------------------------------------------------------------------------------
# What the reader reads


@dataclass(frozen=True)
class SheetProblem:
    """Something wrong in the file, at a sheet and a 1-based row (0 for the sheet as a whole)."""

    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" if self.row else self.sheet
        return f"{where}: {self.message}"


class SpreadsheetImportError(Exception):
    """The plan cannot be imported; `problems` lists every problem found."""

    def __init__(self, problems: list[SheetProblem]) -> None:
        self.problems = problems
        super().__init__(f"{plural(len(problems), 'problem')}: " + "; ".join(map(str, problems)))


@dataclass(frozen=True)
class SheetColumn:
    """A column of a sheet's header: its position, its header as written and what it holds."""

    index: int
    header: str
    column: PlanColumn | None


@dataclass(frozen=True)
class UnplacedColumn:
    """A header the reader could not place, for the person to say what it holds."""

    key: str
    header: str
    sheets: tuple[str, ...]


@dataclass(frozen=True)
class PlanRow:
    """An action's row, its cells read; a blank cell is None (never clears what the tracker holds)."""

    sheet: str
    row: int
    published_ref: str
    ref: str
    area_number: int | None
    area_title: str
    objective_code: str
    objective_text: str
    description: str | None
    owner: str | None
    lead_officer: str | None
    due_date: datetime.date | None
    due_date_kind: DueDateKind | None
    due_date_text: str
    brag: Brag | None
    commentary: str | None
    success_measure: str | None


@dataclass
class ReadPlan:
    """Everything read from one file: its rows, its problems and the columns it could not place."""

    filename: str
    rows: list[PlanRow] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)
    unplaced: list[UnplacedColumn] = field(default_factory=list)
    sheets: list[tuple[str, list[SheetColumn]]] = field(default_factory=list)


Cells = Sequence[object]


def read_plan_spreadsheet(filename: str, raw: bytes, mapping: dict[str, str] | None = None) -> ReadPlan:
    """Reads a plan from an `.xlsx` workbook or a `.csv` file. `mapping` says what a column the
    reader cannot place holds, by its `header_key` (a PlanColumn value, or LEAVE_OUT)."""
    name = PurePath(filename).name
    read = ReadPlan(filename=name)
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix == ".xlsx":
            sheets = _workbook_sheets(raw)
        elif suffix == ".csv":
            sheets = [(name, _csv_rows(raw))]
        else:
            raise ValueError(f"{name} is not an Excel workbook (.xlsx) or a CSV file (.csv)")
    except ValueError as error:
        read.problems.append(SheetProblem(name, 0, str(error)))
        return read
    _SheetsReader(read, mapping or {}).read(sheets)
    return read


def _workbook_sheets(raw: bytes) -> list[tuple[str, list[Cells]]]:
    try:
        workbook = open_workbook(raw, MAX_UNPACKED_BYTES)
    except WorkbookError as error:
        raise ValueError(f"{error}: is it the plan?" if "unpacks" in str(error) else str(error)) from None
    sheets: list[tuple[str, list[Cells]]] = []
    try:
        for sheet in workbook.worksheets:
            rows: list[Cells] = []
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                if len(rows) > MAX_ROWS:
                    raise ValueError(f"the sheet {sheet.title!r} has more than {MAX_ROWS} rows")
                rows.append(tuple(row[:MAX_COLUMNS]))
            sheets.append((sheet.title, rows))
    finally:
        workbook.close()
    return sheets


def _csv_rows(raw: bytes) -> list[Cells]:
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel's "CSV (Comma delimited)" writes Windows-1252.
            text = raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"the file is not UTF-8 or Windows-1252 text (byte {error.start + 1} cannot be read)"
            ) from None
    if "\x00" in text:
        raise ValueError("the file is not a CSV file (it holds NUL characters): is it an Excel workbook?")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[Cells] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            if len(rows) > MAX_ROWS:
                raise ValueError(f"the file has more than {MAX_ROWS} rows")
            rows.append(row[:MAX_COLUMNS])
    except csv.Error as error:
        raise ValueError(f"the file cannot be read as CSV: {error}") from None
    return rows


class _SheetsReader:
    """Finds each sheet's header and reads its rows."""

    def __init__(self, read: ReadPlan, mapping: dict[str, str]) -> None:
        self.read_plan = read
        self.mapping = mapping
        self.refs: dict[str, tuple[str, int]] = {}
        self.unplaced: dict[str, tuple[str, list[str]]] = {}

    def problem(self, sheet: str, row: int, message: str) -> None:
        self.read_plan.problems.append(SheetProblem(sheet, row, message))

    def read(self, sheets: list[tuple[str, list[Cells]]]) -> None:
        found = [(name, rows, header) for name, rows in sheets if (header := self.find_header(rows)) is not None]
        if not found:
            names = ", ".join(HEADER_WORDS[PlanColumn.REF][:3] + HEADER_WORDS[PlanColumn.DESCRIPTION][:2])
            self.problem(
                self.read_plan.filename,
                0,
                f"no sheet has a header row naming the plan's columns (a ref and an action: {names} ...)",
            )
            return
        for name, rows, (header_row, columns) in found:
            # One sheet for each priority area: the sheet's name is its area's.
            sheet_area = parse_area(name) if len(found) > 1 else None
            self.read_sheet(name, rows, header_row, columns, sheet_area)
        self.read_plan.unplaced = [
            UnplacedColumn(key, header, tuple(names)) for key, (header, names) in self.unplaced.items()
        ]
        if not self.read_plan.rows and not self.read_plan.problems:
            self.problem(self.read_plan.filename, 0, "the plan has no actions")

    def find_header(self, rows: list[Cells]) -> tuple[int, list[SheetColumn]] | None:
        """The first row, among the first few, naming a ref or action column and one more."""
        for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
            columns = [
                SheetColumn(index, _one_line(cell), self.placed(_one_line(cell))) for index, cell in enumerate(row)
            ]
            placed = {column.column for column in columns if column.column}
            if len(placed) >= 2 and placed & {PlanColumn.REF, PlanColumn.DESCRIPTION}:
                return number, columns
        return None

    def placed(self, header: str) -> PlanColumn | None:
        key = header_key(header)
        chosen = self.mapping.get(key)
        if chosen == LEAVE_OUT:
            return None
        if chosen in PlanColumn.values:
            return PlanColumn(chosen)
        return COLUMN_BY_WORDS.get(key)

    def read_sheet(
        self,
        sheet: str,
        rows: list[Cells],
        header_row: int,
        columns: list[SheetColumn],
        sheet_area: tuple[int | None, str] | None,
    ) -> None:
        where: dict[PlanColumn, int] = {}
        for column in columns:
            key = header_key(column.header)
            if column.column is None:
                if key and self.mapping.get(key) != LEAVE_OUT:
                    self.unplaced.setdefault(key, (column.header, []))[1].append(sheet)
                continue
            if column.column in where:
                self.problem(
                    sheet,
                    header_row,
                    f"two columns hold the {column.column.label.lower()}: "
                    f"{columns[where[column.column]].header!r} and {column.header!r}",
                )
                continue
            where[column.column] = column.index
        self.read_plan.sheets.append((sheet, columns))
        for needed in (PlanColumn.REF, PlanColumn.DESCRIPTION):
            if needed not in where:
                self.problem(sheet, header_row, f"no column holds the {needed.label.lower()}: say which does")
        if self.read_plan.problems:
            return
        section: tuple[int | None, str] | None = sheet_area
        objective: tuple[str, str] = ("", "")
        for number, row in enumerate(rows[header_row:], start=header_row + 1):
            cells = {column: row[index] if index < len(row) else None for column, index in where.items()}
            filled = [cell for cell in row if _text(cell)]
            if not filled:
                continue
            if any("\x00" in _text(cell) for cell in filled):
                self.problem(sheet, number, "a cell holds a NUL character, which cannot be saved")
                continue
            ref_text = _one_line(cells[PlanColumn.REF])
            if (
                ref_text
                and len(filled) == 2
                and PlanColumn.PRIORITY_AREA not in where
                and (match := SECTION_REF.fullmatch(ref_text))
            ):
                title = next(_text(cell) for cell in filled if _one_line(cell) != ref_text)
                section, objective = self.read_section(sheet, number, match, " ".join(title.split()), section)
                continue
            self.read_row(sheet, number, cells, section, objective)

    def read_section(
        self, sheet: str, number: int, match: re.Match[str], title: str, section: tuple[int | None, str] | None
    ) -> tuple[tuple[int | None, str] | None, tuple[str, str]]:
        """A section row: a priority area (`2`, `PAP 2`) or an objective under one (`2B`)."""
        area = int(match["number"])
        if match["letter"]:
            keep = section if section and section[0] == area else (area, "")
            return keep, (f"{area}{match['letter'].upper()}", title)
        if len(title) > AREA_TITLE_MAX_LENGTH:
            self.problem(sheet, number, f"the priority area's title is longer than {AREA_TITLE_MAX_LENGTH} characters")
        return (area, title[:AREA_TITLE_MAX_LENGTH]), ("", "")

    def read_row(
        self,
        sheet: str,
        number: int,
        cells: dict[PlanColumn, object],
        section: tuple[int | None, str] | None,
        objective: tuple[str, str],
    ) -> None:
        problems_before = len(self.read_plan.problems)

        def problem(message: str) -> None:
            self.problem(sheet, number, message)

        published_ref = _one_line(cells[PlanColumn.REF])
        ref = ""
        if not published_ref:
            problem("the row has no ref")
        elif len(published_ref) > REF_MAX_LENGTH:
            problem(f"the ref {published_ref[:30]!r} is longer than {REF_MAX_LENGTH} characters")
        else:
            try:
                ref = plan_ref(published_ref)
            except ValueError as error:
                problem(str(error))
        if ref in self.refs:
            first_sheet, first_row = self.refs[ref]
            problem(f"the ref {published_ref!r} appears twice (first at {first_sheet}, row {first_row})")
        elif ref:
            self.refs[ref] = (sheet, number)
        area_cell = _one_line(cells.get(PlanColumn.PRIORITY_AREA))
        area_number, area_title = parse_area(area_cell) if area_cell else section or (None, "")
        if len(area_title) > AREA_TITLE_MAX_LENGTH:
            problem(f"the priority area's title is longer than {AREA_TITLE_MAX_LENGTH} characters")
        lead_officer = _one_line(cells.get(PlanColumn.LEAD_OFFICER)) or None
        if lead_officer and len(lead_officer) > LEAD_OFFICER_MAX_LENGTH:
            problem(f"the lead officer is longer than {LEAD_OFFICER_MAX_LENGTH} characters")
        due_cell = cells.get(PlanColumn.DUE_DATE)
        due_text = _one_line(due_cell)
        due_date: datetime.date | None = None
        due_kind: DueDateKind | None = None
        if due_text:
            try:
                due_date, due_kind = parse_target_date(due_cell)
            except ValueError as error:
                problem(str(error))
        brag: Brag | None = None
        try:
            brag = parse_rating(cells.get(PlanColumn.BRAG))
        except ValueError as error:
            problem(str(error))
        if len(self.read_plan.problems) > problems_before:
            return
        self.read_plan.rows.append(
            PlanRow(
                sheet=sheet,
                row=number,
                published_ref=published_ref,
                ref=ref,
                area_number=area_number,
                area_title=area_title,
                objective_code=objective[0],
                objective_text=objective[1],
                description=_text(cells[PlanColumn.DESCRIPTION]) or None,
                owner=_one_line(cells.get(PlanColumn.OWNER)) or None,
                lead_officer=lead_officer,
                due_date=due_date,
                due_date_kind=due_kind,
                due_date_text=due_text[:DUE_DATE_TEXT_MAX_LENGTH],
                brag=brag,
                commentary=_text(cells.get(PlanColumn.COMMENTARY)) or None,
                success_measure=_text(cells.get(PlanColumn.SUCCESS_MEASURE)) or None,
            )
        )


# ---------------------------------------------------------------------------------------------
# The rows beside the plan


@dataclass
class CheckedRow:
    """A row as it will be saved: the action it updates (None for a new one) and what changes."""

    row: PlanRow
    action: Action | None
    area_number: int
    objective_code: str
    owner: Organisation | None
    fields: dict[str, Any]
    changes: list[str]
    rating: Brag | None

    @property
    def blank(self) -> str:
        """What a blank cell means: nothing for a new action, for one in the plan no change."""
        return "Not given" if self.action is None else "Unchanged"


@dataclass
class PlannedArea:
    """A priority area the import uses: one of the plan's, perhaps retitled, or a new one."""

    number: int
    title: str
    existing: PriorityArea | None
    retitled: bool = False


@dataclass
class CheckedPlan:
    """The file beside the plan: every row as it will be saved, and every problem."""

    read: ReadPlan
    rows: list[CheckedRow] = field(default_factory=list)
    areas: dict[int, PlannedArea] = field(default_factory=dict)
    objective_texts: dict[tuple[int, str], str] = field(default_factory=dict)
    problems: list[SheetProblem] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return any(row.action is None or row.changes for row in self.rows) or any(
            area.existing is None or area.retitled for area in self.areas.values()
        )


def _organisations(plan: Plan) -> dict[str, Organisation]:
    """The partnership's organisations by name and by short name, compared whatever the case."""
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(partnership_id=plan.partnership_id):
        for name in (organisation.name, organisation.short_name):
            if name:
                found.setdefault(" ".join(name.split()).casefold(), organisation)
    return found


def check_plan_import(plan: Plan, read: ReadPlan) -> CheckedPlan:
    """Puts what was read beside the plan as it is now, adding the problems only the plan shows."""
    checked = CheckedPlan(read=read, problems=list(read.problems))
    if read.problems:
        return checked
    areas = {area.number: area for area in plan.priority_areas.all()}
    by_title = {area.title.casefold(): area for area in areas.values()}
    objectives = {
        (objective.priority_area.number, objective.code): objective
        for objective in Objective.objects.filter(priority_area__plan=plan).select_related("priority_area")
    }
    actions = {action.ref: action for action in Action.objects.filter(plan=plan).select_related("lead_officer")}
    organisations = _organisations(plan)
    for row in read.rows:
        area = _area_of(checked, areas, by_title, row)
        existing = actions.get(row.ref)
        if area is not None:
            number = area.number
        elif existing is not None:
            number = existing.objective.priority_area.number
        else:
            checked.problems.append(
                SheetProblem(
                    row.sheet,
                    row.row,
                    "the action has no priority area: give a priority area column, a section row above it "
                    "(a ref and a title), or a sheet for each area",
                )
            )
            continue
        owner = None
        if row.owner:
            owner = organisations.get(row.owner.casefold())
            if owner is None:
                checked.problems.append(
                    SheetProblem(row.sheet, row.row, f"{row.owner!r} is not an organisation of this partnership")
                )
                continue
        if existing is None and not row.description:
            checked.problems.append(
                SheetProblem(row.sheet, row.row, f"the new action {row.published_ref!r} has no text")
            )
            continue
        code = _objective_code(checked, objectives, existing, number, row)
        checked.rows.append(_checked_row(row, existing, number, code, owner, objectives))
    return checked


def _area_of(
    checked: CheckedPlan, areas: dict[int, PriorityArea], by_title: dict[str, PriorityArea], row: PlanRow
) -> PlannedArea | None:
    number, title = row.area_number, row.area_title
    if number is None and not title:
        return None
    if number is None:
        planned_match = next((a for a in checked.areas.values() if a.title.casefold() == title.casefold()), None)
        if planned_match is not None:
            return planned_match
        known = by_title.get(title.casefold())
        number = known.number if known else max([0, *areas, *checked.areas]) + 1
    planned = checked.areas.get(number)
    if planned is None:
        existing = areas.get(number)
        planned = PlannedArea(number, existing.title if existing else title or f"Priority area {number}", existing)
        checked.areas[number] = planned
    if title and planned.title != title:
        planned.title = title
        planned.retitled = planned.existing is not None
    return planned


def _objective_code(
    checked: CheckedPlan,
    objectives: dict[tuple[int, str], Objective],
    existing: Action | None,
    number: int,
    row: PlanRow,
) -> str:
    """The objective a row's action belongs under: its section's, the one it is under already
    while its area is unchanged, the one its ref names (`2B1` is under 2B), the area's first, or a
    new one named after the area."""
    if row.objective_code:
        checked.objective_texts[(number, row.objective_code)] = row.objective_text
        return row.objective_code
    if existing is not None and existing.objective.priority_area.number == number:
        return existing.objective.code
    match = ACTION_REF.fullmatch(row.ref)
    named = f"{match['area']}{match['letter'] or ''}" if match else ""
    under = sorted(
        (objective for (area, _), objective in objectives.items() if area == number),
        key=lambda o: (o.position, o.code),
    )
    for objective in under:
        if objective.code == named:
            return named
    if under:
        return under[0].code
    code = str(number)
    checked.objective_texts.setdefault((number, code), "")
    return code


def _checked_row(
    row: PlanRow,
    existing: Action | None,
    number: int,
    code: str,
    owner: Organisation | None,
    objectives: dict[tuple[int, str], Objective],
) -> CheckedRow:
    wanted: dict[str, Any] = {"published_ref": row.published_ref}
    if row.description:
        wanted["description"] = row.description
    if owner is not None:
        wanted["owner_id"] = owner.pk
    if row.commentary:
        wanted["comment"] = row.commentary
    if row.success_measure:
        wanted["success_measure"] = row.success_measure
    if row.due_date_kind is not None:
        wanted["due_date"] = row.due_date
        wanted["due_date_kind"] = row.due_date_kind
    if existing is None:
        return CheckedRow(row, None, number, code, owner, wanted, [], row.brag)
    changes: list[str] = []
    fields = {name: value for name, value in wanted.items() if getattr(existing, name) != value}
    if row.lead_officer and row.lead_officer != _lead_officer_name(existing):
        fields["lead_officer_name"] = row.lead_officer
        fields["lead_officer_id"] = None
    objective = objectives.get((number, code))
    if objective is None or objective.pk != existing.objective_id:
        fields["objective"] = code
        changes.append("priority area" if existing.objective.priority_area.number != number else "objective")
    labels = {
        "published_ref": "ref",
        "description": "action",
        "owner_id": "lead organisation",
        "comment": "progress update",
        "success_measure": "success measure",
        "due_date": "target date",
        "lead_officer_name": "lead officer",
    }
    changes += [label for name, label in labels.items() if name in fields]
    if "due_date_kind" in fields and "due_date" not in fields:
        changes.append("target date")
    rating = row.brag if row.brag is not None and row.brag != existing.brag else None
    if rating:
        changes.append("rating")
    return CheckedRow(row, existing, number, code, owner, fields, changes, rating)


def _lead_officer_name(action: Action) -> str:
    if action.lead_officer_name:
        return action.lead_officer_name
    if action.lead_officer is not None:
        return action.lead_officer.get_full_name() or action.lead_officer.get_username()
    return ""


# ---------------------------------------------------------------------------------------------
# Writing


def import_reason(filename: str) -> str:
    return f"Imported from {filename}"


def import_plan_spreadsheet(*, plan: Plan, read: ReadPlan, by: AnyUser | None) -> ImportCounts:
    """Writes what was read into `plan` in one transaction, after checking it again under a lock on
    the plan; raises SpreadsheetImportError, having written nothing, if there is any problem."""
    reason = import_reason(read.filename)
    counts = ImportCounts()
    with transaction.atomic():
        # Two imports into one plan at once would both create the same rows; the lock makes the
        # second wait, and then find them.
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        checked = check_plan_import(plan, read)
        if checked.problems:
            raise SpreadsheetImportError(checked.problems)
        areas = _write_areas(plan, checked, by, reason)
        objectives = _write_objectives(checked, areas, by, reason)
        position = max([0, *Action.objects.filter(plan=plan).values_list("position", flat=True)])
        for row in checked.rows:
            objective = objectives[(row.area_number, row.objective_code)]
            if row.action is None:
                position += 1
                action = Action(
                    plan=plan,
                    ref=row.row.ref,
                    objective=objective,
                    position=position,
                    lead_officer_name=row.row.lead_officer or "",
                    due_date_text=row.row.due_date_text if row.row.due_date_kind else "",
                    **row.fields,
                )
                _save_action(action, row.rating, row.row, by, reason)
                counts.created += 1
                continue
            if not row.changes:
                counts.unchanged += 1
                continue
            action = row.action
            for name, value in row.fields.items():
                if name == "objective":
                    action.objective = objective
                else:
                    setattr(action, name, value)
            if "due_date_kind" in row.fields or "due_date" in row.fields:
                action.due_date_text = row.row.due_date_text
            if row.rating is None:
                # Every save is a new version, so that a form opened before the import is refused
                # rather than silently overwriting what the import changed.
                action.version += 1
            _save_action(action, row.rating, row.row, by, reason)
            counts.updated += 1
    return counts


def _save_action(action: Action, rating: Brag | None, row: PlanRow, by: AnyUser | None, reason: str) -> None:
    if rating is not None:
        # The one rating writer: the rating's commentary is the row's progress update.
        write_rating(action, brag=rating, commentary=row.commentary or reason, by=by, reason=reason)
    else:
        stamp(action, by=by, reason=reason)
        action.save()


def _write_areas(plan: Plan, checked: CheckedPlan, by: AnyUser | None, reason: str) -> dict[int, PriorityArea]:
    written: dict[int, PriorityArea] = {}
    for number, planned in checked.areas.items():
        area = planned.existing
        if area is None:
            area = PriorityArea(plan=plan, number=number, title=planned.title)
        elif planned.retitled:
            area.title = planned.title
            area.version += 1
        else:
            written[number] = area
            continue
        stamp(area, by=by, reason=reason)
        area.save()
        written[number] = area
    for number in {row.area_number for row in checked.rows} - set(written):
        written[number] = plan.priority_areas.get(number=number)
    return written


def _write_objectives(
    checked: CheckedPlan, areas: dict[int, PriorityArea], by: AnyUser | None, reason: str
) -> dict[tuple[int, str], Objective]:
    needed = {(row.area_number, row.objective_code) for row in checked.rows}
    found: dict[tuple[int, str], Objective] = {}
    for number, code in sorted(needed):
        area = areas[number]
        text = checked.objective_texts.get((number, code)) or area.title
        objective = Objective.objects.filter(priority_area=area, code=code).first()
        if objective is None:
            objective = Objective(priority_area=area, code=code, text=text, position=area.objectives.count() + 1)
        elif checked.objective_texts.get((number, code)) and objective.text != text:
            objective.text = text
            objective.version += 1
        else:
            found[(number, code)] = objective
            continue
        stamp(objective, by=by, reason=reason)
        objective.save()
        found[(number, code)] = objective
    return found
