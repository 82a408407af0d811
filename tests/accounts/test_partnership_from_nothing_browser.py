"""Issue 13's "done when", in Chromium, end to end: a partnership made with create_partnership and
nothing else (no plan, no actions, no people but its first administrator) gets going in the browser.
Its administrator opens the one-time link, chooses a password, sets up the second factor, uploads the
plan's spreadsheet, matches the column the tracker could not place and saves it; invites an officer of
an organisation the plan names, who opens the emailed link, chooses a password and rates one of the
imported actions; and the administrator reaches none of another partnership's people or keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator

from actions import spreadsheet_views
from actions.models import Action, Plan
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import User
from send_tracker.accounts.services import NewPartnership, OrganisationDetails, create_partnership
from tests.accounts.test_people_browser import (
    accept_invitation,
    invite,
    other_partnership_unreachable,
    rate_amber,
    shoot,
)
from tests.actions.test_browser_plan_import import upload_match_and_save, workbook
from tests.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "testshire-first-admin-chose-26"

TESTSHIRE = NewPartnership(
    name="Testshire SEND Partnership",
    slug="testshire",
    area_name="Testshire",
    area_code="E10000098",
    organisations=[
        OrganisationDetails("Testshire County Council", "TCC", OrganisationKind.COUNCIL),
        OrganisationDetails("Testshire Integrated Care Board", "ICB", OrganisationKind.ICB),
    ],
    administrator_email="Ada.Admin@testshire.gov.uk",
    administrator_first_name="Ada",
    administrator_last_name="Admin",
)


def test_a_partnership_made_from_nothing_imports_its_plan_invites_an_officer_who_rates_an_action(
    page: Any, chromium: Any, live_server: Any, elsewhere_world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet_views, "UPLOAD_DIR", tmp_path / "uploads")
    made = create_partnership(TESTSHIRE)
    assert made.administrator is not None and not Plan.objects.filter(partnership=made.partnership).exists()

    # The first administrator opens the printed link, chooses a password and signs in with a second factor.
    accept_invitation(page, urlsplit(made.link).path, "Ada Admin", ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, made.administrator.username, ADMIN_PASSWORD)
    assert Authenticator.objects.filter(user=made.administrator).exists()

    # No plan yet: the administrator starts it from the spreadsheet.
    page.goto("/plan/")
    shoot(page, "no-plan-yet")
    assert axe_violations(page) == []  # the accessibility walk's partnerships all have a plan
    page.get_by_role("button", name="Import the plan from a spreadsheet").click()
    plan = Plan.objects.get(partnership=made.partnership)
    assert (plan.title, plan.is_current, plan.actions.count()) == ("Priority Action Plan", True, 0)
    upload_match_and_save(page, plan, workbook(tmp_path / "Testshire plan.xlsx"))
    shoot(page, "plan-imported")
    imported = Action.objects.get(plan=plan, ref="1.2")
    icb = made.partnership.organisations.get(short_name="ICB")
    assert (imported.owner, imported.brag) == (icb, "amber")

    # The administrator invites an officer of the ICB, which the plan names as 1.2's owner.
    path = invite(
        page,
        email="Kwame.Mensah@testshire-icb.nhs.uk",
        first_name="Kwame",
        last_name="Mensah",
        organisation="Testshire Integrated Care Board (ICB)",
    )
    officer_context = chromium.new_context(base_url=live_server.url)
    try:
        invited = officer_context.new_page()
        accept_invitation(invited, path, "Kwame Mensah")
        rate_amber(invited, imported)
    finally:
        officer_context.close()
    officer = User.objects.get(email="kwame.mensah@testshire-icb.nhs.uk")
    assert (officer.role, officer.organisation) == (Role.OFFICER, icb)
    rated = Action.objects.get(pk=imported.pk)
    assert (rated.rated_by, rated.brag_commentary) == (officer, "Caseworkers’ audit under way – on track for March.")

    other_partnership_unreachable(page, elsewhere_world, officer)
