"""Editing the plan in Chromium: an administrator adds an action and retires another; an officer
moves a target date with a reason and sees it in the timeline; a second editor's stale save is
refused with nothing lost; a councillor is offered no edit and is refused one."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from actions.choices import ActionStatus
from actions.models import Action
from actions.services import revise_action
from tests.conftest import screenshot, sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """Screenshots at the two widths we look at, into SHOTS when it is set (tests/conftest.py)."""
    screenshot(page, f"browser_{name}")


def test_an_administrator_adds_an_action_and_retires_another(page, action, plan, objective, administrator):
    sign_in_by_session(page, administrator)
    page.goto(plan.get_absolute_url())
    page.get_by_role("button", name="Add an action").click()

    page.get_by_label("Objective").select_option(label=f"3A: {objective.text}")
    page.get_by_label("Reference").fill("3A:2")
    page.get_by_label("What the action will do").fill("Audit “20-week” timeliness – every month.")
    page.get_by_label("Owner").select_option(label="Testshire County Council")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("25")
    page.get_by_label("Right Plan").check()
    page.get_by_role("button", name="Add action").click()

    added = Action.objects.get(plan=plan, ref="3A2")
    page.wait_for_url(f"**{added.get_absolute_url()}")
    assert page.get_by_text("Action 3A:2 added to the plan.").is_visible()
    assert added.due_date == datetime.date(2025, 3, 31)

    page.goto(action.get_absolute_url())
    page.get_by_role("button", name="Retire action").click()
    page.get_by_label("Merged into another action").check()
    page.get_by_label("Action it went into").select_option(value=str(added.pk))
    page.get_by_label("Note").fill("Merged into 3A:2 at the March board.")
    shot(page, "retire_form")
    page.get_by_role("button", name="Retire action").click()

    page.wait_for_url(f"**{action.get_absolute_url()}")
    heading = page.get_by_role("heading", level=1)
    assert "Retired" in heading.inner_text()
    assert "merged into another action (3A:2)" in page.locator(".govuk-warning-text").inner_text()
    assert page.locator(".app-timeline").get_by_text("Merged into 3A:2 at the March board.").is_visible()
    shot(page, "retired_action")
    assert Action.objects.get(pk=action.pk).status == ActionStatus.RETIRED
    page.goto(f"{reverse('actions:list')}?plan={plan.pk}")
    row = page.get_by_role("row").filter(has_text="3A1")
    assert "Retired" in row.inner_text()


def test_an_officer_moves_a_target_date_with_a_reason_and_sees_it_in_the_timeline(page, action, officer):
    sign_in_by_session(page, officer)
    page.goto(action.get_absolute_url())
    page.get_by_role("button", name="Change target date or lead officer").click()

    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Day").fill("31")
    page.get_by_role("button", name="Save changes").click()
    assert page.locator(".govuk-error-summary").get_by_text("Enter why the target date is changing.").is_visible()
    assert page.get_by_label("Day").input_value() == "31"

    page.get_by_label("Reason for the change").fill("Health contributions still late; the board agreed the new date.")
    page.get_by_role("button", name="Save changes").click()

    page.wait_for_url(f"**{action.get_absolute_url()}")
    timeline = page.locator(".app-timeline")
    assert timeline.get_by_text("Health contributions still late; the board agreed the new date.").is_visible()
    assert timeline.get_by_text("Target date: “Apr 24” to “31 March 2025”").is_visible()
    shot(page, "moved_target_date")


def test_a_second_editors_stale_save_is_refused_with_nothing_lost(page, action, officer, administrator):
    sign_in_by_session(page, officer)
    page.goto(reverse("actions:revise", args=[action.pk]))
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Reason for the change").fill("My reason, typed before the other save.")

    revise_action(
        action_id=action.pk,
        user=administrator,
        due_date=datetime.date(2024, 6, 30),
        based_on_version=1,
        reason="Agreed at the board first.",
    )
    page.get_by_role("button", name="Save changes").click()

    assert page.get_by_text("This changed while you were editing it.").is_visible()
    assert page.get_by_text("Agreed at the board first.").is_visible()
    assert page.get_by_label("Reason for the change").input_value() == "My reason, typed before the other save."
    assert (page.get_by_label("Day").input_value(), page.get_by_label("Month").input_value()) == ("31", "12")
    shot(page, "stale_save")
    page.get_by_role("button", name="Save changes").click()  # saved on top, having seen theirs

    page.wait_for_url(f"**{action.get_absolute_url()}")
    action.refresh_from_db()
    assert (action.due_date, action.version) == (datetime.date(2024, 12, 31), 3)


def test_a_councillor_is_offered_no_edit_and_is_refused_one(page, action, scrutiny_member):
    sign_in_by_session(page, scrutiny_member)
    page.goto(action.get_absolute_url())

    for name in ("Update rating", "Change target date or lead officer", "Edit action", "Retire action"):
        assert page.get_by_role("button", name=name).count() == 0
    response = page.goto(reverse("actions:edit", args=[action.pk]))
    assert response is not None and response.status == 403
    assert page.get_by_text("Only an administrator of the partnership").is_visible()
