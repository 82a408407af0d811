"""A partnership administrator's pages: people invited by email, their roles and access, the
partnership's organisations and API keys; and the invited person's one-time link."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from send_tracker.accounts import services
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import ApiKey, Invitation, Organisation, User
from send_tracker.api.keys import create_api_key
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NEW_PASSWORD = "a-long-and-unusual-passphrase-2026"
LINK = re.compile(r"https?://\S+/invitation/(\S+)/")


def link_in(message: mail.EmailMessage) -> str:
    """The invitation's address, as the person would click it (the path, for the test client)."""
    found = LINK.search(str(message.body))
    assert found, message.body
    return reverse("accept_invitation", args=[found.group(1)])


@pytest.fixture(autouse=True)
def emails_sent(monkeypatch):
    """The invitation is emailed once its transaction commits; a test's transaction never does, so
    here it is sent at once."""
    monkeypatch.setattr(services.transaction, "on_commit", lambda send, **kwargs: send())


def invite(client: Client, organisation: Organisation, **fields: str) -> User:
    data = {"email": "Siobhan.O'Neill@Testshire.gov.uk", "first_name": "Siobhán", "last_name": "O’Neill"}
    data |= {"organisation": str(organisation.pk), "role": Role.OFFICER} | fields
    response = client.post(reverse("people:invite"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return User.objects.get(email=data["email"].lower())


def signed_in_as(username: str, password: str) -> Client | None:
    """A browser signed in through the sign-in page, or None when it refuses."""
    browser = Client()
    browser.post(reverse("login"), {"username": username, "password": password})
    return browser if "_auth_user_id" in browser.session else None


def changes(person: User):
    """The person's history rows that record a change (signing in saves the last sign-in, unexplained)."""
    return person.history.exclude(history_change_reason=None).order_by("history_id")


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD):
    return client.post(link, {"new_password1": password, "new_password2": password})


PAGES: list[tuple[str, list[int]]] = [
    ("people:list", []),
    ("people:invite", []),
    ("people:organisations", []),
    ("people:organisation_new", []),
    ("people:api_keys", []),
    ("people:api_key_new", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_only_the_partnerships_administrator_opens_the_pages(
    name, args, client_for, administrator, officer, scrutiny_member, partner_user
):
    url = reverse(name, args=args)
    assert client_for(administrator).get(url).status_code == 200
    for reader in (officer, scrutiny_member, partner_user):
        assert client_for(reader).get(url).status_code == 403, reader.username
    assert Client().get(url).status_code == 302  # to sign in


def test_the_header_links_the_pages_for_administrators_only(client_for, administrator, officer, plan):
    link = f'href="{reverse("people:list")}"'
    assert link in client_for(administrator).get("/").content.decode()
    assert link not in client_for(officer).get("/").content.decode()


def test_an_invited_officer_chooses_a_password_with_the_link_once_and_is_signed_in(
    client_for, administrator, council, plan
):
    person = invite(client_for(administrator), council)

    assert (person.role, person.organisation, person.is_staff, person.has_usable_password()) == (
        Role.OFFICER,
        council,
        False,
        False,
    )
    assert person.username == "siobhan.o-neill@testshire.gov.uk"  # the apostrophe no username may hold
    (message,) = mail.outbox
    assert message.to == ["siobhan.o'neill@testshire.gov.uk"]
    assert "Ada Admin has added you" in message.body and "Your username is siobhan.o-neill@" in message.body
    link = link_in(message)

    browser = Client()
    assert browser.get(link).status_code == 200  # opening it (as a mail scanner does) uses nothing up
    weak = choose_password(browser, link, "12345")
    assert weak.status_code == 400 and "There is a problem" in weak.content.decode()
    response = choose_password(browser, link)

    assert response.status_code == 302
    assert browser.get(reverse("alerts:list")).status_code == 200  # signed in
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    again = choose_password(Client(), link, "another-long-passphrase-99")
    assert again.status_code == 410 and "already been used" in again.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert signed_in_as(person.username, NEW_PASSWORD) is not None
    reasons = list(changes(person).values_list("history_change_reason", "history_actor"))
    assert reasons[0] == (f"Invited as Officer of {council}", "Ada Admin (TCC)")
    assert reasons[-1] == ("Accepted the invitation and chose a password", "Siobhán O’Neill (TCC)")


def test_an_invitation_expires_after_its_days(client_for, administrator, council, settings):
    settings.INVITATION_DAYS = 7
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=LONDON), tick=False):
        invite(client_for(administrator), council)
    link = link_in(mail.outbox[0])

    with time_machine.travel(datetime.datetime(2026, 3, 9, 8, 59, tzinfo=LONDON), tick=False):
        assert Client().get(link).status_code == 200
    with time_machine.travel(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=LONDON), tick=False):
        response = choose_password(Client(), link)
        assert response.status_code == 410
        assert "expired on 9 March 2026" in response.content.decode()
        people = client_for(administrator).get(reverse("people:list")).content.decode()
        assert "Invitation expired 9 Mar 2026" in people


