"""Reads the DfE's published EHC plan timeliness figures into EhcpTimeliness.

The DfE has published the same measure in three column layouts (send_tracker/seed_data/
DATA_README.md): the 2022-and-earlier `sen2_mi.csv` (TotNoExcEHC, NoExc20weekRate, ...), the 2025
`timeliness_20_week.csv` (plans_issued_den_ex, PC_plans_issued_20_weeks_ex, ...) and the 2026 one
(all lower case, breakdown "All EHC plans", average weeks added). Column names are matched without
regard to case or order, so the layout is recognised by which columns are there.

The whole file is read and checked before anything is written; one bad line refuses the file,
with every problem named by its line number. Then the rows go in, in one transaction, as one bulk
upsert keyed on (level, area_code, year): a later release revises a year in place.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from send_tracker import freshness

from .choices import GeographicLevel, MissingReason
from .models import EhcpTimeliness

# The DfE's symbols for a figure it does not give (its "symbols used" guidance). Anything else that
# is not a number refuses the file: guessing would put a wrong figure beside the real ones.
MARKERS: dict[str, str] = {
    "x": MissingReason.NOT_AVAILABLE,
    "z": MissingReason.NOT_APPLICABLE,
    "c": MissingReason.CONFIDENTIAL,
}

LEVELS: dict[str, str] = {
    "national": GeographicLevel.NATIONAL,
    "regional": GeographicLevel.REGIONAL,
    "local authority": GeographicLevel.LOCAL_AUTHORITY,
}

GEOGRAPHY_COLUMNS = (
    "time_period",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
)

PERCENT_FIELDS = ("pc_within_20_weeks", "pc_within_20_weeks_ex")
WEEKS_FIELDS = ("avg_weeks", "avg_weeks_ex")
ONE_PLACE = Decimal("0.1")
# Counts are stored in PostgreSQL integer columns (at most 2,147,483,647); England issues about
# 100,000 plans a year, so a larger figure is a broken file, refused with its line.
MAX_PLANS = 10_000_000
# How many problems a refusal lists: enough to fix a file, not a wall of text for a wrong file.
MAX_REPORTED_ERRORS = 25


@dataclass(frozen=True)
class Layout:
    """One column scheme the DfE has published, mapping its columns to EhcpTimeliness fields.

    Column names are written as the DfE published them (for messages) and matched in lower case.
    """

    name: str
    figures: dict[str, str]
    # Rows are one breakdown of many (age, need, ...) in the newer files; only the total is kept.
    breakdown_column: str | None = None
    all_plans_labels: frozenset[str] = frozenset()

    @property
    def required_columns(self) -> tuple[str, ...]:
        extra = (self.breakdown_column,) if self.breakdown_column else ()
        return (*GEOGRAPHY_COLUMNS, *extra, *self.figures.values())

    def column(self, field_name: str) -> str | None:
        published = self.figures.get(field_name)
        return published.lower() if published else None


LAYOUT_2022 = Layout(
    name="sen2_mi.csv layout (2022 and earlier)",
    figures={
        "plans_issued": "TotIncExcEHC",
        "plans_issued_ex": "TotNoExcEHC",
        "within_20_weeks": "IncExc20weekEHC",
        "within_20_weeks_ex": "NoExc20weekEHC",
        "pc_within_20_weeks": "IncExc20weekRate",
        "pc_within_20_weeks_ex": "NoExc20weekRate",
    },
)
LAYOUT_2025 = Layout(
    name="timeliness_20_week.csv layout (2025 release)",
    figures={
        "plans_issued": "plans_issued_den",
        "plans_issued_ex": "plans_issued_den_ex",
        "within_20_weeks": "plans_issued_within_20_weeks",
        "within_20_weeks_ex": "plans_issued_20_weeks_ex",
        "pc_within_20_weeks": "pc_plans_issued_within_20_weeks",
        "pc_within_20_weeks_ex": "PC_plans_issued_20_weeks_ex",
    },
    breakdown_column="breakdown",
    all_plans_labels=frozenset({"all ehc plans issued", "all ehc plans"}),
)
LAYOUT_2026 = Layout(
    name="timeliness_20_week.csv layout (2026 release)",
    figures={
        **{key: column.lower() for key, column in LAYOUT_2025.figures.items()},
        "avg_weeks": "avg_weeks_issue_plan",
        "avg_weeks_ex": "avg_weeks_issue_plan_exc",
    },
    breakdown_column="breakdown",
    all_plans_labels=frozenset({"all ehc plans", "all ehc plans issued"}),
)
# Most specific first: the 2026 layout is the 2025 one plus the average-weeks columns.
LAYOUTS: tuple[Layout, ...] = (LAYOUT_2026, LAYOUT_2025, LAYOUT_2022)

IDENTITY_FIELDS = ("area_name", "old_la_code", "new_la_code", "region_code", "region_name")
UPDATE_FIELDS = [*IDENTITY_FIELDS, *EhcpTimeliness.FIGURE_FIELDS, "missing", "source_release", "imported_at"]


class DfeFileError(Exception):
    """The file was refused; nothing was written. `problems` lists each, by line where it has one."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.problems = list(problems)
        shown = self.problems[:MAX_REPORTED_ERRORS]
        more = len(self.problems) - len(shown)
        lines = [message, *shown] + ([f"... and {more} more."] if more > 0 else [])
        super().__init__("\n".join(lines))


