"""What the benchmarks in scripts/bench_*.py share: the environment they run Django in, and the
scratch PostgreSQL database they build their rows in."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from urllib.parse import urlparse

import psycopg2


def start_django(name: str, database_url: str) -> ScratchDatabase | None:
    """Django set up as a benchmark runs it: DEBUG on, the test client's hosts allowed, no Redis
    (neither the cache nor a broker that a worker elsewhere reads), files in a scratch VAR_DIR, and
    the rows in a new scratch database beside `database_url`'s, which is returned to be dropped at
    the end; None, and SQLite, when there is no `database_url`."""
    os.environ["DEBUG"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.pop("REDIS_URL", None)
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix=f"send-tracker-bench-{name}-")
    scratch = None
    if database_url:
        scratch = ScratchDatabase(database_url, f"bench_{name}")
        scratch.create()
        os.environ["DATABASE_URL"] = scratch.url
    import django

    django.setup()
    return scratch


class ScratchDatabase:
    """A benchmark's database: named after DATABASE_URL's with the benchmark's suffix
    (`send_tracker_bench_alerts`), created empty and dropped at the end."""

    def __init__(self, database_url: str, suffix: str, *, force: bool = False) -> None:
        parsed = urlparse(database_url)
        self.name = f"{(parsed.path.lstrip('/') or 'send_tracker')}_{suffix}"
        self.url = parsed._replace(path=f"/{self.name}").geturl()
        self.admin_url = parsed._replace(path="/postgres").geturl()
        # WITH (FORCE) also ends the sessions still open on it (a server's workers).
        self.drop_sql = f'DROP DATABASE IF EXISTS "{self.name}"' + (" WITH (FORCE)" if force else "")

    def run(self, sql: str) -> None:
        """One statement on the server's postgres database, outside a transaction, as CREATE and
        DROP DATABASE must be."""
        conn = psycopg2.connect(self.admin_url)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql)
        conn.close()

    def create(self) -> None:
        """The database, empty: dropped first if a run before left it behind."""
        self.drop()
        self.run(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self.run(self.drop_sql)


def run(main: Callable[[], int], scratch: ScratchDatabase | None) -> None:
    """Exits with what a benchmark's main() returns, dropping its scratch database however it ends."""
    try:
        sys.exit(main())
    finally:
        if scratch:
            from django.db import connection

            connection.close()
            scratch.drop()
