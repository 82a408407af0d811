"""/healthz, and the Celery worker and beat really started against the configured broker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from send_tracker.operations.models import Heartbeat
from tests.conftest import need_postgres, need_redis


def test_healthz_names_the_state_of_the_database_and_the_broker(db):
    response = Client().get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["broker_transport"] == ("redis" if settings.REDIS_URL else "filesystem")
    assert body["database_engine"] == connection.vendor


def test_healthz_answers_a_monitors_head_request(db):
    # Uptime monitors and load balancers often ask with HEAD: a 405 reads as the service being down.
    response = Client().head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


def test_healthz_uses_redis_when_redis_url_is_set(db):
    need_redis()

    body = Client().get("/healthz").json()

    assert (body["broker_transport"], body["broker"]) == ("redis", "ok")


def test_healthz_is_503_when_the_broker_is_unreachable(db, monkeypatch):
    from send_tracker.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def _database_url_for_tests() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_env(transactional_db: None, tmp_path: Path) -> dict[str, str]:
    need_postgres()  # The worker is another process: it needs a database it can share with the test.
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": _database_url_for_tests(),
            "VAR_DIR": str(tmp_path),
            "PYTHONUNBUFFERED": "1",
        }
    )
    for folder in ("queue", "control", "processed"):
        (tmp_path / "celery" / folder).mkdir(parents=True, exist_ok=True)
    return env


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "send_tracker", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_heartbeat(logs: list[Path], timeout: float = 90) -> Heartbeat:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        beat = Heartbeat.objects.filter(name="worker").first()
        if beat:
            return beat
        time.sleep(0.5)
    output = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in logs)
    pytest.fail(f"No heartbeat from the worker within {timeout} s.\n{output}")


def test_beat_schedules_the_heartbeat_and_a_real_worker_runs_it(celery_env, processes, tmp_path):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    # The migration schedules it every minute; a transactional test starts from empty tables, and
    # two seconds keeps the test short.
    every_two_seconds, _ = IntervalSchedule.objects.get_or_create(every=2, period="seconds")
    PeriodicTask.objects.update_or_create(
        name="Worker heartbeat", defaults={"task": "operations.heartbeat", "interval": every_two_seconds}
    )
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    processes.append(_start(["worker", "--loglevel=INFO", "--concurrency=1", "--pool=solo"], celery_env, worker_log))
    processes.append(_start(["beat", "--loglevel=INFO", f"--pidfile={tmp_path / 'beat.pid'}"], celery_env, beat_log))

    beat = _wait_for_heartbeat([worker_log, beat_log])

    assert beat.last_seen is not None
    assert all(process.poll() is None for process in processes), "worker or beat exited early"
