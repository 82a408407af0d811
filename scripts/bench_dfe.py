"""Benchmark: how long a full import of the DfE's 2025 EHC plan timeliness file takes.

Run by `make bench`. Uses the configured database (the migrated SQLite in var/ by default, or
DATABASE_URL). Each run imports the whole file into an emptied table inside a transaction that is
then rolled back, so the figures already in the database are left exactly as they were. Prints the
median of three runs as `dfe_import_seconds: S`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from kpis.dfe_timeliness import import_timeliness_file  # noqa: E402
from kpis.models import EhcpTimeliness  # noqa: E402

DFE_FILE = ROOT / "send_tracker" / "seed_data" / "dfe_ehcp_timeliness_20_week_ry2025_all_plans.csv"
RUNS = 3


class Rollback(Exception):
    pass


def one_run() -> tuple[float, int]:
    try:
        with transaction.atomic():
            EhcpTimeliness.objects.all().delete()
            started = time.perf_counter()
            result = import_timeliness_file(DFE_FILE)
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed, result.imported


def main() -> None:
    if EhcpTimeliness._meta.db_table not in connection.introspection.table_names():
        # A fresh clone that has never run `make run`: create the tables, as `make run` would.
        call_command("migrate", verbosity=0, interactive=False)
    timings = []
    for _ in range(RUNS):
        elapsed, imported = one_run()
        if imported != 970:
            raise SystemExit(f"expected 970 rows from {DFE_FILE.name}, imported {imported}")
        timings.append(elapsed)
    print(f"dfe_import_seconds: {statistics.median(timings):.3f}")


if __name__ == "__main__":
    main()
