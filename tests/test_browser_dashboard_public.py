"""The dashboard, the public page and the comparison in Chromium. axe-core and the 320-pixel reflow
check run on every page as every role in tests/test_accessibility_walk.py."""

from __future__ import annotations

import datetime

import pytest

from actions.services import record_rating_update
from tests.conftest import make_user, sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "INTERNAL-ONLY-planted-text-91bc"


def test_a_councillor_follows_a_figure_to_its_list_and_cannot_change_anything(page, make_action, scrutiny_member):
    make_action("3A1", brag="red", due_date=datetime.date(2099, 1, 31))
    make_action("3A2", brag="amber", due_date=datetime.date(2099, 1, 31))
    sign_in_by_session(page, scrutiny_member)

    page.get_by_role("link", name="1 Red in PAP 3").click()

    page.wait_for_url("**/plan/actions/**rating=red**")
    rows = page.locator("table.app-table--actions tbody tr")
    assert rows.count() == 1 and "3A1" in rows.first.inner_text()
    page.get_by_role("link", name="3A1").click()
    assert page.get_by_role("button", name="Update rating").count() == 0
    assert page.goto(page.url + "rate/").status == 403


def test_an_anonymous_visitor_sees_the_public_page_without_internal_text(page, plan, action, officer):
    plan.is_public = True
    plan.save()
    record_rating_update(
        action_id=action.pk, user=officer, brag="amber", commentary=f"Internal: {SECRET}", based_on_version=1
    )

    page.goto(f"/public/{plan.partnership.slug}/")

    assert page.get_by_role("heading", level=1).inner_text().startswith("How Testshire")
    assert "Amber" in page.locator("main").inner_text()
    assert SECRET not in page.content()


def test_an_instance_administrator_reaches_the_comparison_from_the_navigation(page, make_action, council):
    make_action("3A1", brag="green")
    national = make_user("national", council, "administrator", is_superuser=True, is_staff=True)
    sign_in_by_session(page, national)
    page.get_by_role("link", name="Partnerships").click()

    page.wait_for_url("**/partnerships/")
    assert page.get_by_role("heading", name="Partnerships side by side").is_visible()
