"""Cross-cutting HTTP middleware."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Sends the Content Security Policy on every response.

    Django 5.2 has no built-in CSP, and one header needs no extra dependency. The policy allows
    no inline script, so nothing injected into a page by a user's text can run.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class PrivateByDefaultMiddleware:
    """Marks every answer `Cache-Control: private, no-store` unless it says it is public.

    Signed-in pages, API answers and the sign-in pages hold a person's or a partnership's data, so
    no browser history, disk cache or shared proxy may keep them (ASVS 14.3.2). Only a view that
    marks its answer `public` (the transparency page, for anonymous visitors) keeps its own header,
    and never for a signed-in person, whose page names them. Static files never reach this: in
    production WhiteNoise, outside it in the list, answers them with their own long-lived headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self._is_public(request, response):
            response.headers["Cache-Control"] = "private, no-store"
            # Expires would contradict the header in an old cache that reads only it.
            response.headers.pop("Expires", None)
        return response

    @staticmethod
    def _is_public(request: HttpRequest, response: HttpResponse) -> bool:
        directives = {d.strip().split("=")[0].lower() for d in response.headers.get("Cache-Control", "").split(",")}
        if "public" not in directives:
            return False
        # Read only here, on a public answer, whose view has already read the user for its header.
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)
