"""The second step of signing in with a password: a code from an authenticator app (TOTP), or one of
ten recovery codes, each good once, or a passkey (WebAuthn) added once the app is set up
(django-allauth's `allauth.mfa`). The app is the factor that must be there: a passkey is added to it
and may be removed, and the app is what someone who must use a second factor is sent to set up.

Who must use one: administrators and superusers, and everyone in a partnership whose administrator
requires it (`Partnership.require_second_factor`). Someone who must and has none set up is sent to
set it up before any other page (`SecondFactorRequiredMiddleware`). A person who signed in through
their organisation's own account (single sign-on) is not asked: their provider asks for its own.

A wrong code counts against the username in django-axes, as a wrong password does, so the lockout
after `AXES_FAILURE_LIMIT` failures covers both steps together.
"""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.stages import AuthenticateStage
from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect

from .choices import Role

# The pages someone who must set up a second factor may still open: setting it up, proving who they
# are again before they do, signing out, and the accessibility statement.
PAGES_BEFORE_SET_UP = frozenset(
    {
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_index",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "logout",
        "account_logout",
        "login",
        "accessibility",
    }
)
# Kept in the session once a second factor is found, so that the check costs no query a page.
SET_UP_SESSION_KEY = "second_factor_set_up"

_demo_usernames: set[str] = set()


def exempt_demo_accounts(usernames: set[str]) -> None:
    """The demo accounts, handed over by the sample data app (which sits above this one). They are let
    off only while DEBUG is on and SECOND_FACTOR_DEMO_EXEMPT is too."""
    _demo_usernames.update(usernames)


def must_use_second_factor(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if settings.DEBUG and settings.SECOND_FACTOR_DEMO_EXEMPT and user.username in _demo_usernames:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    organisation = user.organisation
    return bool(organisation and organisation.partnership.require_second_factor)


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def has_passkey(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).exists()


def signed_in_by_single_sign_on(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)  # type: ignore[arg-type]
    return any(record.get("method") == "socialaccount" for record in records)


class SecondStep(AuthenticateStage):
    """allauth's second step of signing in, asked after a password: someone who signed in through their
    organisation's own account has given that provider its second factor."""

    def _should_handle(self, request: HttpRequest) -> bool:
        records = get_authentication_records(request, self.login.user) if self.login.user else []
        if records and records[-1].get("method") == "socialaccount":
            return False
        handled: bool = super()._should_handle(request)
        return handled


def needs_set_up(request: HttpRequest) -> bool:
    user = request.user
    if request.session.get(SET_UP_SESSION_KEY) == user.pk or not must_use_second_factor(user):
        return False
    if signed_in_by_single_sign_on(request):
        return False
    if has_second_factor(user):
        request.session[SET_UP_SESSION_KEY] = user.pk
        return False
    return True


class SecondFactorRequiredMiddleware:
    """Sends someone who must use a second factor, and has none, to set one up first."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = self.get_response(request)
        return response

    def process_view(self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.url_name in PAGES_BEFORE_SET_UP or not request.user.is_authenticated:
            return None
        if not needs_set_up(request):
            return None
        if request.path.startswith("/api/"):
            message = "Set up a second factor for your account in the browser before using the API this way."
            body = {"error": {"status": 403, "code": "second_factor_required", "message": message, "fields": {}}}
            return JsonResponse(body, status=403)
        return redirect("mfa_activate_totp")


class SecondFactorAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "Enter the 6-digit code your authenticator app shows now, or an unused recovery code",
        "cannot_delete_authenticator": "You must use a second factor, so you cannot turn it off. "
        "Ask your administrator to reset it if you lose your device",
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not must_use_second_factor(authenticator.user)

    def get_totp_label(self, user: Any) -> str:
        return str(user.get_username())


LOCKED_OUT = "Too many failed attempts to sign in to this account. Wait and try again, or ask your administrator"


class CodeForm(AuthenticateForm):
    """The second step's one field. A locked username is refused before its code is looked at."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = "Code"
        code.help_text = "The 6-digit code your authenticator app shows, or one of your recovery codes"
        code.widget.attrs = {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}

    def clean_code(self) -> str:
        request = context.request
        credentials = axes_credentials(self.user)
        if AxesProxyHandler.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            raise ValidationError(LOCKED_OUT)
        code: str = super().clean_code()
        return code


PASSKEY_NAME_LENGTH = 100


def name_the_passkey(form: Form) -> None:
    name = form.fields["name"]
    name.label = "Name"
    name.help_text = "So that you can tell your passkeys apart, for example “Work laptop”"
    name.max_length = PASSKEY_NAME_LENGTH  # type: ignore[attr-defined]
    name.validators.append(MaxLengthValidator(PASSKEY_NAME_LENGTH))
    name.widget.attrs["maxlength"] = str(PASSKEY_NAME_LENGTH)


class AddPasskeyForm(AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_the_passkey(self)


class RenamePasskeyForm(EditWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_the_passkey(self)


def axes_credentials(user: Any) -> dict[str, str]:
    return {"username": user.get_username()}


def count_failed_code(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """A wrong code is a failed sign-in for django-axes (connected in AccountsConfig.ready)."""
    user_login_failed.send(sender=__name__, credentials=axes_credentials(user), request=request)
