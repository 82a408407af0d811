"""Deployment checks of our own, run by `manage.py check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.caches, deploy=True)
def redis_is_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Production needs one Redis that every process shares. Without it Celery falls back to files
    on the web server's own disk, and each process keeps its own cache: API throttling counts per
    process, and another process may accept a revoked API key for up to a minute."""
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: Celery uses the filesystem transport and each server process keeps "
            "its own cache, so API throttling is per process and a revoked API key can still work in "
            "another process for up to a minute.",
            hint="Set REDIS_URL to the Redis that the web, worker and beat processes share, as "
            "docker-compose.yml does.",
            id="send_tracker.W001",
        )
    ]
