from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from send_tracker.sample_data.scale import make_scale_data


class Command(BaseCommand):
    help = "Add N realistic partnerships (40 actions with two years of ratings, 20 KPIs, recommendations)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnerships", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["partnerships"] <= 1000:
            raise CommandError("--partnerships must be from 1 to 1000.")
        started = time.perf_counter()
        made = make_scale_data(options["partnerships"], seed=options["seed"])
        self.stdout.write(f"partnerships made: {len(made)} in {time.perf_counter() - started:.1f}s")
