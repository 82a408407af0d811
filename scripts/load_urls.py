"""The load benchmark's URLconf: the project's URLs and error handlers, and a trivial view to
measure them against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from send_tracker.urls import *  # noqa: F403 - the error handlers (handler404 and the rest) too
from send_tracker.urls import urlpatterns as project_urlpatterns


def ping(request: HttpRequest) -> HttpResponse:
    """The least a view can do: what every request costs before a view does any work."""
    return HttpResponse(b"ok", content_type="text/plain")


# First, so that routing costs it no more than the dashboard's own pattern costs the dashboard.
urlpatterns = [path("bench/ping", ping), *project_urlpatterns]
