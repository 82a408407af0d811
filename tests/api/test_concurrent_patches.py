"""Fifty partners' systems PATCH the same action with the same ETag, at once, on PostgreSQL."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter

import pytest

from actions.models import Action, RatingUpdate
from send_tracker.api.keys import create_api_key
from tests.conftest import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def call(
    url: str, key: str, method: str = "GET", body: dict | None = None, etag: str | None = None
) -> tuple[int, dict, dict]:
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if etag:
        headers["If-Match"] = etag
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - our live server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def test_fifty_concurrent_patches_with_one_etag_give_one_200_and_49_412(live_server, action, council):
    need_postgres()
    _, key = create_api_key(organisation=council, name="load test", can_write=True)
    url = f"{live_server.url}/api/v1/actions/{action.pk}/"
    status, headers, _ = call(url, key)
    assert status == 200
    etag = headers["ETag"]
    history_before = action.history.count()
    start = threading.Barrier(50)
    statuses: list[int] = []
    lock = threading.Lock()

    def patch(n: int) -> None:
        start.wait()
        code, _, _ = call(url, key, "PATCH", {"brag": "amber", "commentary": f"Update {n}"}, etag)
        with lock:
            statuses.append(code)

    threads = [threading.Thread(target=patch, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Counter(statuses) == Counter({200: 1, 412: 49})
    action = Action.objects.get(pk=action.pk)
    assert action.version == 2
    assert action.history.count() == history_before + 1
    assert RatingUpdate.objects.filter(action=action).count() == 1
