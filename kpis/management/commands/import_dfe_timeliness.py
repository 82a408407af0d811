"""`manage.py import_dfe_timeliness PATH`: load the DfE's EHC plan timeliness file (any layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.dfe_timeliness import DfeFileError, import_timeliness_file


class Command(BaseCommand):
    help = (
        "Import the DfE's timeliness_20_week.csv (2025 or 2026 release) or the older sen2_mi.csv. "
        "All or nothing; a later release revises earlier years in place. Ends with "
        "'rows imported: N, updated: M, skipped: K' (new rows, changed rows, rows of other breakdowns)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file as downloaded from explore-education-statistics.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = import_timeliness_file(path)
        except DfeFileError as exc:
            raise CommandError(str(exc)) from None
        if result.unchanged and options["verbosity"] > 1:
            self.stdout.write(f"{result.unchanged} rows were already up to date.")
        if options["verbosity"] > 1:
            self.stdout.write(f"Layout: {result.layout}")
        self.stdout.write(result.summary)
