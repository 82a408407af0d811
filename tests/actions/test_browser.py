"""The plan in a real browser: Debian's Chromium driven by Playwright.
axe-core checks every page as every role in tests/test_accessibility_walk.py."""

from __future__ import annotations

import pytest

from actions.models import Action, RatingUpdate
from tests.conftest import sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_updates_a_rating_with_evidence_and_sees_it_in_the_timeline(page, action, officer):
    sign_in_by_session(page, officer)
    page.goto(action.get_absolute_url())
    page.get_by_role("button", name="Update rating").click()

    page.get_by_label("Green").check()
    page.get_by_label("Commentary", exact=True).fill("All statutory timelines mapped; delays cut by a third.")
    page.get_by_label("Describe the evidence").fill("Average weeks to issue fell from 30 to 21 (Q1 audit).")
    page.get_by_role("button", name="Save rating").click()

    page.wait_for_url(f"**{action.get_absolute_url()}")
    assert page.get_by_text("Rating for 3A1 saved.").is_visible()
    timeline = page.locator(".app-timeline")
    assert timeline.get_by_text("Rated Green").is_visible()
    assert timeline.get_by_text("Average weeks to issue fell from 30 to 21 (Q1 audit).").is_visible()
    action.refresh_from_db()
    assert action.brag == "green"
    assert RatingUpdate.objects.get(action=action).created_by == officer


def test_green_without_evidence_shows_the_error_summary_and_keeps_the_text(page, action, officer):
    sign_in_by_session(page, officer)
    page.goto(f"/plan/actions/{action.pk}/rate/")

    page.get_by_label("Green").check()
    page.get_by_label("Commentary", exact=True).fill("Done.")
    page.get_by_role("button", name="Save rating").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("A Green rating needs evidence of impact").is_visible()
    assert page.get_by_label("Commentary", exact=True).input_value() == "Done."
    assert Action.objects.get(pk=action.pk).brag is None


def test_the_rating_form_can_be_completed_with_the_keyboard_alone(page, action, officer):
    sign_in_by_session(page, officer)
    page.goto(f"/plan/actions/{action.pk}/rate/")

    page.get_by_label("Red", exact=True).focus()
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys: Red -> Amber
    page.keyboard.press("Tab")
    page.keyboard.type("Recruitment delayed; on track again by July.")
    page.get_by_role("button", name="Save rating").focus()
    page.keyboard.press("Enter")

    page.wait_for_url(f"**{action.get_absolute_url()}")
    action.refresh_from_db()
    assert action.brag == "amber"
