"""A key is looked up once and then read from the cache; every change to it, its organisation or
its partnership takes effect on the next request, and expiry is checked on each use."""

from __future__ import annotations

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from actions.models import Action
from send_tracker.accounts.models import ApiKey, Organisation, User, api_key_cache_key
from send_tracker.api.keys import create_api_key, find_usable_key


def actions_listed(client) -> set[int]:
    return {row["id"] for row in client.get("/api/v1/actions/").json()["results"]}


def actions_of(partnership_id: int) -> set[int]:
    """The actions of the partnership the key's organisation moved to (Elsewhere's, tests/world.py)."""
    return set(Action.objects.filter(plan__partnership_id=partnership_id).values_list("pk", flat=True))


LONDON = ZoneInfo("Europe/London")


def test_a_key_is_looked_up_once_then_read_from_the_cache(action, council, key_client, django_assert_num_queries):
    client = key_client(council)
    client.get("/api/v1/actions/")

    with django_assert_num_queries(1):  # the page; none for the key
        assert client.get("/api/v1/actions/").status_code == 200


def revoke_in_the_admin(client, api_key: ApiKey) -> None:
    response = client.post(
        "/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]}, follow=True
    )
    assert b"Revoked 1 key(s)." in response.content


def test_a_key_revoked_in_the_admin_is_refused_on_the_next_request(action, council, key_client, client_for):
    client = key_client(council)
    assert client.get("/api/v1/actions/").status_code == 200
    root = User.objects.create_superuser("root", "root@example.org", "pw-not-used-1234")

    revoke_in_the_admin(client_for(root), ApiKey.objects.get(organisation=council))

    assert client.get("/api/v1/actions/").status_code == 401


@pytest.mark.parametrize("change", ["save", "update", "delete", "queryset delete"])
def test_every_way_of_changing_a_key_reaches_the_next_request(action, council, key_client, change):
    client = key_client(council)
    assert client.get("/api/v1/actions/").status_code == 200
    api_key = ApiKey.objects.get(organisation=council)

    if change == "save":
        api_key.expires_on = datetime.date(2000, 1, 1)
        api_key.save()
    elif change == "update":
        ApiKey.objects.filter(pk=api_key.pk).update(revoked_at=timezone.now())
    elif change == "delete":
        api_key.delete()
    else:
        ApiKey.objects.filter(pk=api_key.pk).delete()

    assert client.get("/api/v1/actions/").status_code == 401


def test_a_key_whose_organisation_moves_partnership_reads_the_new_one_at_once(
    action, council, other_council, key_client
):
    client = key_client(council)
    assert [row["id"] for row in client.get("/api/v1/actions/").json()["results"]] == [action.pk]

    council.partnership = other_council.partnership
    council.save()

    assert actions_listed(client) == actions_of(other_council.partnership_id)
    assert client.get(f"/api/v1/actions/{action.pk}/").status_code == 404


def test_a_key_cached_on_its_last_day_is_refused_the_next_morning(action, council, key_client):
    client = key_client(council)
    ApiKey.objects.update(expires_on=datetime.date(2026, 12, 2))

    # Twenty seconds apart, well within the time a key stays cached.
    with time_machine.travel(datetime.datetime(2026, 12, 2, 23, 59, 50, tzinfo=LONDON), tick=False):
        assert client.get("/api/v1/actions/").status_code == 200
    with time_machine.travel(datetime.datetime(2026, 12, 3, 0, 0, 10, tzinfo=LONDON), tick=False):
        assert client.get("/api/v1/actions/").status_code == 401


# The memory cache keeps time by the clock time_machine moves; Redis keeps its own.
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_last_use_is_written_at_most_once_an_hour(action, council, key_client):
    client = key_client(council)
    start = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=LONDON)

    for minutes in (0, 10, 59, 61):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            client.get("/api/v1/actions/")
        if minutes in (0, 61):
            expected = start + datetime.timedelta(minutes=minutes)
        assert ApiKey.objects.get(organisation=council).last_used_at == expected


def test_the_lookup_agrees_with_usable_on_every_kind_of_key(council):
    today = timezone.localdate()
    expiries = [None, today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)]
    keys = {}
    for n, (expires_on, revoked) in enumerate(itertools.product(expiries, [False, True])):
        api_key, secret = create_api_key(organisation=council, name=f"key {n}", expires_on=expires_on)
        if revoked:
            ApiKey.objects.filter(pk=api_key.pk).update(revoked_at=timezone.now())
        keys[api_key.pk] = secret

    usable = set(ApiKey.objects.usable(today).filter(organisation=council).values_list("pk", flat=True))
    found = {pk for pk, secret in keys.items() if find_usable_key(secret) is not None}

    assert found == usable
    assert len(usable) == 3
    assert find_usable_key(keys[min(usable)] + "x") is None  # right prefix, wrong secret


def test_moving_organisations_in_bulk_reaches_the_next_request_too(action, council, other_council, key_client):
    client = key_client(council)
    assert client.get("/api/v1/actions/").json()["results"]

    Organisation.objects.filter(pk=council.pk).update(partnership=other_council.partnership)

    assert actions_listed(client) == actions_of(other_council.partnership_id)


def test_a_request_that_read_a_key_just_before_it_was_revoked_cannot_cache_it_again(action, council, key_client):
    client = key_client(council)
    assert client.get("/api/v1/actions/").status_code == 200
    read_before = ApiKey.objects.get(organisation=council)

    ApiKey.objects.update(revoked_at=timezone.now())
    put_back = cache.add(api_key_cache_key(read_before.prefix), read_before, 60)  # what that request would do

    assert not put_back
    assert client.get("/api/v1/actions/").status_code == 401


def test_a_cache_that_does_not_answer_does_not_undo_a_revocation(action, council, key_client, monkeypatch, caplog):
    client = key_client(council)
    assert client.get("/api/v1/actions/").status_code == 200

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set_many", unreachable)
    ApiKey.objects.filter(organisation=council).update(revoked_at=timezone.now())

    assert ApiKey.objects.get(organisation=council).revoked_at is not None
    assert "Could not drop 1 API key(s) from the cache" in caplog.text


def test_a_key_that_is_not_one_of_ours_costs_no_query(db, key_client, django_assert_num_queries):
    from rest_framework.test import APIClient

    client = APIClient()
    for junk in ["st_" + "a" * 300 + "_x", "st_\x01\x02_x", "st_ABCDEF123456_x", "st_12345_x"]:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {junk}")
        with django_assert_num_queries(0):
            assert client.get("/api/v1/actions/").status_code == 401
