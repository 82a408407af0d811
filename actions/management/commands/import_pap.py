"""`manage.py import_pap PATH`: load a Priority Action Plan table as the partnership published it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from actions.choices import PlanColumn, PlanKind
from actions.importer import (
    NO_ALIASES,
    PlanAliases,
    PlanImportError,
    import_plan,
    parse_plan_table,
    plural,
    read_aliases,
)
from actions.models import Plan
from actions.services import DEFAULT_PLAN_TITLE, current_priority_action_plan
from actions.spreadsheet_import import (
    LEAVE_OUT,
    SPREADSHEET_SUFFIXES,
    SpreadsheetImportError,
    header_key,
    import_plan_spreadsheet,
    read_plan_spreadsheet,
)
from send_tracker.accounts.models import Partnership

# Oxfordshire's published plan abbreviates its themes and projects; its aliases are sample data.
OXFORDSHIRE_ALIASES = Path(settings.BASE_DIR) / "send_tracker" / "sample_data" / "oxfordshire" / "plan_aliases.toml"


class Command(BaseCommand):
    help = (
        "Import a Priority Action Plan as published (the tab-separated table with a 'PAP Ref' header, and the "
        "priority areas, Areas for Improvement and roadmap around it). All or nothing: every problem is reported "
        "with its line, and then nothing is written. Importing the same file again changes nothing. An Excel "
        "workbook (.xlsx) or CSV file (.csv) in the partnership's own layout is read by its column headers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            help="The UTF-8 text file holding the published plan, or the plan as an Excel workbook (.xlsx) or CSV file.",
        )
        parser.add_argument(
            "--partnership", default="oxfordshire", help="The partnership's slug (default oxfordshire)."
        )
        parser.add_argument(
            "--plan-title",
            help="The plan to import into, created if missing (default: the partnership's current Priority Action "
            f"Plan, or a new one called {DEFAULT_PLAN_TITLE!r}).",
        )
        parser.add_argument(
            "--aliases",
            type=Path,
            help="A TOML file naming the themes and projects the plan abbreviates (default: Oxfordshire's, "
            "send_tracker/sample_data/oxfordshire/plan_aliases.toml, when importing into 'oxfordshire'; "
            "none for any other partnership).",
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="HEADER=WHAT",
            help="For a spreadsheet: what a column whose header is not recognised holds, e.g. "
            f"--column 'Activity=description'; WHAT is one of {', '.join(PlanColumn.values)} or {LEAVE_OUT}.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if path.suffix.lower() == ".xls":
            raise CommandError(f"{path}: an Excel 97-2003 workbook; save it from Excel as 'Excel Workbook (.xlsx)'")
        spreadsheet = path.suffix.lower() in SPREADSHEET_SUFFIXES
        text = "" if spreadsheet else read_plan_file(path)
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(
                f"there is no partnership {options['partnership']!r}: create it in the admin first, or for "
                "Oxfordshire run `python manage.py load_oxfordshire`"
            )
        if spreadsheet:
            self.import_spreadsheet(path, partnership, options)
            return
        aliases = plan_aliases(options["aliases"], partnership)
        try:
            parsed = parse_plan_table(text, aliases)
        except PlanImportError as error:
            for problem in error.problems:
                where = f"{path}:{problem.line_number}" if problem.line_number else str(path)
                self.stderr.write(f"{where}: {problem.message}")
            raise CommandError(f"nothing was imported: {plural(len(error.problems), 'problem')}") from None
        # The plan is created in the same transaction as its contents, so a failed import leaves no
        # empty plan behind.
        with transaction.atomic():
            plan = target_plan(partnership, options["plan_title"])
            result = import_plan(plan=plan, parsed=parsed)
        self.stdout.write(result.summary())

    def import_spreadsheet(self, path: Path, partnership: Partnership, options: dict[str, Any]) -> None:
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror})") from None
        read = read_plan_spreadsheet(path.name, raw, column_mapping(options["column"]))
        for column in read.unplaced:
            self.stderr.write(
                f"{path}: the column {column.header!r} ({', '.join(column.sheets)}) is left out; "
                f"--column '{column.header}=WHAT' says what it holds"
            )
        try:
            with transaction.atomic():
                plan = target_plan(partnership, options["plan_title"])
                counts = import_plan_spreadsheet(plan=plan, read=read, by=None)
        except SpreadsheetImportError as error:
            for problem in error.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(f"nothing was imported: {plural(len(error.problems), 'problem')}") from None
        self.stdout.write(f"actions: {counts}")


def read_plan_file(path: Path) -> str:
    """The file's text; a clear CommandError for a file that is missing, unreadable or not UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not the plan's text file") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        # utf-8-sig: Notepad and Excel put a byte-order mark at the start of UTF-8 files.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path}: not a UTF-8 text file (byte {error.start + 1} cannot be read); save the table as "
            "UTF-8 text, not as a Word or Excel file"
        ) from None


def plan_aliases(path: Path | None, partnership: Partnership) -> PlanAliases:
    """The aliases file named, else Oxfordshire's for Oxfordshire's partnership, else none."""
    if path is None:
        if partnership.slug != "oxfordshire":
            return NO_ALIASES
        path = OXFORDSHIRE_ALIASES
    try:
        return read_aliases(path)
    except ValueError as error:
        raise CommandError(str(error)) from None


def target_plan(partnership: Partnership, title: str | None) -> Plan:
    """The named plan, else the partnership's current Priority Action Plan, creating it if need be."""
    if title:
        plan, _ = Plan.objects.get_or_create(
            partnership=partnership,
            title=title,
            defaults={
                "kind": PlanKind.PRIORITY_ACTION_PLAN,
                # A partnership works to one plan at a time: a new plan is current only if there is none.
                "is_current": not Plan.objects.filter(partnership=partnership, is_current=True).exists(),
            },
        )
        return plan
    return current_priority_action_plan(partnership, by=None)


def column_mapping(choices: list[str]) -> dict[str, str]:
    """`--column 'Activity=description'` options as the reader's mapping."""
    mapping: dict[str, str] = {}
    for choice in choices:
        header, _, what = choice.rpartition("=")
        if not header or what not in (*PlanColumn.values, LEAVE_OUT):
            raise CommandError(
                f"--column {choice!r}: give HEADER=WHAT, WHAT one of {', '.join(PlanColumn.values)} or {LEAVE_OUT}"
            )
        mapping[header_key(header)] = what
    return mapping
