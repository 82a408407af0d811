"""Benchmark: a meeting's Word board pack as the history grows.

Builds a scratch database (PostgreSQL when DATABASE_URL is set: `<name>_bench_pack`, created and
dropped here; otherwise a temporary SQLite file). First one partnership with no history (its plan's
first rows only, no KPI figures: `make_scale_data(1, months=0)`), and measures the Word pack of its
board's meeting today; then 149 more, each with two years of monthly rating changes, target date
moves and monthly KPI figures, and measures the pack of the second of them, whose board has met
monthly for those two years. Each pack is downloaded with Django's test client, signed in as the
partnership's scrutiny councillor: the median of BENCH_PACK_REQUESTS downloads (20), and the
queries of one. The partnership without history has met yesterday and meets today.

Runs alone (`python scripts/bench_pack.py`); `make bench` runs it with the others.
Closing lines: pack_queries: Q1 Q150 (equal), pack_time_ratio: R (aim 1.5 or less), and
pack_time_ratio_same_load: the same two packs timed in alternating rounds at 150 partnerships, so
that the machine's load falls alike on both.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarking import run, start_django  # noqa: E402

SCRATCH = start_django("pack", os.environ.get("DATABASE_URL", ""))

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from governance.choices import BoardKind  # noqa: E402
from governance.models import Board, Meeting  # noqa: E402
from send_tracker.accounts.models import Partnership, User  # noqa: E402
from send_tracker.sample_data.scale import MONTHS, make_scale_data  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_PACK_REQUESTS", "20"))


def board_meetings(partnership: Partnership, days_apart: list[int]) -> Meeting:
    """The partnership's improvement board, met `days_apart` days before today (each), and today;
    today's meeting."""
    board = Board.objects.create(
        partnership=partnership, name="SEND Improvement Board", kind=BoardKind.IMPROVEMENT_BOARD
    )
    today = timezone.localdate()
    for back in sorted(days_apart, reverse=True):
        Meeting.objects.create(board=board, date=today - datetime.timedelta(days=back))
    return Meeting.objects.create(board=board, date=today)


def analyse() -> None:
    """Table statistics for the rows just written in bulk, as autovacuum keeps them in production:
    without them PostgreSQL plans the history reads for an empty table and scans every row."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pack_download(slug: str, meeting: Meeting) -> tuple[Client, str]:
    client = Client()
    client.force_login(User.objects.get(username=f"{slug}-councillor"))
    url = reverse("governance:board_pack", args=[meeting.pk, "docx"])
    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return client, url


def timed(client: Client, url: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def main() -> int:
    engine = "PostgreSQL" if SCRATCH else "SQLite"
    print(f"# pack benchmark on {engine}; {REQUESTS} downloads a pack, median server time", flush=True)
    call_command("migrate", verbosity=0)
    # No cache: the pack is built afresh on each download, as it is in production.
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        [bare] = make_scale_data(1, months=0)
        analyse()
        # Its plan's rows were written this month: its board met yesterday and meets today.
        bare_client, bare_url = pack_download(bare.slug, board_meetings(bare, [1]))
        ms_1 = statistics.median(timed(bare_client, bare_url, REQUESTS))
        queries_1 = queries(bare_client, bare_url)
        print(f"1 partnership, no history: Word pack {ms_1:.1f} ms, {queries_1} queries", flush=True)
        started = time.perf_counter()
        grown = make_scale_data(149)
        analyse()
        print(f"built 149 more partnerships with {MONTHS} months of history in {time.perf_counter() - started:.1f}s")
        # The second partnership's board has met every 30 days for those two years.
        client, url = pack_download(grown[0].slug, board_meetings(grown[0], [30 * n for n in range(1, MONTHS + 1)]))
        queries_150 = queries(client, url)
        # Alternating rounds of both packs at 150 partnerships: the same ratio, measured under the
        # same load (this machine is shared, and its load moves between the two measurements).
        grown_ms, bare_ms = [], []
        for _ in range(5):
            grown_ms.extend(timed(client, url, max(REQUESTS // 5, 1)))
            bare_ms.extend(timed(bare_client, bare_url, max(REQUESTS // 5, 1)))
        ms_150 = statistics.median(grown_ms)
        print(f"150 partnerships, {MONTHS} months of history: Word pack {ms_150:.1f} ms, {queries_150} queries")
        print(f"the no-history pack again, alternating with it: {statistics.median(bare_ms):.1f} ms")
    print(f"pack_queries: {queries_1} {queries_150}")
    print(f"pack_time_ratio: {ms_150 / ms_1:.2f}")
    print(f"pack_time_ratio_same_load: {ms_150 / statistics.median(bare_ms):.2f}")
    return 0


if __name__ == "__main__":
    run(main, SCRATCH)
