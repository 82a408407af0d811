"""Benchmark: the deadline sweep over 1,000,000 scrutiny recommendations, about 26,000 of them due.

Builds a scratch PostgreSQL database (`<name>_bench_alerts`, created from DATABASE_URL and dropped
here): 50 partnerships, each with a council (two officers), a scrutiny committee (whose lead
follows it) and 400 reports of 50 recommendations; the reports' response due dates are spread over
~3.8 years, so ~520 reports (~26,000 recommendations) fall in the sweep's window (28 days back to 7
ahead). Rows go in with COPY. Then it prints the plan of the query that finds the due items, runs
the sweep as beat would, and runs it again (which must create nothing).

Without DATABASE_URL it says so and exits 0: a million rows is a PostgreSQL measurement.

Closing lines: sweep_seconds: S, sweep_tasks: T (delivery tasks the sweep queued on the broker).
"""

from __future__ import annotations

import datetime
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORIGINAL_URL = os.environ.get("DATABASE_URL", "")
if not ORIGINAL_URL.startswith(("postgres://", "postgresql://")):
    print("# alerts benchmark skipped: it needs PostgreSQL (DATABASE_URL=postgres://...)")
    sys.exit(0)

from benchmarking import run, start_django  # noqa: E402

# Without Redis, Celery's filesystem transport in the scratch VAR_DIR: the tasks the sweep queues
# are files there to count, and no worker elsewhere picks them up.
SCRATCH = start_django("alerts", ORIGINAL_URL)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import get_resolver  # noqa: E402
from django.utils import timezone  # noqa: E402

from governance.choices import BoardKind  # noqa: E402
from governance.models import Board  # noqa: E402
from recommendations.alerts import responses_due  # noqa: E402
from recommendations.choices import ResponseRegime  # noqa: E402
from recommendations.deadlines import due_date  # noqa: E402
from send_tracker.accounts.choices import OrganisationKind, Role  # noqa: E402
from send_tracker.accounts.models import Organisation, Partnership, User  # noqa: E402
from send_tracker.alerts.models import Alert, Follow  # noqa: E402
from send_tracker.alerts.sweep import sweep  # noqa: E402

PARTNERSHIPS = int(os.environ.get("BENCH_PARTNERSHIPS", "50"))
REPORTS_EACH = int(os.environ.get("BENCH_REPORTS_EACH", "400"))
RECOMMENDATIONS_EACH = int(os.environ.get("BENCH_RECOMMENDATIONS_EACH", "50"))
# Due dates spread over this many days: the sweep's 36-day window then holds 36/1385 of them.
SPREAD_DAYS = 1385
TODAY = datetime.date(2026, 6, 15)


