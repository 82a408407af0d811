"""The instance's machinery in the admin: the periodic tasks Celery beat runs and the sign-in
logs django-axes keeps. They span every partnership, so only an administrator of the whole
instance (a superuser) sees them."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from send_tracker.accounts.admin_scope import keep_for_superusers

keep_for_superusers(
    admin.site,
    PeriodicTask,
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    SolarSchedule,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
)
