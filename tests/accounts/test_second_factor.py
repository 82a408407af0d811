"""The second step of signing in with a password: who must use one, the code and the recovery codes,
the lockout that covers both steps, and an administrator's reset."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from hypothesis import given

from send_tracker.accounts import second_factor
from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import User
from tests.as_people_write import NUL, refused_on_the_page, rolled_back, text_near
from tests.conftest import PASSWORD, code_now, give_second_factor, make_user, need_postgres, totp_code

pytestmark = pytest.mark.django_db

AUTHENTICATE = "/accounts/2fa/authenticate/"
ACTIVATE = "/accounts/2fa/totp/activate/"


def password_step(username: str) -> Client:
    client, _ = password_step_to(username)
    return client


def password_step_to(username: str) -> tuple[Client, str]:
    """A client that has given the right password, and where the sign-in page sent it next."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client, response["Location"]


def recovery_codes(user: User) -> list[str]:
    codes: list[str] = (
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    )
    return codes


def test_an_administrator_is_asked_for_a_code_and_reaches_no_page_before_it(administrator, plan):
    client, next_step = password_step_to(administrator.username)

    assert next_step == AUTHENTICATE
    assert client.get("/").status_code == 302  # not signed in yet
    assert client.get("/api/v1/actions/", HTTP_ACCEPT="application/json").status_code in (401, 403)
    wrong = client.post(AUTHENTICATE, {"code": "000000"})
    assert wrong.status_code == 200
    assert "Enter the 6-digit code your authenticator app shows now" in wrong.content.decode()
    assert client.get("/").status_code == 302

    right = client.post(AUTHENTICATE, {"code": totp_code(administrator)})

    assert right.status_code == 302 and right["Location"] == "/"
    assert plan.title in client.get("/", follow=True).content.decode()


def test_a_recovery_code_works_once(administrator):
    code = recovery_codes(administrator)[0]
    first = password_step(administrator.username)
    assert first.post(AUTHENTICATE, {"code": code}).status_code == 302
    assert first.get("/").status_code == 200

    second = password_step(administrator.username)
    again = second.post(AUTHENTICATE, {"code": code})

    assert again.status_code == 200 and "Enter the 6-digit code" in again.content.decode()
    assert second.get("/").status_code == 302
    assert code not in recovery_codes(administrator)