class UnknownLayoutError(DfeFileError):
    """The header matches none of the DfE layouts the importer knows."""


@dataclass
class ParsedRow:
    line: int
    level: str
    area_code: str
    area_name: str
    old_la_code: str
    new_la_code: str
    region_code: str
    region_name: str
    year: int
    figures: dict[str, int | Decimal | None]
    missing: dict[str, str]

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.level, self.area_code, self.year)


@dataclass
class ParsedFile:
    layout: Layout
    rows: list[ParsedRow] = field(default_factory=list)
    skipped: int = 0


@dataclass(frozen=True)
class ImportResult:
    """What an import did. `imported` counts new rows, `updated` rows whose figures changed."""

    layout: str
    imported: int
    updated: int
    unchanged: int
    skipped: int

    @property
    def summary(self) -> str:
        return f"rows imported: {self.imported}, updated: {self.updated}, skipped: {self.skipped}"


def _decode(raw: bytes) -> str:
    try:
        # utf-8-sig drops the byte-order mark the DfE's files start with.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older DfE downloads were saved from Excel in Windows-1252; every byte decodes, so a
        # binary file still fails below, on its header.
        return raw.decode("cp1252")


def _normalise(name: str) -> str:
    return name.replace("\ufeff", "").strip().strip('"').strip().lower()


def detect_layout(header: Sequence[str]) -> Layout:
    names = {_normalise(name) for name in header}
    for layout in LAYOUTS:
        if {column.lower() for column in layout.required_columns} <= names:
            return layout
    message = "This file's columns match none of the DfE layouts the importer reads; nothing was imported."

    def absent(layout: Layout) -> list[str]:
        return [column for column in layout.required_columns if column.lower() not in names]

    closest = min(LAYOUTS, key=lambda layout: len(absent(layout)))
    if {column.lower() for column in closest.figures.values()} & names:
        message += f" It looks like the {closest.name} but has no column {', '.join(absent(closest))}."
    message += " The columns expected, in any order and any case, are:"
    raise UnknownLayoutError(
        message,
        [f"{layout.name}: {', '.join(layout.required_columns)}" for layout in (LAYOUT_2022, LAYOUT_2025, LAYOUT_2026)],
    )


