"""Benchmark: the dashboard, the public page and the API list at 1 and at 150 partnerships.

Builds a scratch database (PostgreSQL when DATABASE_URL is set: a database `<name>_bench_scale`
created and dropped here; otherwise a temporary SQLite file), adds one partnership, measures, adds
149 more, measures again, and prints figures and ratios. Pages are measured in-process with
Django's test client (no network), as the median of many requests; the public page's cache is
switched off so that its real cost is measured. The API list is served through Django's WSGI
handler, as gunicorn serves it, with DEBUG off, against a raw query encoded with orjson.

Closing lines: dashboard_queries: Q1 Q150, dashboard_time_ratio: R, public_queries: Q1 Q150,
public_time_ratio: R, since_signoff_queries: Q1 Q150 (the plan's "Since sign-off" page),
api_throughput_ratio: R.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarking import run, start_django  # noqa: E402

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# The cache is switched off below; Celery is not used here.
SCRATCH = start_django("scale", os.environ.get("DATABASE_URL", ""))

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from actions.models import Plan  # noqa: E402
from send_tracker.accounts.models import Organisation, User  # noqa: E402
from send_tracker.api.keys import create_api_key  # noqa: E402
from send_tracker.sample_data.scale import make_scale_data  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
API_REQUESTS = int(os.environ.get("BENCH_API_REQUESTS", "200"))


def median_ms(client: Client, url: str, n: int = REQUESTS, headers: dict[str, str] | None = None) -> float:
    for _ in range(5):
        client.get(url, headers=headers)
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(samples)


def queries(client: Client, url: str, headers: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url, headers=headers)
    return len(captured.captured_queries)


def measure(label: str) -> dict[str, float]:
    officer = User.objects.get(username="scale-001-councillor")
    dashboard = Client()
    dashboard.force_login(officer)
    public = Client()
    # The plan against its signed-off baseline, with its two years of target date moves and ratings.
    since_sign_off = f"/plan/{Plan.objects.get(partnership__slug='scale-001').pk}/since-sign-off/"
    if dashboard.get(since_sign_off).status_code != 200:
        raise SystemExit(f"{since_sign_off} did not answer 200")
    figures = {
        "dashboard_ms": median_ms(dashboard, "/"),
        "dashboard_queries": queries(dashboard, "/"),
        "public_ms": median_ms(public, "/public/scale-001/"),
        "public_queries": queries(public, "/public/scale-001/"),
        "since_signoff_queries": queries(dashboard, since_sign_off),
    }
    print(
        f"{label}: dashboard {figures['dashboard_ms']:.1f} ms, {figures['dashboard_queries']} queries; "
        f"public {figures['public_ms']:.1f} ms, {figures['public_queries']} queries; "
        f"since sign-off {figures['since_signoff_queries']} queries",
        flush=True,
    )
    return figures


def api_throughput() -> tuple[float, float, float]:
    """Requests a second: the API's action list, and the least work for the same rows.

    The API is served as in production: through Django's WSGI handler, the callable gunicorn calls
    for each request (the test client adds instrumentation of its own), with DEBUG off (no query
    log) and the configured cache, which holds the keys and the throttle's counts.
    """
    council = Organisation.objects.get(partnership__slug="scale-001", short_name="Council")
    _, key = create_api_key(organisation=council, name="bench")
    handler = WSGIHandler()

    def serve() -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/api/v1/actions/",
            "QUERY_STRING": "page_size=100",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_AUTHORIZATION": f"Bearer {key}",
            "HTTP_ACCEPT": "application/json",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            status.append(line)
            return lambda data: None

        chunks = handler(environ, start_response)
        body = b"".join(chunks)
        chunks.close()
        return status[0], body

    def serve_ok() -> None:
        # Every answer is checked: a throttled 429 is cheap and would flatter the API.
        status, _ = serve()
        if not status.startswith("200"):
            raise SystemExit(f"the API answered {status}")

    sql = (
        "SELECT a.id, a.published_ref, a.description, a.due_date, a.due_date_text, a.brag, o.name, a.version, "
        "a.updated_at FROM actions_action a JOIN actions_plan p ON p.id = a.plan_id "
        "JOIN accounts_partnership s ON s.id = p.partnership_id LEFT JOIN accounts_organisation o ON o.id = a.owner_id "
        "WHERE s.slug = %s ORDER BY a.id LIMIT 100"
    )
    columns = ["id", "ref", "objective", "due_date", "due_date_text", "brag", "owner", "version", "updated_at"]
    if SCRATCH:
        import psycopg2

        raw = psycopg2.connect(os.environ["DATABASE_URL"])
        placeholder_sql = sql
    else:
        import sqlite3

        raw = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        placeholder_sql = sql.replace("%s", "?")
    import orjson

    cursor = raw.cursor()

    def baseline() -> bytes:
        cursor.execute(placeholder_sql, ("scale-001",))
        return orjson.dumps({"results": [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]})

    def rate(work: Callable[[], object], n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            work()
        return n / (time.perf_counter() - started)

    # Short alternating rounds, and the median of each side's rates and of the rounds' ratios, so
    # that a burst of load from another job on this shared machine tilts neither side.
    rounds = 20
    api_rates, baseline_rates = [], []
    with override_settings(DEBUG=False):
        status, body = serve()
        if not status.startswith("200") or len(json.loads(body)["results"]) != 40:
            raise SystemExit(f"the API list did not return the partnership's 40 actions: {status}")
        if not json.loads(baseline())["results"]:
            raise SystemExit("the baseline returned nothing")
        rate(serve_ok, 10)
        rate(baseline, 10)
        for _ in range(rounds):
            api_rates.append(rate(serve_ok, API_REQUESTS // rounds))
            baseline_rates.append(rate(baseline, API_REQUESTS // rounds))
    raw.close()
    ratio = statistics.median(api / base for api, base in zip(api_rates, baseline_rates, strict=True))
    return statistics.median(api_rates), statistics.median(baseline_rates), ratio


def grow(count: int, added: str, label: str) -> tuple[dict[str, float], tuple[float, float, float]]:
    """Adds `count` partnerships, then measures the pages and the API at the size they make."""
    started = time.perf_counter()
    make_scale_data(count)
    print(f"built {added} in {time.perf_counter() - started:.1f}s", flush=True)
    # Table statistics for the rows just written in bulk, as autovacuum keeps them in production
    # (bench_pack.py does the same): without them the planner reads the history tables as empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # The public page's cache is switched off so that its real cost is measured; the API keeps the
    # configured cache (see api_throughput).
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        measured = measure(label)
    return measured, api_throughput()


def main() -> int:
    engine = "PostgreSQL" if SCRATCH else "SQLite"
    print(f"# scale benchmark on {engine}; {REQUESTS} requests a page, median server time", flush=True)
    call_command("migrate", verbosity=0)
    at_1, (api_rps, baseline_rps, ratio) = grow(1, "1 partnership", "1 partnership")
    print(f"1 partnership: api_list_rps {api_rps:.0f} (baseline {baseline_rps:.0f}), ratio {ratio:.3f}", flush=True)
    at_150, (api_rps_150, baseline_rps_150, ratio_150) = grow(149, "149 more partnerships", "150 partnerships")
    print(f"api_list_rps: {api_rps_150:.0f} (baseline raw query + orjson: {baseline_rps_150:.0f})")
    print(f"dashboard_queries: {at_1['dashboard_queries']} {at_150['dashboard_queries']}")
    print(f"dashboard_time_ratio: {at_150['dashboard_ms'] / at_1['dashboard_ms']:.2f}")
    print(f"public_queries: {at_1['public_queries']} {at_150['public_queries']}")
    print(f"public_time_ratio: {at_150['public_ms'] / at_1['public_ms']:.2f}")
    print(f"since_signoff_queries: {at_1['since_signoff_queries']} {at_150['since_signoff_queries']}")
    print(f"api_throughput_ratio: {ratio_150:.3f}")
    return 0


if __name__ == "__main__":
    run(main, SCRATCH)
