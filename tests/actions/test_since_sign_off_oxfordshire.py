"""The baseline on the real Oxfordshire data: the plan signed off on 12 December 2023, and 3A2's
target date moved from September 2024 to 31 March 2025 through the service."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from actions.baseline import compare_with_baseline, due_date_slips
from actions.models import Action, Plan
from actions.services import revise_action
from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import Organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(oxfordshire_committed: None) -> Plan:
    return Plan.objects.get(partnership__slug="oxfordshire", is_current=True)


def test_the_sign_off_is_loaded_and_nothing_has_moved_since(plan):
    comparison = compare_with_baseline(plan)

    assert plan.approved_date == datetime.date(2023, 12, 12)
    assert len(comparison.lists["at_sign_off"]) == 34
    assert [len(comparison.lists[name]) for name in ("added", "retired", "moved_later", "moved_earlier")] == [
        0,
        0,
        0,
        0,
    ]
    assert {slip.due_date_revisions for slip in due_date_slips(plan).values()} == {0}


def test_moving_3a2_to_the_end_of_march_2025_is_one_revision_and_182_days(plan, client_for):
    council = Organisation.objects.get(partnership=plan.partnership, short_name="OCC")
    officer = make_user("occ-officer", council, Role.OFFICER)
    action = Action.objects.get(plan=plan, ref="3A2")
    assert (action.due_date, action.due_date_text) == (datetime.date(2024, 9, 30), "Sept 24")

    revise_action(
        action_id=action.pk,
        user=officer,
        due_date=datetime.date(2025, 3, 31),
        based_on_version=action.version,
        reason="Recruitment of EHCP coordinators delayed; the board agreed a new date.",
    )

    slip = due_date_slips(plan)[action.pk]
    assert (slip.baseline_due_date, slip.due_date_revisions) == (datetime.date(2024, 9, 30), 1)
    assert slip.days_slipped(datetime.date(2025, 3, 31)) == 182
    later = compare_with_baseline(plan).lists["moved_later"]
    assert [(row.published_ref, row.days_slipped) for row in later] == [("3A2", 182)]
    response = client_for(officer).get(reverse("actions:since_sign_off", args=[plan.pk]))
    html = response.content.decode()
    moved = html[html.index('id="moved-later"') : html.index('id="moved-earlier"')]
    assert ">3A2</a>" in moved and "30 September 2024" in moved and "31 March 2025" in moved and "182 days" in moved
    detail = client_for(officer).get(action.get_absolute_url()).content.decode()
    assert "182 days later than at sign-off" in detail
