"""The API's rate limit holds when many clients share one key at once.

A live server (threads, as gunicorn's would be processes) and 30 client threads hammer one key
with a rate of 50 a minute; the throttle counts in Redis. The throttle's clock is held in the
middle of one window, so every request counts in the same window and the limit is exact: 50
answers, and a 429 with Retry-After and the API's error shape for every other request.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from send_tracker.accounts.models import ApiKey
from send_tracker.api.keys import create_api_key
from send_tracker.api.throttling import PerKeyThrottle
from tests.conftest import need_redis

CLIENTS = 30
REQUESTS_EACH = 4
RATE = 50
# The middle of a minute (1,800,000,000 is a whole number of minutes since 1970).
HELD_AT = 1_800_000_030.0


def call(url: str, key: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refusal:
        return refusal.code, dict(refusal.headers), refusal.read()


def forget_counts(api_key: ApiKey) -> None:
    """Drop the counters an earlier run left in Redis for a key of the same id."""
    counter = PerKeyThrottle.cache_format % {"scope": "api", "ident": f"key-{api_key.pk}"}
    window = int(HELD_AT // 60)
    cache.delete_many([f"{counter}:{window}", f"{counter}:{window + 1}"])


@pytest.fixture
def held_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PerKeyThrottle, "timer", staticmethod(lambda: HELD_AT))


def test_thirty_concurrent_clients_get_no_more_than_the_rate(live_server, council, held_clock):
    need_redis()
    api_key, key = create_api_key(organisation=council, name="Busy partner system", can_write=False)
    forget_counts(api_key)
    url = f"{live_server.url}/api/v1/plans/"
    start = threading.Barrier(CLIENTS)

    def client(_: int) -> list[tuple[int, dict[str, str], bytes]]:
        start.wait()
        return [call(url, key) for _ in range(REQUESTS_EACH)]

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api": f"{RATE}/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = [answer for answers in pool.map(client, range(CLIENTS)) for answer in answers]

    statuses = [status for status, _, _ in answers]
    assert (statuses.count(200), statuses.count(429)) == (RATE, CLIENTS * REQUESTS_EACH - RATE)
    _, headers, body = next(answer for answer in answers if answer[0] == 429)
    assert headers["Retry-After"] == "30"
    error: dict[str, Any] = json.loads(body)["error"]
    assert (error["status"], error["code"]) == (429, "throttled")
    assert error["message"]


def test_the_count_starts_again_when_the_window_ends(council, key_client, monkeypatch):
    client = key_client(council)
    forget_counts(ApiKey.objects.latest("pk"))
    clock = [HELD_AT]
    monkeypatch.setattr(PerKeyThrottle, "timer", staticmethod(lambda: clock[0]))
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api": "2/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        first = [client.get("/api/v1/plans/").status_code for _ in range(2)]
        clock[0] = HELD_AT + 20  # ten seconds before the minute ends
        refused = client.get("/api/v1/plans/")
        clock[0] = HELD_AT + 30  # the next minute
        again = client.get("/api/v1/plans/")

    assert first == [200, 200]
    assert (refused.status_code, refused["Retry-After"]) == (429, "10")
    assert again.status_code == 200
