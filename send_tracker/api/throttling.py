"""The partner API's rate limit: API_THROTTLE_RATE requests per key (or signed-in person, or
address) in each fixed window of the rate's period (a minute for "1200/minute").

Each request counts itself with one atomic increment of a counter named by the caller and the
window, which expires after the window, so concurrent requests, in one process or many sharing
Redis, cannot count twice as one. DRF's own SimpleRateThrottle keeps a list of times that each
request reads and writes back whole: twelve clients at once overwrote one another's entries and
made 1,300 requests in nine seconds against 1,200 a minute.

A fixed window allows a burst of up to twice the rate across the moment one window ends and the
next begins (the end of one minute and the start of the next); in any one window, never more
than the rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from send_tracker.accounts.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.views import APIView

# A counter outlives its window by this much, so that a request that read the clock just before
# the window ended still finds it (Django's Redis incr checks the key exists, then increments it).
EXPIRY_MARGIN_SECONDS = 60


class PerKeyThrottle(SimpleRateThrottle):
    """Limits each API key (or signed-in person) to API_THROTTLE_RATE requests a window."""

    scope = "api"
    cache = cache
    # Set by SimpleRateThrottle.__init__ from the rate (its type stubs leave them out).
    num_requests: int | None
    duration: int | None
    window_ends: float

    def get_rate(self) -> str | None:
        # Read on each request, not once at import as DRF does, so a changed setting holds at once.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None or self.num_requests is None or self.duration is None:
            return True
        caller = self.get_cache_key(request, view)
        if caller is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return self.count(f"{caller}:{window}", expires=self.duration + EXPIRY_MARGIN_SECONDS) <= self.num_requests

    def count(self, key: str, *, expires: int) -> int:
        """Add this request to the window's counter and return the count, atomically."""
        try:
            return int(self.cache.incr(key))
        except ValueError:
            # The window's first request. add() creates the counter only if no other request has,
            # so two first requests both count from the same zero.
            self.cache.add(key, 0, timeout=expires)
            return int(self.cache.incr(key))

    def wait(self) -> float:
        """Seconds until the window ends and the count starts again (the Retry-After header)."""
        return max(self.window_ends - self.now, 0.0)
