from celery import shared_task

from .models import Heartbeat


@shared_task(name="operations.heartbeat", ignore_result=True, time_limit=30, soft_time_limit=20)
def heartbeat() -> None:
    """Scheduled by beat every minute and run by the worker: proves both are alive."""
    Heartbeat.beat("worker")