def test_sending_again_kills_the_old_link(client_for, administrator, council):
    admin = client_for(administrator)
    person = invite(admin, council)
    old = link_in(mail.outbox[0])

    response = admin.post(reverse("people:resend", args=[person.pk]), follow=True)

    assert "the old link no longer works" in response.content.decode()
    new = link_in(mail.outbox[1])
    assert new != old
    page = admin.get(reverse("people:person", args=[person.pk])).content.decode()
    assert "withdrawn" in page and "works until" in page and page.count("by Ada Admin:") == 2
    assert choose_password(Client(), old).status_code == 410
    assert choose_password(Client(), new).status_code == 302
    # Once the password is chosen there is nothing to send again.
    refused = admin.post(reverse("people:resend", args=[person.pk]), follow=True)
    assert "has already chosen a password" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_an_address_already_in_use_or_an_organisation_elsewhere_is_refused_and_nothing_is_written(
    client_for, administrator, council, officer, other_council
):
    admin = client_for(administrator)
    officer.email = "olivia@testshire.gov.uk"
    officer.save()
    before = (User.objects.count(), Invitation.objects.count())
    data = {"first_name": "X", "role": Role.OFFICER}

    taken = admin.post(
        reverse("people:invite"), data | {"email": "OLIVIA@testshire.gov.uk", "organisation": council.pk}
    )
    elsewhere = admin.post(reverse("people:invite"), data | {"email": "new@x.gov.uk", "organisation": other_council.pk})

    assert taken.status_code == elsewhere.status_code == 400
    assert "An account already uses this email address" in taken.content.decode()
    assert "Choose one of the partnership" in elsewhere.content.decode()
    assert (User.objects.count(), Invitation.objects.count()) == before
    assert mail.outbox == []


def test_an_administrator_changes_a_role_with_its_reason_in_history(client_for, administrator, officer, icb):
    response = client_for(administrator).post(
        reverse("people:person", args=[officer.pk]), {"role": Role.ADMINISTRATOR, "organisation": icb.pk}
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.role, officer.organisation, officer.is_staff, officer.is_superuser) == (
        Role.ADMINISTRATOR,
        icb,
        True,
        False,
    )
    latest = officer.history.latest()
    assert latest.history_change_reason == "Changed role from Officer to Administrator and organisation from TCC to ICB"
    assert latest.history_actor == "Ada Admin (TCC)" and latest.history_user == administrator


def test_nobody_raises_themselves(client_for, administrator, council, officer):
    admin = client_for(administrator)
    own = reverse("people:person", args=[administrator.pk])
    page = admin.get(own).content.decode()
    assert "This is you" in page and "Deactivate" not in page

    assert admin.post(own, {"role": Role.OFFICER, "organisation": council.pk}).status_code == 403
    assert admin.post(reverse("people:deactivate", args=[administrator.pk])).status_code == 403
    # An officer cannot reach the pages at all, so cannot make themselves an administrator.
    as_officer = client_for(officer)
    url = reverse("people:person", args=[officer.pk])
    assert as_officer.post(url, {"role": Role.ADMINISTRATOR, "organisation": council.pk}).status_code == 403
    administrator.refresh_from_db()
    officer.refresh_from_db()
    assert (administrator.role, administrator.is_active, officer.role) == (Role.ADMINISTRATOR, True, Role.OFFICER)


def test_an_instance_administrator_is_out_of_a_partnership_administrators_reach(client_for, administrator, council):
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD, organisation=council)
    admin = client_for(administrator)

    assert "root@example.org" not in admin.get(reverse("people:list")).content.decode()
    assert admin.get(reverse("people:person", args=[root.pk])).status_code == 404
    assert admin.post(reverse("people:deactivate", args=[root.pk])).status_code == 404
    root.refresh_from_db()
    assert root.is_active


