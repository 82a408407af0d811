"""The pages people see when something is refused, missing or broken, and how those are logged.

Pages are GOV.UK styled; anything under /api/ answers in the API's one JSON error shape instead
(send_tracker.api.errors), a 500 included, since partners' systems parse it. A 403 names the
reason when the product gave one (send_tracker.accounts.access.require always does).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from send_tracker.api.errors import error_body

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    reason = str(exception)
    if _is_api(request):
        message = reason or "You do not have permission to do this."
        return JsonResponse(error_body(403, "permission_denied", message), status=403)
    return render(request, "403.html", {"reason": reason}, status=403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body(404, "not_found", "There is no API resource at this address."), status=404)
    # The exception's text is not shown: Django's own ("No Action matches the given query.") names models.
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors: whatever failed (the database, the
    cache) may be what they need. The page reads only settings and static files."""
    if _is_api(request):
        message = "Something went wrong on the server. Try again later."
        return JsonResponse(error_body(500, "server_error", message), status=500)
    try:
        page = loader.get_template("500.html").render({"service_name": settings.SERVICE_NAME})
    except Exception:
        # A broken template (or missing static manifest) must not hide the original error's page.
        logger.exception("The 500 page could not be rendered")
        page = "Sorry, there is a problem with the service. Try again later."
        return HttpResponse(page, content_type="text/plain; charset=utf-8", status=500)
    return HttpResponse(page, status=500)
