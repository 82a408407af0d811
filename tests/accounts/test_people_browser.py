"""A partnership administrator's pages in Chromium: an administrator invites an officer, who opens the
emailed link, chooses a password, is signed in and rates an action; the administrator reaches none of
another partnership's people or keys. Screenshots at 1280 and 320 pixels go to SHOTS when it is set.
axe-core checks the pages in tests/test_accessibility_walk.py."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import Action
from send_tracker.accounts.models import ApiKey, User
from tests.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS", "")
NEW_PASSWORD = "officer-chose-this-passphrase-26"


def shoot(page, name: str) -> None:
    """A full-page screenshot at 1280 and at 320 pixels wide, to look at."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_invites_an_officer_who_signs_in_with_the_link_and_rates_an_action(
    page, chromium, live_server, administrator, council, action, elsewhere_world
):
    sign_in(page, administrator.username)
    page.get_by_role("link", name="People and keys").click()
    shoot(page, "people")
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Email address").fill("Roisin.Ni.Bhriain@testshire.gov.uk")
    page.get_by_label("First name").fill("Róisín")
    page.get_by_label("Last name").fill("Ní Bhriain")
    page.get_by_label("Organisation", exact=True).select_option(label="Testshire County Council (TCC)")
    page.get_by_label("Officer", exact=True).check()
    shoot(page, "invite")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Invitation sent to roisin.ni.bhriain@testshire.gov.uk.").is_visible()
    shoot(page, "person")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)
    path = "/invitation/" + link.rsplit("/invitation/", 1)[1]
    officer_context = chromium.new_context(base_url=live_server.url)
    invited = officer_context.new_page()
    try:
        invited.goto(path)
        shoot(invited, "accept-invitation")
        invited.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
        invited.get_by_label("Type the password again").fill(NEW_PASSWORD)
        invited.get_by_role("button", name="Save password and sign in").click()
        assert invited.get_by_text("Welcome, Róisín Ní Bhriain.").is_visible()
        assert invited.get_by_role("button", name="Sign out").is_visible()

        invited.goto(action.get_absolute_url())
        invited.get_by_role("button", name="Update rating").click()
        invited.get_by_label("Amber").check()
        invited.get_by_label("Commentary", exact=True).fill("Caseworkers’ audit under way – on track for March.")
        invited.get_by_role("button", name="Save rating").click()
        invited.wait_for_url(f"**{action.get_absolute_url()}")
        assert invited.get_by_text("Rating for 3A1 saved.").is_visible()

        # The link worked once.
        invited.goto(path)
        assert invited.get_by_text("This link has already been used.").is_visible()
        shoot(invited, "invitation-used")
    finally:
        officer_context.close()
    person = User.objects.get(email="roisin.ni.bhriain@testshire.gov.uk")
    assert Action.objects.get(pk=action.pk).brag == "amber"
    assert Action.objects.get(pk=action.pk).rated_by == person

    # Another partnership's people and keys are not there.
    page.goto(reverse("people:list"))
    assert page.get_by_text("Róisín Ní Bhriain").is_visible()
    assert page.get_by_text("Otto").count() == 0
    for url in (
        reverse("people:person", args=[elsewhere_world.officer.pk]),
        reverse("people:api_key_revoke", args=[elsewhere_world.write_key.pk]),
        reverse("people:organisation_edit", args=[elsewhere_world.council.pk]),
    ):
        assert page.goto(url).status == 404, url
    page.goto(reverse("people:api_keys"))
    assert page.get_by_text("Elsewhere case system").count() == 0


def test_an_administrator_makes_a_key_sees_it_once_and_revokes_it(page, administrator, council, elsewhere_world):
    sign_in(page, administrator.username)
    page.goto(reverse("people:api_keys"))
    page.get_by_role("button", name="Make an API key").click()
    page.get_by_label("What the key is for").fill("Council Power BI")
    page.get_by_label("Organisation", exact=True).select_option(label="Testshire County Council (TCC)")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2099")
    shoot(page, "api-key-new")
    page.get_by_role("button", name="Make key").click()
    secret = page.locator("#api-key").inner_text()
    assert secret.startswith("st_")
    shoot(page, "api-key-made")
    page.get_by_role("button", name="I have copied the key").click()
    assert page.get_by_text(secret).count() == 0
    shoot(page, "api-keys")

    page.get_by_role("link", name="Revoke Council Power BI").click()
    shoot(page, "api-key-revoke")
    page.get_by_role("button", name="Revoke key").click()

    assert page.get_by_text("is revoked: it no longer works").is_visible()
    assert ApiKey.objects.get(name="Council Power BI").revoked_at is not None
    page.goto(reverse("people:organisations"))
    shoot(page, "organisations")


def test_other_roles_are_refused(page, officer):
    sign_in(page, officer.username, PASSWORD)
    assert page.get_by_role("link", name="People and keys").count() == 0
    assert page.goto(reverse("people:list")).status == 403
