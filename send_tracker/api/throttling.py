from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.request import Request

if TYPE_CHECKING:
    from rest_framework.views import APIView
from rest_framework.throttling import SimpleRateThrottle

from send_tracker.accounts.models import ApiKey


class PerKeyThrottle(SimpleRateThrottle):
    """Limits each API key (or signed-in person) to API_THROTTLE_RATE requests."""

    scope = "api"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
