"""Signing in at /accounts/login/: the username and password (our form, checked by django-axes), then
django-allauth's login stages, which ask for the second factor where the person has one.

Nobody registers themselves: an administrator makes every account.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records, perform_password_login
from allauth.account.models import Login
from allauth.core import context
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from . import single_sign_on
from .forms import SignInForm

# The backend that reads a signed-in person back on each request (with their organisation). Django
# remembers the backend that checked the password; a sign-in by another route names this one.
SESSION_BACKEND = "send_tracker.accounts.backends.UserWithOrganisationBackend"
SECOND_STEP = "send_tracker.accounts.second_factor.SecondStep"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # Changing how one signs in (setting up a second factor) asks for the password again, unless
        # the person signed in moments ago: someone made to set one up at sign-in is not asked twice.
        request = context.request
        records = get_authentication_records(request, request.user)
        if records and time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
            return False
        required: bool = super().is_reauthentication_required(app=app, **kwargs)
        return required

    def get_login_stages(self) -> list[str]:
        stages: list[str] = super().get_login_stages()
        return [SECOND_STEP if stage == "allauth.mfa.stages.AuthenticateStage" else stage for stage in stages]

    def login(self, request: HttpRequest, user: Any) -> None:
        if not hasattr(user, "backend"):
            user.backend = SESSION_BACKEND
        super().login(request, user)

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # Signing in and out is news to no one; allauth's other messages (a second factor set up,
        # recovery codes made) are shown.
        if message_template and message_template.endswith(("logged_in.txt", "logged_out.txt")):
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)


class SignInView(auth_views.LoginView):
    """The password step. Once the password is right, allauth takes the sign-in on: to the second
    step for someone with a second factor, or straight in."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["single_sign_on"] = single_sign_on.enabled_providers()
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().render_to_response(context, **kwargs)
        origins = [single_sign_on.origin_of(provider.issuer) for provider in context["single_sign_on"]]
        single_sign_on.allow_forms_to_reach(response, origins)
        return response

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        login = Login(user=user, redirect_url=self.get_success_url())
        return perform_password_login(self.request, {"username": user.get_username()}, login)
