"""In Chromium: an administrator signs in with their password and the code of their authenticator app,
reaches no page between the two, and uses a recovery code once."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import PASSWORD, enter_code, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/accounts/2fa/authenticate/")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_an_administrator_signs_in_with_a_code_and_a_recovery_code_works_once(page, administrator, plan):
    password_step(page, administrator.username)
    for path in ("/", "/plan/", "/admin/", "/accounts/2fa/"):
        page.goto(path)
        assert urlsplit(page.url).path == "/accounts/login/", f"{path} was reached before the second step"

    password_step(page, administrator.username)
    enter_code(page, totp_code(administrator))
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert plan.title in page.content()

    recovery = Authenticator.objects.get(user=administrator, type=Authenticator.Type.RECOVERY_CODES)
    code = recovery.wrap().get_unused_codes()[0]
    sign_out(page)
    password_step(page, administrator.username)
    enter_code(page, code)
    assert page.get_by_role("button", name="Sign out").is_visible()

    sign_out(page)
    password_step(page, administrator.username)
    enter_code(page, code)
    assert urlsplit(page.url).path == "/accounts/2fa/authenticate/"
    assert page.locator(".govuk-error-summary").is_visible()
    page.goto("/")
    assert urlsplit(page.url).path == "/accounts/login/"
