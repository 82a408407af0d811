"""The load benchmark's URLconf: the project's URLs, and a trivial view to measure them against."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def ping(request: HttpRequest) -> HttpResponse:
    """The least a view can do: what every request costs before a view does any work."""
    return HttpResponse(b"ok", content_type="text/plain")


# First, so that routing costs it no more than the dashboard's own pattern costs the dashboard.
urlpatterns = [path("bench/ping", ping), path("", include("send_tracker.urls"))]