def test_an_administrator_without_a_second_factor_sets_one_up_before_any_page(council, plan):
    admin = User.objects.create_user("newadmin", password=PASSWORD, organisation=council, role=Role.ADMINISTRATOR)
    client, next_step = password_step_to("newadmin")
    assert next_step == "/"

    for path in ("/", reverse("actions:current_plan"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == ACTIVATE, path
    api = client.get("/api/v1/actions/", HTTP_ACCEPT="application/json")
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_required"

    page = client.get(ACTIVATE)
    assert page.status_code == 200 and "Set up an authenticator app" in page.content.decode()
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()
    refused = client.post(ACTIVATE, {"code": "123456"})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()

    done = client.post(ACTIVATE, {"code": code_now(pyotp.TOTP(secret))})

    assert done["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(done["Location"]).content.decode()
    assert "10 of 10 codes are unused" in codes_page
    assert all(code in codes_page for code in recovery_codes(admin))
    assert client.get("/").status_code == 200


def test_the_admins_own_sign_in_page_sends_people_to_the_one_that_asks_for_the_code():
    response = Client().get("/admin/login/?next=/admin/")

    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


def test_a_partnership_may_require_a_second_factor_of_everyone(officer, partnership):
    assert not second_factor.must_use_second_factor(officer)
    assert password_step(officer.username).get("/").status_code in (200, 404)

    partnership.require_second_factor = True
    partnership.save()
    officer.refresh_from_db()

    assert second_factor.must_use_second_factor(officer)
    assert password_step(officer.username).get("/")["Location"] == ACTIVATE


def test_the_demo_accounts_are_let_off_only_with_debug_on_and_unless_the_setting_says_not(council, settings):
    demo_admin = User.objects.create_user("admin", password=PASSWORD, organisation=council, role=Role.ADMINISTRATOR)
    second_factor.exempt_demo_accounts({"admin"})  # as the sample data app does

    settings.DEBUG = True
    assert not second_factor.must_use_second_factor(demo_admin)
    settings.SECOND_FACTOR_DEMO_EXEMPT = False
    assert second_factor.must_use_second_factor(demo_admin)
    settings.SECOND_FACTOR_DEMO_EXEMPT = True
    settings.DEBUG = False
    assert second_factor.must_use_second_factor(demo_admin)


def test_someone_who_must_use_a_second_factor_cannot_turn_it_off(administrator, client_for):
    client = client_for(administrator)

    page = client.get(reverse("mfa_index")).content.decode()
    assert "cannot be turned off" in page and reverse("mfa_deactivate_totp") not in page
    assert "10 unused" in page
    client.post(reverse("mfa_deactivate_totp"))

    assert Authenticator.objects.filter(user=administrator, type=Authenticator.Type.TOTP).exists()


def test_wrong_codes_count_towards_the_lockout_with_wrong_passwords(administrator, settings):
    settings.AXES_FAILURE_LIMIT = 3
    Client().post(reverse("login"), {"username": administrator.username, "password": "guess"})
    client = password_step(administrator.username)
    assert client.post(AUTHENTICATE, {"code": "000000"}).status_code == 200

    locked = client.post(AUTHENTICATE, {"code": "111111"})

    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.content.decode()
    # Locked, the right code is refused too, and so is the right password.
    assert client.post(AUTHENTICATE, {"code": totp_code(administrator)}).status_code == 429
    assert client.get("/").status_code == 302
    assert (
        Client().post(reverse("login"), {"username": administrator.username, "password": PASSWORD}).status_code == 429
    )


# ---------------------------------------------------------------------------------------------
# An administrator resets someone's second factor


@pytest.fixture
def colleague(council) -> User:
    person = make_user("rita", council, Role.OFFICER, first_name="Rita", last_name="Reset")
    give_second_factor(person)
    return person


def reset_url(person: User) -> str:
    return reverse("reset_second_factor", args=[person.pk])


def test_an_administrator_resets_a_colleagues_second_factor_with_a_reason_kept_in_history(
    administrator, colleague, client_for
):
    client = client_for(administrator)
    assert client.get(reset_url(colleague)).status_code == 200

    response = client.post(reset_url(colleague), {"reason": "Lost her phone; checked with her manager"})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=colleague).exists()
    latest = colleague.history.latest()
    assert latest.history_change_reason == "Second factor reset: Lost her phone; checked with her manager"
    assert latest.history_user == administrator
    assert "Reset second factor" not in client.get(f"/admin/accounts/user/{colleague.pk}/change/").content.decode()


def test_a_reset_needs_a_reason_and_an_administrator_of_the_same_partnership(
    administrator, colleague, officer, outsider, elsewhere_world, client_for
):
    refused = client_for(administrator).post(reset_url(colleague), {"reason": "  "})
    assert refused_on_the_page(refused) and "Enter why the second factor is being reset" in refused.content.decode()
    assert client_for(officer).post(reset_url(colleague), {"reason": "x"}).status_code == 403
    elsewhere_admin = make_user("eve", elsewhere_world.council, Role.ADMINISTRATOR, is_staff=True)
    assert client_for(elsewhere_admin).post(reset_url(colleague), {"reason": "x"}).status_code == 404
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    assert client_for(administrator).get(reset_url(root)).status_code == 404

    assert Authenticator.objects.filter(user=colleague).count() == 2
    assert colleague.history.count() == 1


@given(reason=text_near(2000))
def test_a_reset_keeps_the_reason_as_typed_or_refuses_it(administrator, colleague, client_for, reason):
    need_postgres()
    client = client_for(administrator)
    with rolled_back():
        response = client.post(reset_url(colleague), {"reason": reason})
        if NUL in reason or not reason.strip():
            assert refused_on_the_page(response)
            assert Authenticator.objects.filter(user=colleague).count() == 2
        else:
            assert response.status_code == 302
            assert colleague.history.latest().history_change_reason == f"Second factor reset: {reason.strip()}"
            assert not Authenticator.objects.filter(user=colleague).exists()
