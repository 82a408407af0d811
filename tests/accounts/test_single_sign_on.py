"""Single sign-on through a real OpenID Connect provider that the tests start on 127.0.0.1, in its own
process (tests/accounts/oidc_provider.py): who gets in, who is refused and why, and signing out."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import SingleSignOnProvider, User
from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SLUG = "testshire-entra"


@pytest.fixture(scope="module")
def provider_url() -> Iterator[str]:
    script = Path(__file__).with_name("oidc_provider.py")
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith("listening on "), f"the test provider did not start: {line!r}"
        yield line.removeprefix("listening on ").strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def provider(provider_url: str, council: Any) -> SingleSignOnProvider:
    row = SingleSignOnProvider.objects.create(
        name="Testshire Microsoft", slug=SLUG, issuer=provider_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    )
    row.organisations.add(council)
    return row


@pytest.fixture
def person(council: Any) -> User:
    return make_user("sso.olivia", council, Role.OFFICER, email="olivia.officer@testshire.gov.uk")


def sign_in_through(
    provider_url: str, claims: dict[str, Any], mode: str = "ok", client: Client | None = None
) -> tuple[Client, Any]:
    """Presses "Sign in with ..." and follows the provider's answer back, as a browser would."""
    client = client or Client()
    requests.post(f"{provider_url}/test/next", json={"claims": claims, "mode": mode}, timeout=5).raise_for_status()
    start = client.post(reverse("openid_connect_login", args=[SLUG]))
    assert start.status_code == 302 and start["Location"].startswith(f"{provider_url}/authorize?"), start
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_provider.headers["Location"])
    return client, client.get(f"{back.path}?{back.query}")


def provider_log(provider_url: str) -> list[dict[str, Any]]:
    log: list[dict[str, Any]] = requests.get(f"{provider_url}/test/log", timeout=5).json()
    return log


def counts() -> tuple[int, int, int]:
    return User.objects.count(), SocialAccount.objects.count(), EmailAddress.objects.count()


VERIFIED = {"email": "Olivia.Officer@testshire.gov.uk", "email_verified": True, "name": "Olivia Officer"}


def test_a_person_with_an_account_signs_in_with_their_organisations_account(provider_url, provider, person, plan):
    client, response = sign_in_through(provider_url, VERIFIED)

    assert response.status_code == 302 and response["Location"] == "/"
    assert plan.title in client.get("/", follow=True).content.decode()
    assert SocialAccount.objects.get(provider=SLUG).user == person
    authorize = [entry for entry in provider_log(provider_url) if entry["event"] == "authorize"][-1]
    assert authorize["code_challenge_method"] == "S256" and authorize["nonce"]
    assert "openid" in authorize["scope"].split()

    # The second time, the link made the first time is used, and checked again.
    _, again = sign_in_through(provider_url, VERIFIED)
    assert again["Location"] == "/"
    assert SocialAccount.objects.count() == 1


@pytest.mark.parametrize(
    ("claims", "mode", "status", "says"),
    [
        ({**VERIFIED, "email": "nobody@testshire.gov.uk"}, "ok", 403, "no account here for that email address"),
        ({**VERIFIED, "email_verified": False}, "ok", 403, "did not say your email address is verified"),
        (VERIFIED, "other_issuer", 401, "did not work"),
        (VERIFIED, "bad_signature", 401, "did not work"),
        (VERIFIED, "expired", 401, "did not work"),
        (VERIFIED, "replay_nonce", 401, "did not work"),
    ],
    ids=["unknown email", "unverified email", "another issuer", "bad signature", "expired token", "replayed nonce"],
)
def test_a_sign_in_that_cannot_be_trusted_or_matched_is_refused_and_creates_nothing(
    provider_url, provider, person, claims, mode, status, says
):
    if mode == "replay_nonce":
        sign_in_through(provider_url, VERIFIED)  # an earlier sign-in, whose nonce the token repeats
        SocialAccount.objects.all().delete()
    before = counts()

    client, response = sign_in_through(provider_url, claims, mode)

    assert response.status_code == status
    page = response.content.decode()
    assert says in page and "nothing" in page.lower()
    assert counts() == before
    assert client.get("/").status_code == 302


def test_a_deactivated_person_is_refused_even_with_a_valid_token(provider_url, provider, person):
    sign_in_through(provider_url, VERIFIED)  # linked while active
    person.is_active = False
    person.save()

    client, response = sign_in_through(provider_url, VERIFIED)

    assert response.status_code == 403 and "switched off" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_person_of_an_organisation_the_provider_does_not_serve_is_refused(provider_url, provider, icb):
    make_user("ian.sso", icb, Role.OFFICER, email="ian@icb.example.org")
    before = counts()

    _, response = sign_in_through(provider_url, {**VERIFIED, "email": "ian@icb.example.org"})

    assert response.status_code == 403 and counts() == before


def test_signing_out_ends_the_session_here_and_at_the_provider(provider_url, provider, person):
    client, _ = sign_in_through(provider_url, VERIFIED)
    # Browsers hold the Sign out form's redirect to the Content Security Policy's form-action.
    assert f"form-action 'self' {provider_url};" in client.get("/").headers["Content-Security-Policy"]

    response = client.post(reverse("logout"))

    end_session = urlsplit(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == f"{provider_url}/logout"
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert query["id_token_hint"][0].count(".") == 2 and query["client_id"] == [CLIENT_ID]
    assert client.get("/").status_code == 302


def test_an_administrator_signed_in_by_their_organisation_is_not_asked_for_a_code_here(
    provider_url, provider, administrator, plan
):
    administrator.email = "ada.admin@testshire.gov.uk"
    administrator.save()

    client, response = sign_in_through(provider_url, {"email": administrator.email, "email_verified": True})

    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_sign_in_page_offers_each_provider_in_use_and_none_when_there_are_none(db, provider_url, council):
    assert "Sign in with" not in Client().get(reverse("login")).content.decode().replace("Sign in with the", "")
    row = SingleSignOnProvider.objects.create(
        name="NHSmail", slug="nhsmail", issuer=provider_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    )
    page = Client().get(reverse("login"))
    assert "Sign in with NHSmail" in page.content.decode()
    assert f"form-action 'self' {provider_url};" in page.headers["Content-Security-Policy"]
    row.is_enabled = False
    row.save()
    assert "Sign in with NHSmail" not in Client().get(reverse("login")).content.decode()
    assert Client().post(reverse("openid_connect_login", args=["nhsmail"])).status_code == 404


def test_nobody_registers_through_single_sign_on(db):
    from django.test import RequestFactory

    from send_tracker.accounts.sign_in import AccountAdapter
    from send_tracker.accounts.single_sign_on import SocialAccountAdapter

    request = RequestFactory().get("/")
    assert not SocialAccountAdapter().is_open_for_signup(request, None)
    assert not AccountAdapter().is_open_for_signup(request)
    assert Client().get(reverse("socialaccount_signup"))["Location"] == reverse("login")
