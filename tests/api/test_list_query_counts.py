"""Every list the router serves costs at most 3 queries, with 3 rows or 30.

With a key: one query finds the key, one reads the page, and actions read their themes and
workstreams in a third. Alerts are read with a signed-in session (a key has none): one query for
the session, one for the person, one for the page.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from send_tracker.api_urls import router

from . import world

LISTS = {basename: f"/api/v1/{prefix}/" for prefix, _viewset, basename in router.registry}


@pytest.mark.parametrize(("basename", "url"), LISTS.items(), ids=list(LISTS))
def test_a_list_costs_at_most_3_queries_whatever_its_size(
    basename, url, council, officer, key_client, django_assert_max_num_queries
):
    if basename == "alert":
        client = APIClient()
        client.force_login(officer)
        build = lambda count: world.alerts_for(officer, count)  # noqa: E731
    else:
        client = key_client(council)
        build = lambda count: world.BUILDERS[basename](council, count)  # noqa: E731
    client.get(url)  # notes the key's first use, which writes once an hour

    made = 0
    for size in (3, 30):
        made += len(build(size - made))

        with django_assert_max_num_queries(3):
            response = client.get(url, {"page_size": 500})

        assert response.status_code == 200
        assert len(response.json()["results"]) >= size