def _figure(text: str, field_name: str, column: str) -> tuple[int | Decimal | None, str | None]:
    """(value, missing reason); ValueError with a reader's message for anything else."""
    cleaned = text.strip()
    if cleaned.lower() in MARKERS:
        return None, MARKERS[cleaned.lower()]
    if cleaned == "":
        raise ValueError(f"{column} is empty; expected a number or one of the DfE's markers x, z or c")
    try:
        number = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        raise ValueError(
            f"{column} is “{cleaned}”, which is not a number or one of the DfE's markers x, z or c"
        ) from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{column} is {cleaned}; a count, percentage or number of weeks cannot be negative")
    if field_name in EhcpTimeliness.COUNT_FIELDS:
        if number != number.to_integral_value():
            raise ValueError(f"{column} is {cleaned}; a number of plans must be a whole number")
        if number > MAX_PLANS:
            raise ValueError(f"{column} is {cleaned}, more plans than any area issues in a year")
        return int(number), None
    if field_name in PERCENT_FIELDS and number > 100:
        raise ValueError(f"{column} is {cleaned}; a percentage cannot be over 100")
    if field_name in WEEKS_FIELDS and number >= 1000:
        raise ValueError(f"{column} is {cleaned} weeks, which is not plausible")
    # The DfE publishes percentages and weeks to one decimal place; the old files pad them with
    # zeros (57.900000000000), which this drops without changing the figure.
    return number.quantize(ONE_PLACE, rounding=ROUND_HALF_UP), None


def _check_consistency(figures: dict[str, int | Decimal | None]) -> list[str]:
    problems = []
    for part, whole in (
        ("within_20_weeks", "plans_issued"),
        ("within_20_weeks_ex", "plans_issued_ex"),
        ("plans_issued_ex", "plans_issued"),
    ):
        part_value, whole_value = figures.get(part), figures.get(whole)
        if part_value is not None and whole_value is not None and part_value > whole_value:
            problems.append(f"{part} ({part_value}) is more than {whole} ({whole_value})")
    return problems


