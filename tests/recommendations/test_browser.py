"""Recording a response in a real browser (Debian's Chromium through Playwright), and the
recommendation pages checked by axe-core against WCAG 2.2 A and AA."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.choices import Outcome
from recommendations.models import Response
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_a_rejection_with_reasons_after_the_error_summary(page, recommendation, officer):
    sign_in(page, officer.username)
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


@pytest.mark.parametrize(
    "path",
    [
        "tracker",
        "filtered tracker",
        "report",
        "recommendation",
        "response form",
        "response form with errors",
        "update form",
        "close form",
    ],
)
def test_recommendation_pages_have_no_wcag_22_aa_violations(page, recommendation, officer, action, path):
    services.add_implementation_update(
        recommendation_id=recommendation.pk,
        user=officer,
        progress="The youth forum met.",
        reported_on=recommendation.report.received_on,
        action_ids=[action.pk],
    )
    sign_in(page, officer.username)
    urls = {
        "tracker": reverse("recommendations:tracker"),
        "filtered tracker": reverse("recommendations:tracker") + "?overdue=yes&respondent=cabinet",
        "report": recommendation.report.get_absolute_url(),
        "recommendation": recommendation.get_absolute_url(),
        "response form": reverse("recommendations:respond", args=[recommendation.pk]),
        "response form with errors": reverse("recommendations:respond", args=[recommendation.pk]),
        "update form": reverse("recommendations:update", args=[recommendation.pk]),
        "close form": reverse("recommendations:close", args=[recommendation.pk]),
    }
    page.goto(urls[path])
    if path == "response form with errors":
        page.get_by_label("Partially accepted").check()
        page.get_by_label("Day").fill("31")
        page.get_by_label("Month").fill("2")
        page.get_by_role("button", name="Save response").click()
        page.wait_for_selector(".govuk-error-summary")

    assert axe_violations(page) == []
