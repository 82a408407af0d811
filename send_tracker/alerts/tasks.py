"""The alerts' Celery tasks. Beat schedules them (django-celery-beat, editable in the admin under
Periodic tasks; the schedules run in UTC): the sweep every ALERT_SWEEP_MINUTES, delivery every
minute (`deliver_alerts`, in delivery.py beside what it runs, since the sweep queues it too), the
digest daily at 07:00 UTC, the weekly reminder of overdue items daily at 07:30 UTC (it writes one
per person per week, so only a week's first run, or one after someone newly falls overdue, sends). Each does its work in batches and within explicit time limits, soft
below hard, so a stuck SMTP server cannot hold a worker for ever."""

from __future__ import annotations

from celery import shared_task

from . import delivery, reminders
from .sweep import sweep


@shared_task(name="alerts.sweep_deadlines", ignore_result=True, time_limit=300, soft_time_limit=240)
def sweep_deadlines() -> int:
    """Write the alerts for everything due today (in Europe/London) and beat "deadline-sweep"."""
    return sweep().created


@shared_task(name="alerts.send_digests", ignore_result=True, time_limit=300, soft_time_limit=240)
def send_digests(user_batch: int = 200) -> int:
    """Send each person who chose a daily digest one email with their alerts."""
    return delivery.send_digests(user_batch).emails


@shared_task(name="alerts.send_reminders", ignore_result=True, time_limit=300, soft_time_limit=240)
def send_reminders() -> int:
    """Email each person told of overdue open items their one reminder for this week."""
    return reminders.send_reminders().sent
