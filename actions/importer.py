"""Reads a Priority Action Plan as the partnership published it, and loads it into a plan.

The published plan (appendix B of send_tracker/seed_data/2024-05-20-eyp-scrutiny-pap-update.txt)
is a committee report with the PAP table pasted in: tab-separated, its header `PAP Ref, Objective,
Theme, Project(s), Comment, Date, BRAG` repeated on every page, with the priority areas and Areas
for Improvement as bullets above it and the quarterly transformation roadmap below it. The table
is messy, as real ones are: target dates like `Apr 24`, `Sept 24`, `TBC` and `On go`; refs written
`2B:1` beside `2A1`; themes abbreviated (`Right Support Right Provis'n`), named through the
partnership's aliases file (`PlanAliases`; Oxfordshire's is
send_tracker/sample_data/oxfordshire/plan_aliases.toml). Everything published is kept as printed
beside a clean form.

Two steps, so that a file with one bad row writes nothing:

- `parse_plan_table` reads the whole text and collects every problem with its line number; if
  there is any, it raises `PlanImportError` carrying them all.
- `import_plan` writes a parsed plan in one transaction, saving only rows that differ, so that
  importing the same file twice writes nothing and adds no history.
"""

from __future__ import annotations

import calendar
import datetime
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from send_tracker.history import stamp

from .choices import Brag, DueDateKind
from .models import (
    Action,
    AreaForImprovement,
    Objective,
    Plan,
    PriorityArea,
    RoadmapMilestone,
    Theme,
    Workstream,
)
from .refs import ACTION_REF, canonical_ref
from .services import write_rating

if TYPE_CHECKING:
    from send_tracker.accounts.models import User

TABLE_COLUMNS: tuple[str, ...] = ("PAP Ref", "Objective", "Theme", "Project(s)", "Comment", "Date", "BRAG")
PRIORITY_AREA_NUMBERS = range(1, 6)  # the inspection framework sets at most five areas for priority action

# The history reason on every row the importer saves.
IMPORT_REASON = "Imported from the published plan"

# English month names and the abbreviations council papers use. Written out rather than taken
# from `calendar.month_name`, which follows the process locale.
MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
TBC_WORDS = frozenset({"tbc", "to be confirmed"})
ONGOING_WORDS = frozenset({"on go", "ongoing", "on-going", "on going"})

# The BRAG cell: the DfE's five words, or their initials as a board's RAG column prints them.
BRAG_WORDS: dict[str, Brag] = {
    "blue": Brag.BLUE, "b": Brag.BLUE, "red": Brag.RED, "r": Brag.RED, "amber": Brag.AMBER, "a": Brag.AMBER,
    "green": Brag.GREEN, "g": Brag.GREEN, "grey": Brag.GREY, "gray": Brag.GREY,
}  # fmt: skip

# Refs are matched upper-cased with spaces removed. An objective is a priority area's number with
# an optional letter (`1`, `2A`); an action adds a number, after a `:` or `.` or directly after
# the letter (`2B:1`, `2A1`, `1.1`). Without a letter the separator is required: `11` could be
# 1.1 or an eleventh area, so it is read as an objective and refused.
OBJECTIVE_CODE = re.compile(r"(?P<area>\d+)(?P<letter>[A-Z]?)")

BULLET = re.compile(r"^\s*[-*\u2022]\s+(?P<text>.*\S)\s*$")
PRIORITY_AREA_BULLET = re.compile(r"^\s*[-*\u2022]\s*\*\*\s*PAP\s*(?P<number>\d+)\s*[.:]?\s*\*\*\s*(?P<text>.*)$", re.I)
AFI_BULLET = re.compile(r"^\s*[-*\u2022]\s*\*\*\s*AfI\s*(?P<number>\d+)\s*[.:]?\s*\*\*\s*[.:]?\s*(?P<text>.*)$", re.I)
BOLD = re.compile(r"\*\*(.+?)\*\*")
ROADMAP_HEADING = re.compile(r"^\s*SEND transformation roadmap\b", re.I)
ROADMAP_YEAR = re.compile(r"\d{4}")
# Whose strategy it is does not belong in a short name for the area.
POSSESSIVES = re.compile(r"\b(?:their|its|our)\s+", re.I)

