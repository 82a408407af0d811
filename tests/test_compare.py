"""Partnerships side by side: for an administrator of the whole instance only, in a fixed number
of queries."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from actions.models import Plan
from send_tracker.accounts.models import Partnership, Role, User
from tests.api.test_kpis_api import DFE_2025


@pytest.fixture
def national_admin(db) -> User:
    return User.objects.create_superuser(username="national", password="x-Secret-2026", role=Role.ADMINISTRATOR)


def test_the_instance_administrator_sees_each_partnership_with_its_ratings_and_dfe_figure(
    make_action, other_partnership, national_admin, client_for
):
    partnership = Partnership.objects.get(slug="testshire")
    partnership.area_code = "E10000025"  # Oxfordshire's code, so that the DfE's figure is found
    partnership.save()
    call_command("import_dfe_timeliness", str(DFE_2025), stdout=io.StringIO())
    make_action("3A1", brag="green")
    make_action("3A2", brag="red")
    Plan.objects.create(partnership=other_partnership, title="Elsewhere plan")

    page = client_for(national_admin).get("/partnerships/").content.decode()

    assert "Partnerships side by side" in page
    assert "Testshire Local Area Partnership" in page and "Elsewhere Partnership" in page
    # In name order: Elsewhere, then Testshire.
    testshire = page[page.index("Testshire Local Area Partnership") : page.index("</tbody>")]
    assert "50%" in testshire  # one of two actions completed
    assert "excluding exceptions" in testshire  # the DfE's latest published share for its area


@pytest.mark.parametrize("persona", ["administrator", "officer", "scrutiny_member"])
def test_anyone_scoped_to_one_partnership_gets_404(persona, request, client_for):
    assert client_for(request.getfixturevalue(persona)).get("/partnerships/").status_code == 404


def test_the_comparison_costs_the_same_queries_for_2_and_12_partnerships(
    national_admin, make_action, client_for, django_assert_max_num_queries
):
    make_action("3A1", brag="amber")
    client = client_for(national_admin)
    with django_assert_max_num_queries(9) as few:
        client.get("/partnerships/")
    for n in range(10):
        other = Partnership.objects.create(name=f"Area {n}", slug=f"area-{n}")
        Plan.objects.create(partnership=other, title=f"Plan {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/partnerships/")
    assert response.status_code == 200 and response.content.decode().count("No actions") == 10
