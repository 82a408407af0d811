"""Recording a response in a real browser (Debian's Chromium through Playwright).
axe-core checks every page as every role in tests/test_accessibility_walk.py."""

from __future__ import annotations

import pytest

from recommendations.choices import Outcome
from recommendations.models import Response
from tests.conftest import sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_a_rejection_with_reasons_after_the_error_summary(page, recommendation, officer):
    sign_in_by_session(page, officer)
    page.goto(recommendation.get_absolute_url())
    page.get_by_role("button", name="Record the response").click()

    page.get_by_label("Rejected").check()
    page.get_by_role("button", name="Save response").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("Give the reasons for rejecting the recommendation.").is_visible()
    assert not Response.objects.filter(recommendation=recommendation).exists()

    summary.get_by_role("link", name="Give the reasons for rejecting the recommendation.").click()
    page.get_by_label("Reasons").fill("Members in task and finish groups would blur the political boundary.")
    page.get_by_label("Lead Cabinet members").fill("Cllr Kate Gregory, Cabinet Member for SEND Improvement")
    page.get_by_role("button", name="Save response").click()

    page.wait_for_url(f"**{recommendation.get_absolute_url()}")
    assert page.get_by_text("Response to Recommendation 1 saved.").is_visible()
    assert page.locator(".govuk-summary-list").get_by_text("Rejected", exact=True).is_visible()
    saved = Response.objects.get(recommendation=recommendation)
    assert saved.outcome == Outcome.REJECTED and saved.recorded_by == officer
    assert saved.history.get().history_user == officer