def test_another_partnerships_people_organisations_and_keys_are_404_and_unlisted(
    client_for, administrator, elsewhere_world
):
    admin = client_for(administrator)
    world = elsewhere_world

    for url in (
        reverse("people:person", args=[world.officer.pk]),
        reverse("people:organisation_edit", args=[world.council.pk]),
        reverse("people:api_key_revoke", args=[world.write_key.pk]),
    ):
        assert admin.get(url).status_code == 404, url
        assert admin.post(url, {"role": Role.ADMINISTRATOR, "name": "Taken", "kind": "other"}).status_code == 404
    for url in (
        reverse("people:resend", args=[world.officer.pk]),
        reverse("people:deactivate", args=[world.officer.pk]),
    ):
        assert admin.post(url).status_code == 404
    listed = "".join(
        admin.get(reverse(name)).content.decode() for name in ("people:list", "people:organisations", "people:api_keys")
    )
    assert not any(text in listed for text in ("Otto", "Elsewhere Council", "Elsewhere case system"))
    world.officer.refresh_from_db()
    world.write_key.refresh_from_db()
    assert (world.officer.is_active, world.officer.role, world.write_key.revoked_at) == (True, Role.OFFICER, None)
    assert Organisation.objects.get(pk=world.council.pk).name == "Elsewhere Council"


