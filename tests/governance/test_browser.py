"""The governance pages in a real browser: Debian's Chromium driven by Playwright.
axe-core checks every page as every role in tests/test_accessibility_walk.py."""

from __future__ import annotations

import datetime

import pytest

from governance.models import ActionArising
from tests.conftest import sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_adds_an_action_arising_on_the_meeting_page(page, history, officer):
    meeting = history.second
    sign_in_by_session(page, officer)
    page.goto(meeting.get_absolute_url())

    page.get_by_text("Add an action arising").click()
    page.get_by_label("What is to be done").fill("Report EHCP timeliness to every meeting.")
    page.get_by_label("Who will do it").fill("Head of SEND")
    due = page.get_by_role("group", name="Due date")
    due.get_by_label("Day").fill("22")
    due.get_by_label("Month").fill("5")
    due.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Add action arising").click()

    page.wait_for_url(f"**{meeting.get_absolute_url()}#actions-arising")
    assert page.get_by_text("Action arising recorded for Head of SEND.").is_visible()
    row = page.locator("tr", has_text="Report EHCP timeliness to every meeting.")
    assert row.get_by_text("22 May 2024").is_visible()
    arising = ActionArising.objects.get(meeting=meeting)
    assert (arising.meeting, arising.owner_name, arising.due_date) == (
        meeting,
        "Head of SEND",
        datetime.date(2024, 5, 22),
    )

    row.get_by_role("button", name="Mark done").click()
    page.wait_for_url(f"**{meeting.get_absolute_url()}#actions-arising")
    assert page.locator("tr", has_text="Report EHCP timeliness").get_by_text("Done").is_visible()
    assert ActionArising.objects.get(meeting=meeting).is_done


def test_a_scrutiny_member_reads_the_meeting_but_has_no_forms(page, history, scrutiny_member):
    sign_in_by_session(page, scrutiny_member)
    page.goto(history.second.get_absolute_url())

    assert page.get_by_role("heading", name="Meeting of 17 April 2024").is_visible()
    assert page.get_by_role("heading", name="Changed since the previous meeting").is_visible()
    assert page.get_by_role("link", name="Word document of the PAP highlight report").is_visible()
    # The only form is "Follow", which is reading: it changes nothing in the meeting.
    assert page.locator("main form").count() == page.locator('main form[action="/alerts/follow/"]').count() == 1
    assert page.get_by_text("Add an action arising").count() == 0
    page.goto(f"/governance/risks/{history.risks['R1'].pk}/")
    assert page.get_by_role("button", name="Re-score this risk").count() == 0


def test_an_empty_action_arising_shows_the_error_summary(page, meeting, officer):
    sign_in_by_session(page, officer)
    page.goto(meeting.get_absolute_url())

    page.get_by_text("Add an action arising").click()
    page.get_by_role("button", name="Add action arising").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("Enter what is to be done.").is_visible()
    assert ActionArising.objects.filter(meeting=meeting).count() == 0
