"""A partnership with no plan yet (made with create_partnership) starts it from its spreadsheet: the
button on the "no plan yet" page makes the partnership's current Priority Action Plan, empty, and opens
its upload page. Only its administrator may; another partnership's plan is never touched."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from actions.models import Plan
from send_tracker.accounts.models import Partnership, User

pytestmark = pytest.mark.django_db

START = reverse("actions:start_import")


def test_an_administrator_with_no_plan_starts_one_and_is_taken_to_its_upload_page(
    client_for: Any, administrator: User, partnership: Partnership, elsewhere_world: Any
) -> None:
    browser = client_for(administrator)
    no_plan = browser.get(reverse("actions:current_plan"))
    assert no_plan.status_code == 404
    assert START in no_plan.content.decode()
    others = list(Plan.objects.exclude(partnership=partnership).values_list("pk", "title", "is_current"))

    response = browser.post(START)

    plan = Plan.objects.get(partnership=partnership)
    assert response.status_code == 302 and response["Location"] == reverse("actions:import", args=[plan.pk])
    assert (plan.title, plan.is_current, plan.actions.count()) == ("Priority Action Plan", True, 0)
    (made,) = plan.history.all()
    assert (made.history_user, made.history_change_reason) == (
        administrator,
        "Plan started, to import it from a spreadsheet",
    )
    # Pressed again (a second tab, a double click): the same plan, nothing more written.
    assert browser.post(START)["Location"] == response["Location"]
    assert Plan.objects.filter(partnership=partnership).count() == 1 and plan.history.count() == 1
    assert list(Plan.objects.exclude(partnership=partnership).values_list("pk", "title", "is_current")) == others


def test_with_a_plan_already_it_opens_that_plan_s_upload_page(client_for: Any, administrator: User, plan: Plan) -> None:
    response = client_for(administrator).post(START)
    assert response["Location"] == reverse("actions:import", args=[plan.pk])
    assert Plan.objects.filter(partnership=plan.partnership).count() == 1


def test_no_one_else_may_start_it(
    client_for: Any, officer: User, scrutiny_member: User, partnership: Partnership
) -> None:
    for person in (officer, scrutiny_member):
        browser = client_for(person)
        assert START not in browser.get(reverse("actions:current_plan")).content.decode()
        assert browser.post(START).status_code == 403
    assert client_for(None).post(START).status_code == 302  # to sign in
    assert client_for(officer).get(START).status_code == 405
    assert not Plan.objects.filter(partnership=partnership).exists()
