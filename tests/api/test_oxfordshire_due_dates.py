"""The issue's check on the real Oxfordshire data, through the API: the plan was signed off on
12 December 2023; moving 3A2's target date from September 2024 to 31 March 2025 gives a baseline of
30 September 2024, one revision and 182 days slipped, in the detail and in the list."""

from __future__ import annotations

import pytest

from actions.models import Action
from send_tracker.accounts.models import Organisation

pytestmark = pytest.mark.django_db

FIGURES = ("due_date", "baseline_due_date", "due_date_revisions", "days_slipped")


def test_moving_3a2_to_the_end_of_march_2025_through_the_api(oxfordshire_committed, key_client):
    council = Organisation.objects.get(partnership__slug="oxfordshire", short_name="OCC")
    action = Action.objects.get(plan__partnership__slug="oxfordshire", plan__is_current=True, ref="3A2")
    client = key_client(council, write=True)
    before = client.get(f"/api/v1/actions/{action.pk}/")
    assert [before.json()[name] for name in FIGURES] == ["2024-09-30", "2024-09-30", 0, 0]

    response = client.patch(
        f"/api/v1/actions/{action.pk}/",
        {"due_date": "2025-03-31", "reason": "Health contributions still late; the board agreed 31 March 2025."},
        format="json",
        HTTP_IF_MATCH=before["ETag"],
    )

    assert response.status_code == 200, response.json()
    assert [response.json()[name] for name in FIGURES] == ["2025-03-31", "2024-09-30", 1, 182]
    (listed,) = client.get("/api/v1/actions/", {"ref": "3A2"}).json()["results"]
    assert [listed[name] for name in FIGURES] == ["2025-03-31", "2024-09-30", 1, 182]
    assert listed["status"] == "open"
