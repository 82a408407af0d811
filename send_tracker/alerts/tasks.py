"""The alerts' Celery tasks. Beat schedules them (django-celery-beat, editable in the admin under
Periodic tasks; the schedules run in UTC): the sweep every ALERT_SWEEP_MINUTES, delivery every
minute, the digest daily at 07:00 UTC. Each does its work in batches and within explicit time
limits, soft below hard, so a stuck SMTP server cannot hold a worker for ever."""

from __future__ import annotations

import logging

from celery import shared_task

from . import delivery
from .sweep import sweep

logger = logging.getLogger(__name__)


@shared_task(name="alerts.sweep_deadlines", ignore_result=True, time_limit=300, soft_time_limit=240)
def sweep_deadlines() -> int:
    """Write the alerts for everything due today (in Europe/London) and beat "deadline-sweep"."""
    return sweep().created


@shared_task(name="alerts.deliver_alerts", ignore_result=True, time_limit=300, soft_time_limit=240)
def deliver_alerts(batch_size: int = 500) -> int:
    """Email the alerts due to go straight away; returns how many were sent."""
    return delivery.deliver_due(batch_size).sent


@shared_task(name="alerts.send_digests", ignore_result=True, time_limit=300, soft_time_limit=240)
def send_digests(user_batch: int = 200) -> int:
    """Send each person who chose a daily digest one email with their alerts."""
    return delivery.send_digests(user_batch).emails


def queue_delivery() -> None:
    """Ask a worker to email the alerts just written, without letting a broker outage fail the
    caller: the rows are safe in the database and the next periodic run sends them."""
    try:
        deliver_alerts.apply_async(
            retry=True, retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
        )
    except Exception as exc:  # kombu raises transport-specific errors for a broker that is down.
        logger.warning(
            "Could not queue alert delivery (%s: %s); the next periodic run will send them.", type(exc).__name__, exc
        )