def parse(raw: bytes) -> ParsedFile:
    """Read and check every line; DfeFileError lists all the problems found."""
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise DfeFileError("The file is empty; nothing was imported.") from None
    except csv.Error as exc:
        raise DfeFileError(f"The file could not be read as CSV ({exc}); nothing was imported.") from None
    names = [_normalise(name) for name in header]
    duplicated = sorted({name for name in names if names.count(name) > 1 and name})
    if duplicated:
        raise DfeFileError(f"The header names these columns twice: {', '.join(duplicated)}. Nothing was imported.")
    layout = detect_layout(header)
    index = {name: position for position, name in enumerate(names)}
    parsed = ParsedFile(layout=layout)
    problems: list[str] = []
    seen: dict[tuple[str, str, int], int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                problems.append(f"line {line}: {len(cells)} columns where the header has {len(names)}")
                continue
            try:
                row = _parse_row(cells, index, layout)
            except RowProblems as exc:
                problems.extend(f"line {line}: {problem}" for problem in exc.problems)
                continue
            if row is None:
                parsed.skipped += 1
                continue
            row.line = line
            if row.key in seen:
                problems.append(
                    f"line {line}: {row.area_name} {row.year} appears again (first on line {seen[row.key]})"
                )
                continue
            seen[row.key] = line
            parsed.rows.append(row)
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: not valid CSV ({exc})")
    if problems:
        raise DfeFileError(f"The file has {len(problems)} problem(s); nothing was imported.", problems)
    return parsed


class RowProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _parse_row(cells: list[str], index: dict[str, int], layout: Layout) -> ParsedRow | None:
    """The row's figures; None for a row rightly not imported (another breakdown or geography).
    RowProblems lists everything wrong with the row at once."""

    def cell(column: str) -> str:
        return cells[index[column]].strip()

    if layout.breakdown_column and cell(layout.breakdown_column).lower() not in layout.all_plans_labels:
        return None
    level = LEVELS.get(cell("geographic_level").lower())
    if level is None:
        return None
    row_problems: list[str] = []
    year_text = cell("time_period")
    year = int(year_text) if re.fullmatch(r"\d{4}", year_text) else 0
    if not 2000 <= year <= 2100:
        row_problems.append(f"time_period is “{year_text}”; expected a calendar year such as 2024")
    if level == GeographicLevel.NATIONAL:
        code, name = cell("country_code"), cell("country_name")
    elif level == GeographicLevel.REGIONAL:
        code, name = cell("region_code"), cell("region_name")
    else:
        code, name = cell("new_la_code"), cell("la_name")
    if not code or not name:
        row_problems.append(f"a {level.replace('_', ' ')} row needs its area code and name")
    figures: dict[str, int | Decimal | None] = {}
    missing: dict[str, str] = {}
    for field_name in EhcpTimeliness.FIGURE_FIELDS:
        column = layout.column(field_name)
        if column is None:
            figures[field_name], missing[field_name] = None, MissingReason.NOT_PUBLISHED.value
            continue
        try:
            value, reason = _figure(cell(column), field_name, layout.figures[field_name])
        except ValueError as exc:
            row_problems.append(str(exc))
            continue
        figures[field_name] = value
        if reason is not None:
            missing[field_name] = reason
    row_problems.extend(_check_consistency(figures))
    if row_problems:
        raise RowProblems(row_problems)
    return ParsedRow(
        line=0,
        level=level,
        area_code=code,
        area_name=name,
        old_la_code=cell("old_la_code") if level == GeographicLevel.LOCAL_AUTHORITY else "",
        new_la_code=cell("new_la_code") if level == GeographicLevel.LOCAL_AUTHORITY else "",
        region_code=cell("region_code") if level != GeographicLevel.NATIONAL else "",
        region_name=cell("region_name") if level != GeographicLevel.NATIONAL else "",
        year=year,
        figures=figures,
        missing=missing,
    )


def _differs(existing: EhcpTimeliness, row: ParsedRow) -> bool:
    if any(getattr(existing, name) != getattr(row, name) for name in IDENTITY_FIELDS):
        return True
    if any(getattr(existing, name) != row.figures[name] for name in EhcpTimeliness.FIGURE_FIELDS):
        return True
    return (existing.missing or {}) != row.missing


def import_timeliness(raw: bytes, source_name: str) -> ImportResult:
    """Check the whole file, then write it in one transaction. DfeFileError: nothing written."""
    parsed = parse(raw)
    release = f"{source_name} ({parsed.layout.name})"[:200]
    now = timezone.now()
    years = {row.year for row in parsed.rows}
    with transaction.atomic():
        existing = {(row.level, row.area_code, row.year): row for row in EhcpTimeliness.objects.filter(year__in=years)}
        to_write: list[EhcpTimeliness] = []
        imported = updated = 0
        for row in parsed.rows:
            current = existing.get(row.key)
            if current is not None and not _differs(current, row):
                continue
            if current is None:
                imported += 1
            else:
                updated += 1
            to_write.append(
                EhcpTimeliness(
                    level=row.level,
                    area_code=row.area_code,
                    year=row.year,
                    **{name: getattr(row, name) for name in IDENTITY_FIELDS},
                    **row.figures,
                    missing=row.missing,
                    source_release=release,
                    imported_at=now,
                )
            )
        if to_write:
            # One statement per batch: INSERT ... ON CONFLICT (level, area_code, year) DO UPDATE.
            EhcpTimeliness.objects.bulk_create(
                to_write,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["level", "area_code", "year"],
                update_fields=UPDATE_FIELDS,
            )
            freshness.bump(None)  # the DfE's figures are every partnership's
    return ImportResult(
        layout=parsed.layout.name,
        imported=imported,
        updated=updated,
        unchanged=len(parsed.rows) - imported - updated,
        skipped=parsed.skipped,
    )


def import_timeliness_file(path: str | Path) -> ImportResult:
    file_path = Path(path)
    return import_timeliness(file_path.read_bytes(), file_path.name)
