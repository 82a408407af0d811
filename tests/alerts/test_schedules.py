"""The beat schedules the alerts migration creates: editable rows in the admin, run in UTC."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from send_tracker.celery import app


def test_the_sweep_delivery_and_digest_are_scheduled_for_real_tasks(db):
    # A transactional test earlier in the run empties the tables the migration filled, so apply
    # the migration's own function again (it only creates what is missing).
    schedules = importlib.import_module("send_tracker.alerts.migrations.0002_schedules")
    schedules.create_schedules(apps, None)
    schedules.create_schedules(apps, None)
    reminders = importlib.import_module("send_tracker.alerts.migrations.0005_weekly_reminders")
    reminders.create_schedule(apps, None)

    tasks = {task.name: task for task in PeriodicTask.objects.filter(task__startswith="alerts.")}

    assert set(tasks) == {"Deadline sweep", "Deliver alerts", "Daily alert digest", "Weekly reminder of overdue items"}
    app.loader.import_default_modules()  # what a worker does at start: autodiscover the tasks
    assert all(task.task in app.tasks for task in tasks.values())
    sweep = tasks["Deadline sweep"]
    assert (sweep.task, sweep.interval.every, sweep.interval.period) == (
        "alerts.sweep_deadlines",
        settings.ALERT_SWEEP_MINUTES,
        "minutes",
    )
    digest = tasks["Daily alert digest"]
    assert (digest.crontab.hour, digest.crontab.minute, str(digest.crontab.timezone)) == ("7", "0", "UTC")
    reminder = tasks["Weekly reminder of overdue items"]
    assert (reminder.task, reminder.crontab.hour, reminder.crontab.minute) == ("alerts.send_reminders", "7", "30")
    assert app.conf.timezone == "UTC"
