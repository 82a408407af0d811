"""`manage.py load_oxfordshire`: the real Oxfordshire case and its demo, from the sample data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from send_tracker.sample_data.loader import OXFORDSHIRE, SampleDataError, load_case, read_case


class Command(BaseCommand):
    help = (
        "Load the real Oxfordshire case: the partnership, its five partners, its boards and committees, the "
        "published Priority Action Plan with demo owners, the indicators and the DfE's figures, the inspection "
        "cycle, the risk register, demo meetings, and the scrutiny reports with their recommendations and "
        "responses. Every file is checked before anything is written. Safe to run again: only what is missing "
        "is added."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from",
            dest="directory",
            type=Path,
            default=OXFORDSHIRE,
            help="A directory of sample data files laid out as send_tracker/sample_data/oxfordshire/ (the default).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_case(read_case(options["directory"]))
        except SampleDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        for line in loaded.lines:
            self.stdout.write(line)
