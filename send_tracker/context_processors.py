"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, object]:
    return {"service_name": settings.SERVICE_NAME, "debug": settings.DEBUG}
