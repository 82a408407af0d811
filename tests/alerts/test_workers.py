"""Alerts through real processes: a Celery worker on Redis killed mid-send, and a broker outage.

The worker is another process, so these tests use PostgreSQL with committed rows (transactional_db)
and a queue of their own on the Redis broker, so that no other worker takes their tasks.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from actions.choices import Brag
from actions.models import Action
from send_tracker.alerts.choices import Delivery
from send_tracker.alerts.delivery import deliver_alerts
from send_tracker.alerts.models import Alert
from send_tracker.alerts.sweep import sweep
from tests.alerts.conftest import action_due, alerts_to_testshire
from tests.conftest import need_postgres, need_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery]

LEASE_SECONDS = 2


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """Starts and stops real `celery worker` processes on this test's own queue."""

    def __init__(self, tmp_path: Path) -> None:
        self.queue = f"alerts-test-{uuid.uuid4().hex[:12]}"
        self.mailbox = tmp_path / "mailbox.jsonl"
        self.stalled = tmp_path / "stalled"
        self.tmp_path = tmp_path
        self.env = dict(os.environ)
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.alerts.worker_settings",
                "DATABASE_URL": _database_url(),
                "VAR_DIR": str(tmp_path),
                "PYTHONUNBUFFERED": "1",
                "ALERT_TEST_MAILBOX": str(self.mailbox),
                "ALERT_TEST_STALLED": str(self.stalled),
                "ALERT_LEASE_SECONDS": str(LEASE_SECONDS),
            }
        )
        self.started: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []

    def start(self, **extra_env: str) -> subprocess.Popen[bytes]:
        log = self.tmp_path / f"worker-{len(self.started)}.log"
        self.logs.append(log)
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "send_tracker",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
            ],
            cwd=settings.BASE_DIR,
            env=self.env | extra_env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def deliver(self) -> None:
        """What beat does every minute: ask a worker to deliver what is due."""
        deliver_alerts.apply_async(queue=self.queue)

    def sent(self) -> list[dict[str, object]]:
        if not self.mailbox.exists():
            return []
        return [json.loads(line) for line in self.mailbox.read_text(encoding="utf-8").splitlines()]

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 45) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        output = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in self.logs)
        pytest.fail(f"Timed out after {timeout} s waiting for {what}.\n{output}")

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path) -> Iterator[Worker]:
    need_postgres()
    need_redis()
    started = Worker(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture
def due_alert(make_action, officer, with_emails) -> Alert:
    action_due(make_action, "3A1", timezone.localdate() + datetime.timedelta(days=5))
    assert sweep().created == 1
    return alerts_to_testshire().get()


def _state(alert: Alert) -> str:
    alert.refresh_from_db()
    return alert.delivery


def test_a_worker_killed_during_delivery_leaves_the_alert_delivered_after_restart(worker, due_alert):
    """Killed after the message left but before the worker recorded it (the worst moment): the
    alert is delivered after the restart, and that one message goes twice, no more. (A kill before
    the message left is the same path with nothing sent twice; test_delivery covers it in-process.)"""
    emails = 2
    first = worker.start(ALERT_TEST_STALL="after")
    worker.deliver()
    worker.wait_for(worker.stalled.exists, "the worker to stall mid-send")

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert _state(due_alert) == Delivery.SENDING
    assert len(worker.sent()) == emails - 1

    worker.start()
    # Until the dead worker's lease runs out its row is left alone; beat asks every minute.
    time.sleep(LEASE_SECONDS + 0.5)
    worker.deliver()
    worker.wait_for(lambda: _state(due_alert) == Delivery.SENT, "the alert to be marked sent")

    assert due_alert.attempts == 2
    assert worker.sent() == [{"to": ["olivia.officer@testshire.gov.uk"], "subject": due_alert.title}] * emails
    # Later runs send nothing more.
    worker.deliver()
    worker.deliver()
    time.sleep(1)
    assert len(worker.sent()) == emails


def test_with_the_broker_down_a_rating_saves_and_the_alert_follows_when_it_is_back(
    worker, make_action, officer, with_emails
):
    action = action_due(make_action, "3A1", timezone.localdate() + datetime.timedelta(days=5))
    env = worker.env | {"DJANGO_SETTINGS_MODULE": "tests.settings", "REDIS_URL": "redis://127.0.0.1:1/0"}
    worker.start()  # on the real broker, waiting on a queue nothing reaches while it is "down"

    ran = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "tests.alerts.broker_down", str(action.pk), str(officer.pk)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert ran.returncode == 0, ran.stderr[-3000:]
    assert ran.stdout.splitlines() == ["rating saved", "alerts created: 1"]
    assert "Could not queue alert delivery" in ran.stderr
    action.refresh_from_db()
    assert action.brag == Brag.RED
    alert = alerts_to_testshire().get()
    assert alert.delivery == Delivery.PENDING

    # The broker is back: the next periodic run sends it.
    worker.deliver()
    worker.wait_for(lambda: _state(alert) == Delivery.SENT, "the alert to be sent")
    assert worker.sent() == [{"to": ["olivia.officer@testshire.gov.uk"], "subject": alert.title}]
    assert Action.objects.get(pk=action.pk).version == action.version
