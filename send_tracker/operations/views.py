from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from send_tracker.celery import app as celery_app

from .models import Heartbeat


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # Any driver error means the database is not usable.
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises transport-specific errors.
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker: 200 when the database and the broker answer."""
    database = _database_state()
    broker = _broker_state()
    heartbeats: dict[str, str | None] = {}
    if database == "ok":
        heartbeats = {beat.name: beat.last_seen.isoformat() for beat in Heartbeat.objects.all()}
    healthy = database == "ok" and broker == "ok"
    body = {
        "status": "ok" if healthy else "error",
        "database": database,
        "database_engine": connection.vendor,
        "broker": broker,
        "broker_transport": "redis" if settings.REDIS_URL else "filesystem",
        "worker_last_seen": heartbeats.get("worker"),
        "last_sweep": heartbeats.get("deadline-sweep"),
        "time": timezone.now().isoformat(),
    }
    return JsonResponse(body, status=200 if healthy else 503)
