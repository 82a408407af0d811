"""A partnership administrator's pages in Chromium: an administrator invites an officer, who opens the
emailed link, chooses a password, is signed in and rates an action; the administrator reaches none of
another partnership's people or keys. Screenshots at 1280 and 320 pixels go to SHOTS when it is set
(tests/conftest.py).
axe-core checks the pages in tests/test_accessibility_walk.py."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import Action
from send_tracker.accounts.models import ApiKey, User
from tests.conftest import screenshot, sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "officer-chose-this-passphrase-26"


shoot = screenshot


def invite(page, *, email: str, first_name: str, last_name: str, organisation: str) -> str:
    """The signed-in administrator invites an officer from the people page; returns the path of the
    link the invitation email holds."""
    page.get_by_role("link", name="People and keys").click()
    shoot(page, "people")
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Organisation", exact=True).select_option(label=organisation)
    page.get_by_label("Officer", exact=True).check()
    shoot(page, "invite")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text(f"Invitation sent to {email.lower()}.").is_visible()
    shoot(page, "person")
    found = re.search(r"https?://\S+/invitation/\S+/", str(mail.outbox[-1].body))
    assert found is not None
    link = found.group(0)
    return "/invitation/" + link.rsplit("/invitation/", 1)[1]


def accept_invitation(invited, path: str, welcome: str, password: str = NEW_PASSWORD) -> None:
    """The invited person opens the emailed link, chooses a password and is signed in."""
    invited.goto(path)
    shoot(invited, "accept-invitation")
    invited.get_by_label("Password", exact=True).fill(password)
    invited.get_by_label("Type the password again").fill(password)
    invited.get_by_role("button", name="Save password and sign in").click()
    assert invited.get_by_text(f"Welcome, {welcome}.").is_visible()


def rate_amber(invited, action: Action) -> None:
    """The signed-in officer rates the action Amber from its page."""
    invited.goto(action.get_absolute_url())
    invited.get_by_role("button", name="Update rating").click()
    invited.get_by_label("Amber").check()
    invited.get_by_label("Commentary", exact=True).fill("Caseworkers’ audit under way – on track for March.")
    invited.get_by_role("button", name="Save rating").click()
    invited.wait_for_url(f"**{action.get_absolute_url()}")
    assert invited.get_by_text(f"Rating for {action.ref} saved.").is_visible()


def other_partnership_unreachable(page, elsewhere_world, own_person: User) -> None:
    """Another partnership's people and keys are not listed, each of their pages is a 404, and so is
    the administrator's own deactivate button aimed (as an attacker would) at another's officer."""
    page.goto(reverse("people:person", args=[own_person.pk]))
    button = page.locator(f"form[action='{reverse('people:deactivate', args=[own_person.pk])}']").element_handle()
    button.evaluate(
        "(form, url) => { form.action = url; }", reverse("people:deactivate", args=[elsewhere_world.officer.pk])
    )
    with page.expect_navigation() as posted:
        button.evaluate("form => form.submit()")
    assert posted.value.status == 404
    assert User.objects.get(pk=elsewhere_world.officer.pk).is_active
    page.goto(reverse("people:list"))
    assert page.get_by_text("Otto").count() == 0
    for url in (
        reverse("people:person", args=[elsewhere_world.officer.pk]),
        reverse("people:api_key_revoke", args=[elsewhere_world.write_key.pk]),
        reverse("people:organisation_edit", args=[elsewhere_world.council.pk]),
    ):
        assert page.goto(url).status == 404, url
    page.goto(reverse("people:api_keys"))
    assert page.get_by_text("Elsewhere case system").count() == 0


def test_an_administrator_invites_an_officer_who_signs_in_with_the_link_and_rates_an_action(
    page, chromium, live_server, administrator, council, action, elsewhere_world
):
    sign_in_by_session(page, administrator)
    path = invite(
        page,
        email="Roisin.Ni.Bhriain@testshire.gov.uk",
        first_name="Róisín",
        last_name="Ní Bhriain",
        organisation="Testshire County Council (TCC)",
    )
    assert len(mail.outbox) == 1
    officer_context = chromium.new_context(base_url=live_server.url)
    invited = officer_context.new_page()
    try:
        accept_invitation(invited, path, "Róisín Ní Bhriain")
        assert invited.get_by_role("button", name="Sign out").is_visible()
        rate_amber(invited, action)

        # The link worked once.
        invited.goto(path)
        assert invited.get_by_text("This link has already been used.").is_visible()
        shoot(invited, "invitation-used")
    finally:
        officer_context.close()
    person = User.objects.get(email="roisin.ni.bhriain@testshire.gov.uk")
    assert Action.objects.get(pk=action.pk).brag == "amber"
    assert Action.objects.get(pk=action.pk).rated_by == person

    other_partnership_unreachable(page, elsewhere_world, person)
    page.goto(reverse("people:list"))
    assert page.get_by_text("Róisín Ní Bhriain").is_visible()


def test_an_administrator_makes_a_key_sees_it_once_and_revokes_it(page, administrator, council, elsewhere_world):
    sign_in_by_session(page, administrator)
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
    sign_in_by_session(page, officer)
    assert page.get_by_role("link", name="People and keys").count() == 0
    assert page.goto(reverse("people:list")).status == 403