Named = TypeVar("Named", Theme, Workstream)


# ---------------------------------------------------------------------------------------------
# What the parser reads


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong in the published file, at a 1-based line (0 for the file as a whole)."""

    line_number: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line_number}: {self.message}" if self.line_number else self.message


class PlanImportError(Exception):
    """The file cannot be imported; `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        shown = "; ".join(str(problem) for problem in problems[:5])
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        super().__init__(f"{plural(len(problems), 'problem')}: {shown}{more}")


@dataclass(frozen=True)
class ParsedPriorityArea:
    """An area for priority action from the report's bullets: `PAP 1. ... the voice and views ...`."""

    number: int
    title: str
    description: str
    line_number: int


@dataclass(frozen=True)
class ParsedObjective:
    """An objective row of the table (`2B` and its outcome), under priority area `2`."""

    code: str
    priority_area_number: int
    text: str
    line_number: int
    position: int


@dataclass(frozen=True)
class ParsedAction:
    """An action row of the table: the clean values beside the text exactly as published."""

    published_ref: str
    ref: str
    objective_code: str
    description: str
    themes_text: str
    themes: tuple[str, ...]
    workstreams_text: str
    workstreams: tuple[str, ...]
    comment: str
    due_date: datetime.date | None
    due_date_kind: DueDateKind
    due_date_text: str
    brag: Brag | None
    line_number: int
    position: int


@dataclass(frozen=True)
class ParsedAreaForImprovement:
    """One of the inspection's Areas for Improvement, from a `**Afi 1:**` bullet."""

    number: int
    text: str
    line_number: int


@dataclass(frozen=True)
class ParsedMilestone:
    """A bullet of the transformation roadmap, under the quarter (month and year) it is listed in."""

    quarter_start: datetime.date
    text: str
    position: int
    line_number: int


@dataclass
class ParsedPlan:
    """Everything read from one published plan, in the order it was published."""

    priority_areas: list[ParsedPriorityArea] = field(default_factory=list)
    objectives: list[ParsedObjective] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    areas_for_improvement: list[ParsedAreaForImprovement] = field(default_factory=list)
    milestones: list[ParsedMilestone] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Cells


def _clean(text: str) -> str:
    return " ".join(text.split())


def _alias_key(text: str) -> str:
    # Word processors turn the apostrophe of "Provis'n" curly; the alias tables use a straight one.
    return _clean(text).lower().replace("\u2019", "'")


def parse_due_date(text: str) -> tuple[datetime.date | None, DueDateKind]:
    """Reads a published target date. A target month means "by the end of" it, so `Apr 24` is
    30 April 2024; `TBC` and `On go` have no date. Raises ValueError for anything else."""
    cleaned = _clean(text)
    lowered = cleaned.lower()
    if not cleaned:
        return None, DueDateKind.NONE
    if lowered in TBC_WORDS:
        return None, DueDateKind.TBC
    if lowered in ONGOING_WORDS:
        return None, DueDateKind.ONGOING
    match = re.fullmatch(r"([A-Za-z]+)\.?\s*[-'\u2019]?\s*(\d{4}|\d{2})", cleaned)
    if match is None or match[1].lower() not in MONTHS:
        raise ValueError(f"the date {cleaned!r} is not a month and year, TBC or On go")
    month = MONTHS[match[1].lower()]
    year = int(match[2])
    # Two-digit years are this century: the framework the plans answer to dates from 2023.
    year = year + 2000 if year < 100 else year
    return datetime.date(year, month, calendar.monthrange(year, month)[1]), DueDateKind.DATE


@dataclass(frozen=True)
class PlanAliases:
    """How a partnership's published plan abbreviates its programme themes (the Theme column) and
    workstreams (the Project(s) column): each cell, keyed as `_alias_key` makes it, and the names
    it means. A cell not listed is a new theme or workstream of that name."""

    themes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    workstreams: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def theme_names(self, cell: str) -> tuple[str, ...]:
        """The programme themes a published Theme cell names."""
        return self._names(cell, self.themes)

    def workstream_names(self, cell: str) -> tuple[str, ...]:
        """The programme workstreams a published Project(s) cell names."""
        return self._names(cell, self.workstreams)

    @staticmethod
    def _names(cell: str, aliases: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        key = _alias_key(cell)
        if not key:
            return ()
        if key in aliases:
            return aliases[key]
        return (_clean(cell),)


NO_ALIASES = PlanAliases()


def read_aliases(path: Path) -> PlanAliases:
    """A partnership's aliases file (TOML: a `[themes]` and a `[workstreams]` table, each mapping a
    cell as published to the list of names it means). Raises ValueError naming the file and key of
    anything it cannot read."""
    try:
        with path.open("rb") as file:
            tables = tomllib.load(file)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name}: not valid TOML: {error}") from None
    unknown = sorted(set(tables) - {"themes", "workstreams"})
    if unknown:
        raise ValueError(f"{path.name}: unknown table {', '.join(repr(key) for key in unknown)}")
    read: dict[str, dict[str, tuple[str, ...]]] = {}
    for table in ("themes", "workstreams"):
        cells = tables.get(table, {})
        if not isinstance(cells, dict):
            raise ValueError(f"{path.name}: '{table}' must be a table")
        read[table] = {}
        for cell, names in cells.items():
            if not isinstance(names, list) or not all(isinstance(name, str) and name.strip() for name in names):
                raise ValueError(f"{path.name} [{table}] {cell!r}: must be a list of names, not {names!r}")
            read[table][_alias_key(cell)] = tuple(_clean(name) for name in names)
    return PlanAliases(themes=read["themes"], workstreams=read["workstreams"])


def parse_brag(cell: str) -> Brag | None:
    """The BRAG cell: empty is "not yet rated". Raises ValueError for a word that is not a rating."""
    cleaned = _clean(cell)
    if not cleaned:
        return None
    if cleaned.lower() not in BRAG_WORDS:
        raise ValueError(f"the BRAG rating {cleaned!r} is not Blue, Red, Amber, Green or Grey")
    return BRAG_WORDS[cleaned.lower()]


def priority_area_title(bullet_text: str) -> str:
    """A short name for a priority area, from the bold words of its bullet.

    The report bolds the subject of each area first ("the **voice and views** of children"), then
    for PAP 5 what the plan must also be ("**co-produced**", "**experiences and outcomes
    improve**"). The first bold phrase is the area's name; the later ones are emphasis. So PAP 1
    is "Voice and views" and PAP 5 "Impact of strategy and actions" (without "their").
    """
    phrases = [_clean(phrase) for phrase in BOLD.findall(bullet_text) if _clean(phrase)]
    if phrases:
        title = _clean(POSSESSIVES.sub("", phrases[0]))
    else:
        words = _clean(bullet_text).split()
        title = " ".join(words[:8]).rstrip(".,;:")
    return title[:1].upper() + title[1:]


# ---------------------------------------------------------------------------------------------
# The file


def parse_plan_table(text: str, aliases: PlanAliases = NO_ALIASES) -> ParsedPlan:
    """Reads a published Priority Action Plan: the table, the priority areas, the Areas for
    Improvement and the roadmap, naming themes and workstreams through `aliases`. Raises
    PlanImportError listing every problem found."""
    return _PlanReader(aliases).read(text)


class _PlanReader:
    """Reads the file line by line. A table block starts at each `PAP Ref` header and ends at the
    first line of prose after its first row (page furniture between the header and the first row
    is skipped); the roadmap starts at its heading and runs to the next appendix or table."""

    def __init__(self, aliases: PlanAliases) -> None:
        self.aliases = aliases
        self.parsed = ParsedPlan()
        self.problems: list[ImportProblem] = []
        self.mode = "prose"  # "prose", "table" or "roadmap"
        self.tables_found = 0
        self.rows_in_block = 0
        self.current_objective: ParsedObjective | None = None
        self.objective_lines: dict[str, int] = {}
        self.action_lines: dict[str, int] = {}
        self.area_lines: dict[int, int] = {}
        self.afi_lines: dict[int, int] = {}
        self.roadmap_month: tuple[int, int] | None = None  # (month, line number) awaiting its year
        self.roadmap_quarter: datetime.date | None = None

    def problem(self, line_number: int, message: str) -> None:
        self.problems.append(ImportProblem(line_number, message))

    def read(self, text: str) -> ParsedPlan:
        # Split on newlines only: str.splitlines() also breaks at form feeds (page breaks in text
        # taken from a PDF), and the line numbers must be the ones an editor shows.
        for line_number, line in enumerate(text.split("\n"), start=1):
            self.read_line(line_number, line.rstrip("\r"))
        if self.tables_found == 0:
            self.problem(0, f"no table with a '{TABLE_COLUMNS[0]}' header was found")
        elif not self.parsed.actions and not self.problems:
            self.problem(0, "the table has no actions")
        if self.problems:
            raise PlanImportError(self.problems)
        return self.parsed

    def read_line(self, line_number: int, line: str) -> None:
        cells = [_clean(cell) for cell in line.split("\t")]
        if len(cells) > 1 and cells[0].lower() == TABLE_COLUMNS[0].lower():
            self.start_table(line_number, cells)
            return
        if self.mode == "table":
            if not any(cells):
                return
            if len(cells) > 1:
                self.read_row(line_number, cells)
                self.rows_in_block += 1
                return
            if self.rows_in_block == 0:
                return
            self.mode = "prose"
        if self.mode == "roadmap" and self.read_roadmap_line(line_number, line):
            return
        self.read_prose_line(line_number, line, cells)

    def start_table(self, line_number: int, cells: list[str]) -> None:
        while cells and not cells[-1]:
            cells.pop()
        if [cell.lower() for cell in cells] != [column.lower() for column in TABLE_COLUMNS]:
            self.problem(
                line_number,
                f"the table header has the columns {', '.join(cells)}; the plan table's are "
                f"{', '.join(TABLE_COLUMNS)}, in that order",
            )
        self.mode = "table"
        self.tables_found += 1
        self.rows_in_block = 0

    # -- prose: the priority areas and Areas for Improvement, as bullets

    def read_prose_line(self, line_number: int, line: str, cells: list[str]) -> None:
        if ROADMAP_HEADING.match(line):
            self.mode = "roadmap"
            return
        if match := PRIORITY_AREA_BULLET.match(line):
            self.read_priority_area(line_number, int(match["number"]), match["text"])
            return
        if match := AFI_BULLET.match(line):
            self.read_area_for_improvement(line_number, int(match["number"]), match["text"])
            return
        ref = re.sub(r"\s+", "", cells[0]).upper()
        if len(cells) >= 3 and (OBJECTIVE_CODE.fullmatch(ref) or ACTION_REF.fullmatch(ref)):
            # Text outside a table is not read; a row that looks like the plan's would be lost.
            self.problem(
                line_number,
                f"{cells[0]!r} looks like a row of the plan table, but no '{TABLE_COLUMNS[0]}' header is above it "
                "on this page",
            )

    def read_priority_area(self, line_number: int, number: int, text: str) -> None:
        if number not in PRIORITY_AREA_NUMBERS:
            self.problem(line_number, f"PAP {number} is not a priority area: they are numbered 1 to 5")
            return
        if number in self.area_lines:
            self.problem(line_number, f"PAP {number} is described twice (first on line {self.area_lines[number]})")
            return
        self.area_lines[number] = line_number
        self.parsed.priority_areas.append(
            ParsedPriorityArea(
                number=number,
                title=priority_area_title(text),
                description=_clean(text.replace("**", "")),
                line_number=line_number,
            )
        )

    def read_area_for_improvement(self, line_number: int, number: int, text: str) -> None:
        if number in self.afi_lines:
            self.problem(line_number, f"AfI {number} is described twice (first on line {self.afi_lines[number]})")
            return
        description = _clean(text.replace("**", ""))
        if not description:
            self.problem(line_number, f"AfI {number} has no text")
            return
        self.afi_lines[number] = line_number
        self.parsed.areas_for_improvement.append(ParsedAreaForImprovement(number, description, line_number))

    # -- the roadmap: a month line, a year line, then that quarter's bullets

    def read_roadmap_line(self, line_number: int, line: str) -> bool:
        """Reads a line of the roadmap; False when the roadmap has ended and it is prose again."""
        stripped = line.strip()
        if not stripped or ROADMAP_HEADING.match(stripped):
            return True
        if stripped.lower().startswith("appendix"):
            self.mode = "prose"
            return False
        if stripped.lower() in MONTHS:
            self.roadmap_month = (MONTHS[stripped.lower()], line_number)
            return True
        if ROADMAP_YEAR.fullmatch(stripped) and self.roadmap_month is not None:
            self.roadmap_quarter = datetime.date(int(stripped), self.roadmap_month[0], 1)
            self.roadmap_month = None
            return True
        if match := BULLET.match(line):
            if self.roadmap_month is not None:
                self.problem(
                    line_number, f"the roadmap's month on line {self.roadmap_month[1]} is not followed by a year"
                )
                self.roadmap_month = None
            elif self.roadmap_quarter is None:
                self.problem(line_number, "a roadmap milestone comes before any month and year")
            else:
                self.parsed.milestones.append(
                    ParsedMilestone(
                        quarter_start=self.roadmap_quarter,
                        text=_clean(match["text"].replace("**", "")),
                        position=len(self.parsed.milestones) + 1,
                        line_number=line_number,
                    )
                )
        # Anything else inside the roadmap (a caption, a stray page number) is not a milestone.
        return True

    # -- the table

    def read_row(self, line_number: int, cells: list[str]) -> None:
        if len(cells) > len(TABLE_COLUMNS):
            if any(cells[len(TABLE_COLUMNS) :]):
                self.problem(
                    line_number,
                    f"the row has {len(cells)} columns; the plan table has {len(TABLE_COLUMNS)} "
                    f"({', '.join(TABLE_COLUMNS)})",
                )
                return
            # Empty cells after BRAG are a spreadsheet's trailing tabs: nothing is lost.
            cells = cells[: len(TABLE_COLUMNS)]
        cells = cells + [""] * (len(TABLE_COLUMNS) - len(cells))
        ref = re.sub(r"\s+", "", cells[0]).upper()
        if not ref:
            self.problem(line_number, "the row has no PAP Ref (is it the rest of the row above, split over two lines?)")
        elif match := OBJECTIVE_CODE.fullmatch(ref):
            self.read_objective(line_number, ref, int(match["area"]), cells[1])
        elif match := ACTION_REF.fullmatch(ref):
            self.read_action(line_number, match, cells)
        else:
            self.problem(line_number, f"{cells[0]!r} is not a PAP Ref like 2A (an objective) or 2A1, 2B:1, 1.1")

    def read_objective(self, line_number: int, code: str, area: int, text: str) -> None:
        problems_before = len(self.problems)
        if area not in PRIORITY_AREA_NUMBERS:
            self.problem(line_number, f"objective {code} is not under a priority area: they are numbered 1 to 5")
        if code in self.objective_lines:
            self.problem(line_number, f"objective {code} appears twice (first on line {self.objective_lines[code]})")
        if not text:
            self.problem(line_number, f"objective {code} has no text")
        objective = ParsedObjective(
            code=code,
            priority_area_number=area,
            text=text,
            line_number=line_number,
            position=len(self.parsed.objectives) + 1,
        )
        # Even a faulty objective heads the rows below it, so that they are not also reported as
        # belonging to the objective before it.
        self.current_objective = objective
        if len(self.problems) == problems_before:
            self.objective_lines[code] = line_number
            self.parsed.objectives.append(objective)

    def read_action(self, line_number: int, match: re.Match[str], cells: list[str]) -> None:
        published_ref, description, themes_text, workstreams_text, comment, date_text, brag_text = cells
        objective_code = f"{match['area']}{match['letter'] or ''}"
        ref = canonical_ref(published_ref)
        problems_before = len(self.problems)
        if self.current_objective is None:
            self.problem(line_number, f"action {published_ref!r} comes before any objective")
        elif objective_code != self.current_objective.code:
            self.problem(line_number, f"{published_ref!r} does not belong to objective {self.current_objective.code}")
        if ref in self.action_lines:
            self.problem(
                line_number, f"{published_ref!r} appears twice: {ref} is already on line {self.action_lines[ref]}"
            )
        else:
            self.action_lines[ref] = line_number
        if not description:
            self.problem(line_number, f"action {published_ref!r} has no text")
        due_date: datetime.date | None = None
        due_date_kind = DueDateKind.NONE
        brag: Brag | None = None
        try:
            due_date, due_date_kind = parse_due_date(date_text)
        except ValueError as error:
            self.problem(line_number, str(error))
        try:
            brag = parse_brag(brag_text)
        except ValueError as error:
            self.problem(line_number, str(error))
        if len(self.problems) > problems_before:
            return
        self.parsed.actions.append(
            ParsedAction(
                published_ref=published_ref,
                ref=ref,
                objective_code=objective_code,
                description=description,
                themes_text=themes_text,
                themes=self.aliases.theme_names(themes_text),
                workstreams_text=workstreams_text,
                workstreams=self.aliases.workstream_names(workstreams_text),
                comment=comment,
                due_date=due_date,
                due_date_kind=due_date_kind,
                due_date_text=date_text,
                brag=brag,
                line_number=line_number,
                position=len(self.parsed.actions) + 1,
            )
        )


# ---------------------------------------------------------------------------------------------
# Writing a parsed plan


@dataclass
class ImportCounts:
    """How many rows of one kind an import created, updated and found already as published."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.total} (created {self.created}, updated {self.updated}, unchanged {self.unchanged})"


@dataclass
class ImportResult:
    """What one import of a published plan did, kind by kind."""

    actions: ImportCounts = field(default_factory=ImportCounts)
    objectives: ImportCounts = field(default_factory=ImportCounts)
    priority_areas: ImportCounts = field(default_factory=ImportCounts)
    themes: ImportCounts = field(default_factory=ImportCounts)
    workstreams: ImportCounts = field(default_factory=ImportCounts)
    areas_for_improvement: ImportCounts = field(default_factory=ImportCounts)
    milestones: ImportCounts = field(default_factory=ImportCounts)

    def by_kind(self) -> list[tuple[str, ImportCounts]]:
        return [
            ("actions", self.actions),
            ("objectives", self.objectives),
            ("priority areas", self.priority_areas),
            ("themes", self.themes),
            ("workstreams", self.workstreams),
            ("areas for improvement", self.areas_for_improvement),
            ("milestones", self.milestones),
        ]

    @property
    def changed_anything(self) -> bool:
        return any(counts.created or counts.updated for _, counts in self.by_kind())

    def summary(self) -> str:
        """One line: `actions: 34 (created 34, updated 0, unchanged 0); objectives: ...`."""
        return "; ".join(f"{kind}: {counts}" for kind, counts in self.by_kind())


@dataclass
class _ImportContext:
    """Who the import is for, stamped on every row it saves."""

    user: User | None

    def stamp(self, instance: models.Model) -> None:
        stamp(instance, by=self.user, reason=IMPORT_REASON)


def import_plan(*, plan: Plan, parsed: ParsedPlan, user: User | None = None) -> ImportResult:
    """Writes a parsed published plan into `plan`, all in one transaction.

    Priority areas are matched by number, objectives by priority area and code, themes and
    workstreams by name, actions by canonical ref, Areas for Improvement by number and roadmap
    milestones by quarter and text. A row is saved only when a field differs, so importing the
    same file again writes nothing and adds no history. What the tracker adds to an action (its
    rating, commentary, version, owner, lead officer) is never cleared by a file that leaves it
    blank; a BRAG value in the file that differs from the action's is recorded as a new rating.
    Nothing is deleted: an action dropped from a later file stays, with its history.
    """
    _check_parsed_plan(parsed)
    context = _ImportContext(user=user)
    result = ImportResult()
    with transaction.atomic():
        # Two imports into one plan at once would both create the same rows; the lock makes the
        # second wait and then find them.
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        areas = _import_priority_areas(plan, parsed, context, result.priority_areas)
        objectives = _import_objectives(plan, areas, parsed, context, result.objectives)
        themes = _import_names(Theme, plan, [n for row in parsed.actions for n in row.themes], result.themes)
        workstreams = _import_names(
            Workstream, plan, [n for row in parsed.actions for n in row.workstreams], result.workstreams
        )
        _import_actions(plan, parsed, objectives, themes, workstreams, context, result.actions)
        _import_areas_for_improvement(plan, parsed, result.areas_for_improvement)
        _import_milestones(plan, parsed, result.milestones)
    return result


def _check_parsed_plan(parsed: ParsedPlan) -> None:
    """The parser guarantees these; a ParsedPlan built by hand is checked before anything is written."""
    problems: list[ImportProblem] = []
    codes = {objective.code for objective in parsed.objectives}
    for objective in parsed.objectives:
        if objective.priority_area_number not in PRIORITY_AREA_NUMBERS:
            problems.append(ImportProblem(objective.line_number, f"objective {objective.code} has no priority area"))
    refs: set[str] = set()
    for action in parsed.actions:
        if action.objective_code not in codes:
            problems.append(
                ImportProblem(action.line_number, f"{action.published_ref!r} has no objective {action.objective_code}")
            )
        if action.ref in refs:
            problems.append(ImportProblem(action.line_number, f"{action.published_ref!r} appears twice"))
        refs.add(action.ref)
    if problems:
        raise PlanImportError(problems)


def _save_if_changed(instance: models.Model, values: dict[str, Any], context: _ImportContext) -> bool:
    """Sets and saves the values that differ; returns whether there were any."""
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(instance, name, value)
    context.stamp(instance)
    instance.save()
    return True


def _import_priority_areas(
    plan: Plan, parsed: ParsedPlan, context: _ImportContext, counts: ImportCounts
) -> dict[int, PriorityArea]:
    areas = {area.number: area for area in plan.priority_areas.all()}
    described = {area.number: area for area in parsed.priority_areas}
    numbers = sorted(set(described) | {objective.priority_area_number for objective in parsed.objectives})
    for number in numbers:
        published = described.get(number)
        area = areas.get(number)
        if area is None:
            area = PriorityArea(
                plan=plan,
                number=number,
                # A file with the table but not the report's bullets still needs its areas; the
                # placeholder is replaced when a file with the bullets is imported.
                title=published.title if published else f"Priority area {number}",
                description=published.description if published else "",
            )
            context.stamp(area)
            area.save()
            areas[number] = area
            counts.created += 1
        elif published is None:
            # Never overwrite a real title or description with the placeholder.
            counts.unchanged += 1
        elif _save_if_changed(area, {"title": published.title, "description": published.description}, context):
            counts.updated += 1
        else:
            counts.unchanged += 1
    return areas


def _import_objectives(
    plan: Plan, areas: dict[int, PriorityArea], parsed: ParsedPlan, context: _ImportContext, counts: ImportCounts
) -> dict[str, Objective]:
    existing = {
        (objective.priority_area_id, objective.code): objective
        for objective in Objective.objects.filter(priority_area__plan=plan)
    }
    objectives: dict[str, Objective] = {}
    for row in parsed.objectives:
        area = areas[row.priority_area_number]
        objective = existing.get((area.pk, row.code))
        if objective is None:
            objective = Objective(priority_area=area, code=row.code, text=row.text, position=row.position)
            context.stamp(objective)
            objective.save()
            counts.created += 1
        elif _save_if_changed(objective, {"text": row.text, "position": row.position}, context):
            counts.updated += 1
        else:
            counts.unchanged += 1
        objectives[row.code] = objective
    return objectives


def _import_names(model: type[Named], plan: Plan, names: list[str], counts: ImportCounts) -> dict[str, Named]:
    existing = {item.name: item for item in model._default_manager.filter(plan=plan)}
    used: dict[str, Named] = {}
    for name in dict.fromkeys(names):  # each name once, in the order the file first uses it
        if name in existing:
            used[name] = existing[name]
            counts.unchanged += 1
        else:
            used[name] = model._default_manager.create(plan=plan, name=name)
            counts.created += 1
    return used


def _import_actions(
    plan: Plan,
    parsed: ParsedPlan,
    objectives: dict[str, Objective],
    themes: dict[str, Theme],
    workstreams: dict[str, Workstream],
    context: _ImportContext,
    counts: ImportCounts,
) -> None:
    existing = {
        action.ref: action for action in Action.objects.filter(plan=plan).prefetch_related("themes", "workstreams")
    }
    for row in parsed.actions:
        published: dict[str, Any] = {
            "objective_id": objectives[row.objective_code].pk,
            "published_ref": row.published_ref,
            "description": row.description,
            "themes_text": row.themes_text,
            "workstreams_text": row.workstreams_text,
            "comment": row.comment,
            "due_date": row.due_date,
            "due_date_kind": row.due_date_kind,
            "due_date_text": row.due_date_text,
            "position": row.position,
        }
        theme_ids = {themes[name].pk for name in row.themes}
        workstream_ids = {workstreams[name].pk for name in row.workstreams}
        action = existing.get(row.ref)
        if action is None:
            action = Action(plan=plan, ref=row.ref, **published)
            if row.brag:
                _rate(action, row.brag, context)  # saves it, rated, at its first version
            else:
                context.stamp(action)
                action.save()
            action.themes.set(theme_ids)
            action.workstreams.set(workstream_ids)
            counts.created += 1
            continue
        changed = {name: value for name, value in published.items() if getattr(action, name) != value}
        # An empty BRAG cell never clears a rating made in the tracker.
        rated = row.brag is not None and row.brag != action.brag
        if changed or rated:
            for name, value in changed.items():
                setattr(action, name, value)
            # Every save is a new version, so that an officer's form or a partner's ETag opened
            # before the import is refused rather than silently overwriting what it changed.
            if rated and row.brag is not None:
                _rate(action, row.brag, context)  # with the changes above, in one new version
            else:
                action.version += 1
                context.stamp(action)
                action.save()
        relinked = False
        if {theme.pk for theme in action.themes.all()} != theme_ids:
            action.themes.set(theme_ids)
            relinked = True
        if {workstream.pk for workstream in action.workstreams.all()} != workstream_ids:
            action.workstreams.set(workstream_ids)
            relinked = True
        if changed or rated or relinked:
            counts.updated += 1
        else:
            counts.unchanged += 1


def _rate(action: Action, brag: Brag, context: _ImportContext) -> None:
    # Through the one rating writer: the published plan is the rating's source and its reason, so
    # it carries no further evidence.
    write_rating(action, brag=brag, commentary=IMPORT_REASON, by=context.user, reason=IMPORT_REASON)


def _create_or_update(
    found: models.Model | None, create: Callable[[], object], field: str, value: object, counts: ImportCounts
) -> None:
    """Create a row the plan names that is missing, or bring the one `field` that may change up to
    `value`; counted as created, updated or unchanged."""
    if found is None:
        create()
        counts.created += 1
    elif getattr(found, field) != value:
        setattr(found, field, value)
        found.save(update_fields=[field])
        counts.updated += 1
    else:
        counts.unchanged += 1


def _import_areas_for_improvement(plan: Plan, parsed: ParsedPlan, counts: ImportCounts) -> None:
    existing = {afi.number: afi for afi in plan.areas_for_improvement.all()}
    for row in parsed.areas_for_improvement:
        create = partial(AreaForImprovement.objects.create, plan=plan, number=row.number, text=row.text)
        _create_or_update(existing.get(row.number), create, "text", row.text, counts)


def _import_milestones(plan: Plan, parsed: ParsedPlan, counts: ImportCounts) -> None:
    existing = {(milestone.quarter_start, milestone.text): milestone for milestone in plan.milestones.all()}
    for row in parsed.milestones:
        create = partial(
            RoadmapMilestone.objects.create,
            plan=plan,
            quarter_start=row.quarter_start,
            text=row.text,
            position=row.position,
        )
        _create_or_update(existing.get((row.quarter_start, row.text)), create, "position", row.position, counts)


def plural(number: int, noun: str) -> str:
    """`1 problem`, `3 problems`."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
