"""With rows in every resource, every list and detail the router serves matches the OpenAPI schema.

test_schema_fuzz runs schemathesis against a live server, but its database holds one action, so
most lists it reads are empty. This checks real rows, nullable fields set both ways, against the
same schema and with schemathesis's own validator.
"""

from __future__ import annotations

import datetime

import pytest
import requests
import schemathesis
from django.urls import reverse
from django.utils import timezone
from schemathesis.core.transport import Response as CheckedResponse

from recommendations.choices import Outcome
from recommendations.models import Recommendation, Response
from send_tracker.api_urls import router

from . import world

ROUTES = [(basename, f"/api/v1/{prefix}/") for prefix, _viewset, basename in router.registry]


def checked(response, url: str) -> CheckedResponse:
    return CheckedResponse(
        status_code=response.status_code,
        headers={key: [value] for key, value in response.items()},
        content=response.content,
        request=requests.Request("GET", f"http://testserver{url}").prepare(),
        elapsed=0.0,
        verify=True,
    )


@pytest.fixture
def rows(council, officer):
    made = {basename: list(build(council, 2)) for basename, build in world.BUILDERS.items()}
    # The nullable parts of a recommendation, both ways: one answered and dated, one owed.
    answered = made["response"][0]
    Response.objects.filter(pk=answered.pk).update(
        outcome=Outcome.REJECTED, reasons="No.", given_on=datetime.date(2024, 6, 1)
    )
    Recommendation.objects.filter(pk=made["recommendation"][1].pk).update(response_required=False)
    made["alert"] = world.alerts_for(officer, 2)
    made["alert"][0].read_at = timezone.now()
    made["alert"][0].save()
    return made


@pytest.mark.parametrize(("basename", "url"), ROUTES, ids=[basename for basename, _ in ROUTES])
def test_lists_and_details_match_the_schema(basename, url, rows, council, officer, key_client):
    if basename == "alert":
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_login(officer)
    else:
        client = key_client(council)
    schema = schemathesis.openapi.from_dict(
        client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    detail_path = f"{url}{{id}}/"

    listed = client.get(url)
    assert len(listed.json()["results"]) >= 2
    schema[url]["GET"].validate_response(checked(listed, url))
    for obj in rows[basename]:
        detail_url = reverse(f"{basename}-detail", kwargs={"pk": obj.pk})
        detail = client.get(detail_url)
        assert detail.status_code == 200
        schema[detail_path]["GET"].validate_response(checked(detail, detail_url))
