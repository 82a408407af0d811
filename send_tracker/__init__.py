"""send-tracker: the project package (settings, root URLs, the Celery app, accounts)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
