"""Creates the beat schedules for the deadline sweep, alert delivery and the daily digest.

Operators change them in the admin (Periodic tasks); beat reads them from the database. Schedules
run in UTC; the sweep judges dates in Europe/London itself.
"""

from django.conf import settings
from django.db import migrations

SWEEP = "Deadline sweep"
DELIVERY = "Deliver alerts"
DIGEST = "Daily alert digest"


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    sweep_every, _ = IntervalSchedule.objects.get_or_create(every=settings.ALERT_SWEEP_MINUTES, period="minutes")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    seven_utc, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    # expire_seconds: a run still queued when the next is due (a worker was down) is dropped
    # rather than run twice in a row; the rows wait in the database either way.
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={
            "task": "alerts.sweep_deadlines",
            "interval": sweep_every,
            "enabled": True,
            "expire_seconds": settings.ALERT_SWEEP_MINUTES * 60,
            "description": "Writes the alerts for deadlines coming up or passed; dates judged in Europe/London.",
        },
    )
    PeriodicTask.objects.get_or_create(
        name=DELIVERY,
        defaults={
            "task": "alerts.deliver_alerts",
            "interval": every_minute,
            "enabled": True,
            "expire_seconds": 60,
            "description": "Emails the alerts due to go straight away, and retries failed ones with backoff.",
        },
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST,
        defaults={
            "task": "alerts.send_digests",
            "crontab": seven_utc,
            "enabled": True,
            "expire_seconds": 6 * 3600,
            "description": "One email a day to each person who chose a digest for some kinds of alert.",
        },
    )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[SWEEP, DELIVERY, DIGEST]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
