"""Passkeys (WebAuthn) beside the authenticator app: listed, renamed and removed only by their owner,
and offered at the second step only to someone who has one. Using one is in test_browser_passkeys."""

from __future__ import annotations

import os
import time
from hashlib import sha256
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import Aaguid, AttestationObject, AttestedCredentialData, AuthenticatorData, CollectedClientData
from hypothesis import given

from send_tracker.accounts.models import User
from send_tracker.accounts.second_factor import PASSKEY_NAME_LENGTH, SET_UP_SESSION_KEY
from tests.as_people_write import fits, rolled_back, text_near
from tests.conftest import PASSWORD, need_postgres

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    """Signed in through both steps a moment ago, so that changing a second factor needs no password
    again (the session as allauth leaves it; the steps themselves are test_second_factor's)."""
    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [{"method": "password", "at": now}, {"method": "mfa", "at": now}]
    session["account_authentication_methods_user"] = str(user.pk)
    session[SET_UP_SESSION_KEY] = user.pk
    session.save()
    return client


def registration(rp_id: str = "testserver") -> dict[str, Any]:
    """What a browser sends when a new passkey is made (a "none" attestation), as allauth keeps it."""
    key = ec.generate_private_key(ec.SECP256R1())
    credential_id = os.urandom(16)
    data = AttestedCredentialData.create(Aaguid.NONE, credential_id, ES256.from_cryptography_key(key.public_key()))
    flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
    attestation = AttestationObject.create(
        "none", AuthenticatorData.create(sha256(rp_id.encode()).digest(), flags, 0, data), {}
    )
    client_data = CollectedClientData.create(CollectedClientData.TYPE.CREATE, b"challenge", f"http://{rp_id}")
    return {
        "type": "public-key",
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "response": {
            "clientDataJSON": websafe_encode(bytes(client_data)),
            "attestationObject": websafe_encode(bytes(attestation)),
        },
        "clientExtensionResults": {},
    }


def passkey(user: User, name: str = "Work laptop") -> Authenticator:
    data = {"name": name, "credential": registration()}
    return Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data=data)


def test_the_sign_in_security_page_links_to_passkeys_which_lists_them(administrator):
    client = signed_in(administrator)
    assert reverse("mfa_list_webauthn") in client.get(reverse("mfa_index")).content.decode()
    assert "You have not added a passkey" in client.get(reverse("mfa_list_webauthn")).content.decode()

    key = passkey(administrator)
    page = client.get(reverse("mfa_list_webauthn")).content.decode()
    assert "Work laptop" in page
    assert reverse("mfa_edit_webauthn", kwargs={"pk": key.pk}) in page
    assert reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}) in page
    assert "1 added" in client.get(reverse("mfa_index")).content.decode()


def test_the_second_step_offers_a_passkey_only_to_someone_who_has_one(administrator):
    client = Client()
    client.post(reverse("login"), {"username": administrator.username, "password": PASSWORD})
    assert "Use a passkey" not in client.get(reverse("mfa_authenticate")).content.decode()

    passkey(administrator)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Use a passkey" in page and "/static/mfa/js/webauthn.js" in page
    assert "<script>" not in page  # the CSP allows no inline script: only files and JSON data


def test_removing_a_passkey_keeps_the_authenticator_app(administrator):
    client = signed_in(administrator)
    key = passkey(administrator)
    assert client.get(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})).status_code == 200

    response = client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}))

    assert response.status_code == 302
    assert set(Authenticator.objects.filter(user=administrator).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }


def test_nobody_renames_or_removes_another_persons_passkey(administrator, elsewhere_world, officer):
    theirs = [passkey(officer), passkey(elsewhere_world.administrator)]
    client = signed_in(administrator)
    for key in theirs:
        for name in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
            url = reverse(name, kwargs={"pk": key.pk})
            assert client.get(url).status_code == 404
            assert client.post(url, {"name": "Mine now"}).status_code == 404
    assert "Work laptop" not in client.get(reverse("mfa_list_webauthn")).content.decode()
    assert Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).count() == 2
    assert {key.wrap().name for key in Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN)} == {
        "Work laptop"
    }


@given(name=text_near(PASSKEY_NAME_LENGTH))
def test_a_passkey_keeps_its_new_name_as_typed_or_the_page_says_what_is_wrong(administrator, name):
    need_postgres()
    client = signed_in(administrator)
    with rolled_back():
        key = passkey(administrator)
        response = client.post(reverse("mfa_edit_webauthn", kwargs={"pk": key.pk}), {"name": name})
        key.refresh_from_db()
        if fits(name, PASSKEY_NAME_LENGTH):
            assert response.status_code == 302
            assert key.wrap().name == name.strip()
        else:
            assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
            assert key.wrap().name == "Work laptop"
