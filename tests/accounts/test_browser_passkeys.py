"""In Chromium with a virtual authenticator (the DevTools protocol's WebAuthn domain): an administrator
adds a passkey, signs in with their password then the passkey, reaching no page between the two,
renames it, and removes it, keeping their authenticator app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator

from tests.accounts.test_browser_second_factor import password_step, sign_out
from tests.conftest import enter_code, screenshot, sign_in_by_session, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A page that keeps to the Content Security Policy (the shared one bypasses it for axe-core)."""
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def authenticator(page: Any, settings: Any) -> Any:
    """A platform authenticator that says yes (fingerprint checked) to whatever the page asks."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test server is http://localhost
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return cdp


shoot = screenshot  # into SHOTS, when it is set


def name_and_save(page: Any, name: str, shot: str, button: str, then: str) -> None:
    """Names a passkey on the add or rename page and saves it."""
    page.get_by_label("Name").fill(name)
    shoot(page, shot)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(then)


def test_an_administrator_signs_in_with_a_passkey_and_removing_it_keeps_the_app(
    page, authenticator, administrator, plan
):
    from playwright.sync_api import expect  # as conftest's browser fixtures, only where a browser runs

    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in_by_session(page, administrator)
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey").click()
    shoot(page, "passkeys-none")
    page.get_by_role("link", name="Add a passkey").click()
    name_and_save(page, "Work laptop", "passkey-add", "Add passkey", "**/accounts/2fa/")
    assert Authenticator.objects.filter(user=administrator, type=Authenticator.Type.WEBAUTHN).count() == 1
    shoot(page, "sign-in-security-with-passkey")

    sign_out(page)
    password_step(page, administrator.username)
    shoot(page, "second-step-with-passkey")
    for path in ("/", "/plan/", "/admin/", "/accounts/2fa/", "/accounts/2fa/webauthn/"):
        page.goto(path)
        assert urlsplit(page.url).path == "/accounts/login/", f"{path} was reached before the second step"
    password_step(page, administrator.username)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")  # the glob "**/" matches the second step too
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert plan.title in page.content()

    page.goto("/accounts/2fa/webauthn/")
    shoot(page, "passkeys-list")
    page.get_by_role("link", name="Rename Work laptop").click()
    name_and_save(page, "Ada’s laptop – office", "passkey-rename", "Save", "**/accounts/2fa/webauthn/")
    page.get_by_role("link", name="Remove Ada’s laptop – office").click()
    shoot(page, "passkey-remove")
    page.get_by_role("button", name="Remove passkey").click()
    page.wait_for_url("**/accounts/2fa/webauthn/")
    assert "You have not added a passkey" in page.content()

    sign_out(page)
    password_step(page, administrator.username)
    assert page.get_by_role("button", name="Use a passkey").count() == 0
    enter_code(page, totp_code(administrator))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert not [error for error in errors if "Content Security Policy" in error or "Refused" in error], errors