def test_deactivating_ends_a_live_session_and_reactivating_does_not_bring_it_back(
    client_for, administrator, officer, council, plan
):
    signed_in = signed_in_as("olivia", PASSWORD)
    assert signed_in is not None
    assert signed_in.get(reverse("alerts:list")).status_code == 200
    key, secret = create_api_key(organisation=council, name="Council reporting")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    admin = client_for(administrator)

    admin.post(reverse("people:deactivate", args=[officer.pk]))

    assert signed_in.get(reverse("alerts:list")).status_code == 302
    assert signed_in_as("olivia", PASSWORD) is None
    assert api.get("/api/v1/actions/").status_code == 200  # the council's key is the council's
    admin.post(reverse("people:reactivate", args=[officer.pk]))
    assert signed_in.get(reverse("alerts:list")).status_code == 302  # that sign-in stays ended
    assert signed_in_as("olivia", PASSWORD) is not None
    reasons = list(changes(officer).values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["Deactivated: every sign-in ended", "Reactivated"]


def test_people_list_says_who_is_invited_active_or_deactivated_in_few_queries(
    client_for, administrator, officer, council, django_assert_max_num_queries
):
    admin = client_for(administrator)
    for n in range(5):
        invite(admin, council, email=f"person{n}@testshire.gov.uk", first_name=f"Person {n}")
    admin.post(reverse("people:deactivate", args=[officer.pk]))

    with django_assert_max_num_queries(8):
        page = admin.get(reverse("people:list")).content.decode()

    assert page.count("Invited, until") == 5
    assert "Deactivated" in page and "Active" in page


def test_organisations_are_added_and_renamed_with_history(client_for, administrator, council):
    admin = client_for(administrator)

    added = admin.post(
        reverse("people:organisation_new"),
        {"name": "  Testshire Parent Carer Forum ", "short_name": "TPCF", "kind": OrganisationKind.PARENT_CARER_FORUM},
    )
    forum = Organisation.objects.get(name="Testshire Parent Carer Forum")
    renamed = admin.post(
        reverse("people:organisation_edit", args=[forum.pk]),
        {"name": "Testshire Parent Carers", "short_name": "TPC", "kind": OrganisationKind.PARENT_CARER_FORUM},
    )
    clash = admin.post(
        reverse("people:organisation_edit", args=[forum.pk]),
        {"name": "testshire county council", "short_name": "", "kind": OrganisationKind.OTHER},
    )

    assert (added.status_code, renamed.status_code, clash.status_code) == (302, 302, 400)
    assert "already has an organisation called" in clash.content.decode()
    forum.refresh_from_db()
    assert (forum.name, forum.short_name, forum.partnership_id) == (
        "Testshire Parent Carers",
        "TPC",
        council.partnership_id,
    )
    assert list(forum.history.order_by("history_id").values_list("history_change_reason", "history_actor")) == [
        ("Organisation added: Testshire Parent Carer Forum", "Ada Admin (TCC)"),
        ("Organisation changed from Testshire Parent Carer Forum (TPCF)", "Ada Admin (TCC)"),
    ]


def test_a_key_is_shown_once_and_a_revoked_key_is_refused_at_once(client_for, administrator, council, plan):
    admin = client_for(administrator)
    response = admin.post(
        reverse("people:api_key_new"),
        {
            "name": "Council Power BI",
            "organisation": council.pk,
            "expires_on_day": "31",
            "expires_on_month": "3",
            "expires_on_year": "2099",
        },
    )
    key = ApiKey.objects.get(name="Council Power BI")
    assert response.status_code == 302 and response["Location"] == reverse("people:api_key_made", args=[key.pk])
    shown = admin.get(response["Location"]).content.decode()
    secret = re.search(r"st_[0-9a-f]{12}_[\w-]+", shown).group(0)
    assert admin.get(response["Location"]).status_code == 404  # once
    assert secret not in admin.get(reverse("people:api_keys")).content.decode()
    assert (key.expires_on, key.can_write, key.history.latest().history_actor) == (
        datetime.date(2099, 3, 31),
        False,
        "Ada Admin (TCC)",
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/actions/").status_code == 200  # and now cached

    admin.post(reverse("people:api_key_revoke", args=[key.pk]))

    assert api.get("/api/v1/actions/").status_code == 401
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert key.history.latest().history_change_reason == "API key revoked"
    assert "Revoked" in admin.get(reverse("people:api_keys")).content.decode()


def test_a_key_with_no_or_a_past_expiry_is_refused(client_for, administrator, council):
    admin = client_for(administrator)
    data = {"name": "K", "organisation": council.pk}

    blank = admin.post(reverse("people:api_key_new"), data)
    past = admin.post(
        reverse("people:api_key_new"),
        data | {"expires_on_day": "1", "expires_on_month": "1", "expires_on_year": "2020"},
    )

    assert blank.status_code == past.status_code == 400
    assert "Enter the last day the key works" in blank.content.decode()
    assert "must be today or in the future" in past.content.decode()
    assert not ApiKey.objects.filter(organisation=council).exists()


def test_the_service_refuses_what_the_pages_do_not_offer(administrator, officer, other_council):
    with pytest.raises(services.ValidationError):
        services.invite_person(
            by=administrator,
            email="a@b.gov.uk",
            first_name="A",
            last_name="",
            organisation_id=other_council.pk,
            role="officer",
        )
    with pytest.raises(services.ValidationError):
        services.change_person(
            by=administrator, person_id=officer.pk, role="superuser", organisation_id=officer.organisation_id
        )
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER and not officer.is_superuser


def test_a_person_deactivated_before_choosing_a_password_cannot_use_the_link(client_for, administrator, council):
    admin = client_for(administrator)
    person = invite(admin, council)
    link = link_in(mail.outbox[0])

    admin.post(reverse("people:deactivate", args=[person.pk]))

    refused = choose_password(Client(), link)
    assert refused.status_code == 410 and "no longer works" in refused.content.decode()
    # Reactivated, they are sent a new link, which works.
    admin.post(reverse("people:reactivate", args=[person.pk]))
    assert "Invitation withdrawn" in admin.get(reverse("people:list")).content.decode()
    admin.post(reverse("people:resend", args=[person.pk]))
    assert choose_password(Client(), link_in(mail.outbox[-1])).status_code == 302


def test_a_persons_page_says_whether_they_have_a_second_factor_and_links_its_reset(
    client_for, administrator, council, officer
):
    colleague = make_user("second.admin", council, Role.ADMINISTRATOR)  # administrators have one
    admin = client_for(administrator)

    theirs = admin.get(reverse("people:person", args=[colleague.pk])).content.decode()
    officers = admin.get(reverse("people:person", args=[officer.pk])).content.decode()

    assert "Authenticator app set up" in theirs and reverse("reset_second_factor", args=[colleague.pk]) in theirs
    assert "None set up" in officers and "Reset their second factor" not in officers


def test_an_administrator_demoted_a_moment_ago_changes_no_one(administrator, officer, council):
    """Changes to a partnership's people are made one at a time, the administrator read again under
    the lock: two administrators demoting each other at once cannot leave the partnership with none."""
    colleague = make_user("edith", council, Role.ADMINISTRATOR)
    User.objects.filter(pk=administrator.pk).update(role=Role.OFFICER)  # by the colleague, just now

    for write in (
        lambda: services.set_active(by=administrator, person_id=officer.pk, active=False),
        lambda: services.change_person(
            by=administrator, person_id=colleague.pk, role=Role.OFFICER, organisation_id=council.pk
        ),
    ):
        with pytest.raises(PermissionDenied):
            write()

    officer.refresh_from_db()
    colleague.refresh_from_db()
    assert (officer.is_active, colleague.role) == (True, Role.ADMINISTRATOR)