def copy_rows(table: str, columns: list[str], rows: list[tuple[object, ...]]) -> None:
    """COPY rows (already free of tabs, newlines and backslashes) into a table."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def build() -> tuple[int, int]:
    """The people, committees and 1,000,000 recommendations; returns (reports, recommendations)."""
    now = timezone.now().isoformat()
    committee_ids: list[tuple[int, int]] = []
    for n in range(PARTNERSHIPS):
        partnership = Partnership.objects.create(name=f"Bench {n:03d}", slug=f"bench-{n:03d}", area_name=f"Area {n}")
        council = Organisation.objects.create(
            partnership=partnership, name=f"Bench {n:03d} Council", kind=OrganisationKind.COUNCIL
        )
        for k in range(2):
            User.objects.create(
                username=f"bench-{n:03d}-officer-{k}",
                email=f"officer{k}@bench-{n:03d}.gov.uk",
                organisation=council,
                role=Role.OFFICER,
            )
        committee = Board.objects.create(
            partnership=partnership, name="Health Overview and Scrutiny Committee", kind=BoardKind.SCRUTINY_COMMITTEE
        )
        lead = User.objects.create(
            username=f"bench-{n:03d}-chair",
            email=f"chair@bench-{n:03d}.gov.uk",
            organisation=council,
            role=Role.SCRUTINY,
        )
        Follow.objects.create(user=lead, subject=committee)
        committee_ids.append((partnership.pk, committee.pk))

    start = TODAY - datetime.timedelta(days=SPREAD_DAYS - 40)
    reports: list[tuple[object, ...]] = []
    index = 0
    for partnership_id, committee_id in committee_ids:
        for r in range(REPORTS_EACH):
            regime = ResponseRegime.HEALTH_SCRUTINY if index % 2 else ResponseRegime.OVERVIEW_AND_SCRUTINY
            received = start + datetime.timedelta(days=(index * 7919) % SPREAD_DAYS)
            due = due_date(regime, received)
            reports.append(
                (partnership_id, committee_id, f"Report {r}", "Cabinet", received, regime, due, regime, "", "", "")
                + (now, now)
            )
            index += 1
    copy_rows(
        "recommendations_report",
        [
            "partnership_id",
            "committee_id",
            "title",
            "addressee",
            "received_on",
            "regime",
            "response_due_date",
            "response_due_rule",
            "notes",
            "response_to_report",
            "source",
            "created_at",
            "updated_at",
        ],
        reports,
    )
    # The recommendations are made by the server from the reports: 50 a report, one statement,
    # nothing shipped over the wire row by row.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO recommendations_recommendation
                (report_id, list_name, number, position, text, response_required, note, respondent,
                 closed_reason, created_at, updated_at)
            SELECT report.id, 'HOSC', g.n::text, g.n, %s, true, '', 'cabinet', '', now(), now()
            FROM recommendations_report AS report CROSS JOIN generate_series(1, %s) AS g(n)
            ORDER BY report.id, g.n
            """,
            ["Publish explicit KPIs for the timeliness of EHC plans, open to scrutiny.", RECOMMENDATIONS_EACH],
        )
        total = cursor.rowcount
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM recommendations_report")
        (reports_made,) = cursor.fetchone()
    return reports_made, total


def queued_tasks() -> int:
    queue = settings.CELERY_DATA_DIR / "queue"  # the filesystem transport's data_folder_in
    return sum(1 for path in queue.glob("*") if path.is_file()) if queue.exists() else 0


def main() -> int:
    for folder in ("queue", "control", "processed"):
        (settings.CELERY_DATA_DIR / folder).mkdir(parents=True, exist_ok=True)
    print("# alerts benchmark on PostgreSQL: the deadline sweep over 1,000,000 recommendations", flush=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    reports, recommendations = build()
    print(f"built {reports} reports and {recommendations} recommendations in {time.perf_counter() - started:.1f}s")
    due = responses_due(TODAY).count()
    print(f"recommendations due or overdue on {TODAY.isoformat()}: {due}")
    print("plan of the query that finds them:")
    print(responses_due(TODAY).explain())

    # A worker loads the URL conf (for the alerts' links) once, on its first task; the figure is the
    # sweep in a running worker, so that one-off import is timed apart.
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 - loads every app's urls.py
    print(f"URL conf loaded in {time.perf_counter() - started:.2f}s (once per worker process)")
    before = queued_tasks()
    started = time.perf_counter()
    result = sweep(TODAY)
    sweep_seconds = time.perf_counter() - started
    tasks = queued_tasks() - before
    print(f"sweep created {result.created} alerts {result.by_source}")
    started = time.perf_counter()
    again = sweep(TODAY)
    print(f"second sweep created {again.created} alerts in {time.perf_counter() - started:.2f}s")
    if again.created or Alert.objects.count() != result.created:
        print("error: the second sweep created alerts", file=sys.stderr)
        return 1
    print(f"sweep_seconds: {sweep_seconds:.2f}")
    print(f"sweep_tasks: {tasks}")
    return 0


if __name__ == "__main__":
    run(main, SCRATCH)
