"""Entering a scrutiny report in a real browser (Debian's Chromium through Playwright): an
administrator pastes the recommendations as Word gives them, checks them split and numbered,
goes back to change one with nothing lost, saves, and sees them with their response due date.
axe-core checks the form as every role in tests/test_accessibility_walk.py, and the check page here."""

from __future__ import annotations

import datetime

import pytest

from recommendations.models import Report
from tests.conftest import axe_violations, sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTED = (
    "The Committee recommends that:\n"
    "1.\tFor Leadership over the Partnership to be explicitly set out and communicated clearly to\n"
    "families and all stakeholders – with “clear measures”.\n"
    "2)\tTo ensure good transparency around any action planning.\n"
    "R3 To adopt restorative thinking and practices with utmost urgency."
)


def test_an_administrator_pastes_checks_changes_and_saves_a_report(page, hosc, administrator):
    sign_in_by_session(page, administrator)
    page.goto("/recommendations/")
    page.get_by_role("button", name="Enter a scrutiny report").click()

    page.get_by_label("Committee", exact=True).select_option(label=hosc.full_name)
    page.get_by_label("Title of the report").fill("Local Area Partnership SEND Report 2023")
    agreed = page.get_by_role("group", name="Date the committee agreed the report")
    agreed.get_by_label("Day").fill("21")
    agreed.get_by_label("Month").fill("9")
    agreed.get_by_label("Year").fill("2023")
    requested = page.get_by_role("group", name="Date the response was requested")
    requested.get_by_label("Day").fill("17")
    requested.get_by_label("Month").fill("10")
    requested.get_by_label("Year").fill("23")
    page.get_by_label("The recommendations").fill(PASTED)
    page.get_by_role("button", name="Continue").click()

    assert page.get_by_role("heading", name="Check the report's recommendations").is_visible()
    checked = page.locator(".govuk-summary-list").nth(1)
    assert checked.get_by_text("Recommendation 3", exact=True).is_visible()
    assert checked.get_by_text("families and all stakeholders – with “clear measures”.", exact=False).is_visible()
    assert page.get_by_text("Tuesday 14 November 2023").is_visible()
    assert not Report.objects.filter(committee=hosc).exists()
    # The walk opens pages by address; this one only answers a posted form, so it is checked here.
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Back to the form: everything as typed, to mend the third.
    page.get_by_role("button", name="Change them").click()
    box = page.get_by_label("The recommendations")
    assert box.input_value() == PASTED
    box.fill(PASTED.replace("utmost urgency", "the utmost urgency"))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("with the utmost urgency").is_visible()
    page.get_by_role("button", name="Save the report and its recommendations").click()

    report = Report.objects.get(committee=hosc)
    page.wait_for_url(f"**{report.get_absolute_url()}")
    assert page.get_by_text("saved with 3 recommendations").is_visible()
    assert page.get_by_text("Tuesday 14 November 2023").is_visible()
    table = page.get_by_role("table")
    assert table.get_by_text("To ensure good transparency around any action planning.").is_visible()
    assert report.response_due_date == datetime.date(2023, 11, 14)
    assert [r.number for r in report.recommendations.order_by("position")] == ["1", "2", "3"]
    assert report.recommendations.get(number="3").text.endswith("with the utmost urgency.")

    # The tracker lists each with its response due date and the law that sets it.
    page.goto("/recommendations/")
    rows = page.get_by_role("row").filter(has_text="Local Area Partnership SEND Report 2023")
    assert rows.count() == 3
    assert rows.first.get_by_text("14 November 2023").is_visible()
