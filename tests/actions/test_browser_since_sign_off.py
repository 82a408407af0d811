"""The "Since sign-off" page in a real browser (Debian's Chromium driven by Playwright): a scrutiny
councillor finds it from the plan, filters it and reads it, and is offered nothing to change.
axe-core checks the page as every role in tests/test_accessibility_walk.py."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from actions.models import Action
from send_tracker.history import stamp
from tests.conftest import sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_a_councillor_reads_what_slipped_since_sign_off_and_cannot_change_it(
    page, make_action, plan, icb, scrutiny_member
):
    slipped = make_action("3A1", due_date=datetime.date(2024, 9, 30), brag="amber")
    make_action("3A2", owner=icb)
    Action.history.model.objects.update(history_date=datetime.datetime(2023, 11, 1, 12, tzinfo=LONDON))
    slipped.due_date = datetime.date(2025, 3, 31)
    stamp(slipped, by=None, reason="Recruitment delayed", when=datetime.datetime(2024, 6, 3, 12, tzinfo=LONDON))
    slipped.save()

    sign_in_by_session(page, scrutiny_member)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="See what has changed since sign-off").click()

    assert page.get_by_role("heading", name="Since sign-off", level=1).is_visible()
    later = page.get_by_role("region", name="Target dates moved later")
    assert later.get_by_role("link", name="3A1").is_visible()
    assert later.get_by_text("182 days").is_visible()
    assert page.locator("main form[method=post]").count() == 0

    page.get_by_label("Owner at sign-off or now").select_option(label=icb.name)
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("heading", name="Target dates moved later: 0 actions").is_visible()
    assert page.get_by_role("region", name="Ratings then and now").get_by_role("link", name="3A2").is_visible()
