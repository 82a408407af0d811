"""The partner API's alerts: a signed-in person reads their own; an API key, which is no person, none."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from send_tracker.alerts.choices import AlertKind
from send_tracker.alerts.models import Alert

from . import world

FIELDS = ["id", "kind", "title", "body", "link", "due_date", "created_at", "read_at"]


@pytest.fixture
def signed_in():
    def build(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return build


def results(client: APIClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/alerts/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_person_reads_their_own_alerts_newest_first(officer, signed_in):
    older, newer = world.alerts_for(officer, 2)

    rows = results(signed_in(officer))

    assert [list(row) for row in rows] == [FIELDS, FIELDS]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert rows[1] == {
        "id": older.pk,
        "kind": "action_due_14",
        "title": older.title,
        "body": "",
        "link": "/actions/",
        "due_date": "2024-05-01",
        "created_at": rows[1]["created_at"],
        "read_at": None,
    }
    assert signed_in(officer).get(f"/api/v1/alerts/{older.pk}/").json() == rows[1]


def test_nobody_reads_another_persons_alerts_not_even_an_administrator(officer, administrator, outsider, signed_in):
    officers = world.alerts_for(officer, 1)[0]
    outsiders = world.alerts_for(outsider, 1)[0]
    client = signed_in(administrator)

    assert results(client) == []
    assert client.get(f"/api/v1/alerts/{officers.pk}/").status_code == 404
    assert client.get(f"/api/v1/alerts/{outsiders.pk}/").json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("write", [False, True])
def test_a_key_has_no_alerts_not_even_those_of_its_organisations_staff(officer, council, key_client, write):
    alert = world.alerts_for(officer, 1)[0]
    client = key_client(council, write=write)

    assert results(client) == []
    assert client.get(f"/api/v1/alerts/{alert.pk}/").status_code == 404


def test_the_schema_says_a_key_has_no_alerts(council, key_client):
    schema = key_client(council).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert "API key" in schema["paths"]["/api/v1/alerts/"]["get"]["description"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"unread": "true"}, {"unread-may"}),
        ({"unread": "false"}, {"read-june"}),
        ({"kind": "risk_review_overdue"}, {"read-june"}),
        ({"due_from": "2024-06-01"}, {"read-june"}),
        ({"due_to": "2024-05-31"}, {"unread-may"}),
    ],
)
def test_filters(officer, signed_in, params, expected):
    unread, read = world.alerts_for(officer, 2)
    Alert.objects.filter(pk=read.pk).update(
        kind=AlertKind.RISK_REVIEW_OVERDUE, due_date=datetime.date(2024, 6, 1), read_at=timezone.now()
    )
    names = {unread.pk: "unread-may", read.pk: "read-june"}

    rows = results(signed_in(officer), **params)

    assert {names[row["id"]] for row in rows} == expected


def test_alerts_are_read_only_marking_one_read_is_for_the_tracker(officer, signed_in):
    alert = world.alerts_for(officer, 1)[0]
    client = signed_in(officer)

    response = client.patch(f"/api/v1/alerts/{alert.pk}/", {"read_at": "2024-05-01T00:00:00Z"}, format="json")

    assert response.status_code == 405
    assert Alert.objects.get(pk=alert.pk).read_at is None
