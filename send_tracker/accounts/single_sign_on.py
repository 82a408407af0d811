"""Single sign-on by OpenID Connect: a person signs in with their organisation's own account
(Microsoft Entra ID, which NHSmail is too, Google Workspace, or any standard provider) instead of a
password. django-allauth runs the protocol (the authorisation code flow with PKCE); this module adds
what it leaves out and our rules:

- the providers come from `SingleSignOnProvider` rows, set up by an administrator of the whole
  instance, each naming the organisations whose people use it;
- every ID token's signature is checked against the provider's published keys (allauth skips it for
  a token fetched straight from the provider), with its issuer, audience and expiry, and its nonce
  against the one this sign-in sent, which is good once;
- only an account that already exists in one of the provider's organisations, found by the email
  address the provider vouches for, signs in; nobody registers, and a deactivated account is refused
  whatever the token says. Each refusal is a page saying why, and nothing is created;
- signing out ends the session here and, where the provider offers it, there too.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from .models import SingleSignOnProvider, User

logger = logging.getLogger(__name__)

PROVIDER = "openid_connect"
# What the session keeps of a sign-in through a provider, for signing out there too.
SESSION_KEY = "single_sign_on"
DISCOVERY_CACHE_SECONDS = 3600


def social_app(provider: SingleSignOnProvider) -> SocialApp:
    """The provider as allauth reads one (never saved: the rows are ours)."""
    return SocialApp(
        provider=PROVIDER,
        provider_id=provider.slug,
        name=provider.name,
        client_id=provider.client_id,
        secret=provider.client_secret,
        settings={"server_url": provider.issuer, "oauth_pkce_enabled": True},
    )


def enabled_providers() -> list[SingleSignOnProvider]:
    return list(SingleSignOnProvider.objects.filter(is_enabled=True))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def allow_forms_to_reach(response: HttpResponseBase, origins: list[str]) -> None:
    """The Content Security Policy lets forms send people only to this site (`form-action 'self'`),
    and browsers hold a form's redirect to it too: the sign-in page's "Sign in with ..." and, for
    someone signed in through a provider, the Sign out button, go on to the provider."""
    if origins:
        allowed = " ".join(["'self'", *sorted(set(origins))])
        response.headers["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action {allowed}"
        )


class ProviderFormActionMiddleware:
    """Lets the Sign out button of someone signed in through a provider go on to sign them out there."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = self.get_response(request)
        signed_in_with = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if signed_in_with and signed_in_with.get("origin") and "Content-Security-Policy" not in response.headers:
            allow_forms_to_reach(response, [signed_in_with["origin"]])
        return response


class ProviderAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect client, checking what it does not: the discovery document's issuer,
    the ID token's signature always, and its nonce."""

    expected_nonce: str | None = None

    @property
    def openid_config(self) -> dict[str, Any]:
        if not hasattr(self, "_openid_config"):
            provider = self.get_provider()
            key = f"oidc-discovery:{provider.server_url}"
            config = cache.get(key)
            if config is None:
                config = super().openid_config
                cache.set(key, config, DISCOVERY_CACHE_SECONDS)
            issuer = provider.app.settings["server_url"].rstrip("/")
            if str(config.get("issuer", "")).rstrip("/") != issuer:
                raise OAuth2Error("The provider's discovery document names another issuer")
            self._openid_config = config
        return self._openid_config

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        claims: dict[str, Any] = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        nonce = str(claims.get("nonce", ""))
        if not self.expected_nonce or not hmac.compare_digest(nonce, self.expected_nonce):
            raise OAuth2Error("The ID token's nonce is not the one this sign-in sent")
        return claims

    def complete_login(self, request: HttpRequest, app: SocialApp, token: Any, **kwargs: Any) -> SocialLogin:
        login: SocialLogin = super().complete_login(request, app, token, **kwargs)
        login.raw_id_token = kwargs["response"].get("id_token", "")  # type: ignore[attr-defined]
        return login


class Provider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider, sending a nonce (kept in the sign-in's one-use state)."""

    oauth2_adapter_class = ProviderAdapter

    def redirect(
        self, request: HttpRequest, process: Any, next_url: Any = None, data: Any = None, **kwargs: Any
    ) -> Any:
        nonce = secrets.token_urlsafe(32)
        auth_params = {**(kwargs.pop("auth_params", None) or self.get_auth_params()), "nonce": nonce}
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)


class CallbackView(OAuth2CallbackView):
    def _get_state(self, request: HttpRequest, provider: Any) -> tuple[Any, Any]:
        state, response = super()._get_state(request, provider)
        self.adapter.expected_nonce = (state or {}).get("nonce")  # type: ignore[attr-defined]
        return state, response


def login(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    response = _provider_view(OAuth2LoginView, request, provider_id)
    allow_forms_to_reach(response, [origin_of(row.issuer) for row in enabled_providers()])
    return response


def callback(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    return _provider_view(CallbackView, request, provider_id)


def _provider_view(view_class: Any, request: HttpRequest, provider_id: str) -> HttpResponseBase:
    try:
        response: HttpResponseBase = view_class.adapter_view(ProviderAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404("No such sign-in provider.") from None
    return response


REFUSALS = {
    "unverified": "The account you signed in with did not say your email address is verified, so it cannot be "
    "matched to an account here.",
    "unknown": "There is no account here for that email address in an organisation that signs in this way. "
    "Ask your partnership's administrator to invite you.",
    "deactivated": "Your account here has been switched off. Ask your partnership's administrator.",
}


def refuse(request: HttpRequest, provider: SingleSignOnProvider | None, reason: str, email: str) -> None:
    logger.warning("Single sign-on refused (%s) for %r through %s", reason, email, provider)
    context = {"provider_name": provider.name if provider else "your organisation", "message": REFUSALS[reason]}
    raise ImmediateHttpResponse(render(request, "socialaccount/refused.html", context, status=403))


def claims_of(sociallogin: SocialLogin) -> dict[str, Any]:
    """The signed ID token's claims, with the userinfo endpoint's for what the token leaves out."""
    extra = sociallogin.account.extra_data or {}
    return {**(extra.get("userinfo") or {}), **(extra.get("id_token") or {})}


def match_person(provider: SingleSignOnProvider, claims: dict[str, Any]) -> tuple[User | None, str]:
    """The one active account this provider may sign in, or why there is none."""
    email = str(claims.get("email") or "").strip()
    verified = provider.emails_are_verified or claims.get("email_verified") in (True, "true")
    if not email or not verified:
        return None, "unverified"
    people = list(
        User.objects.filter(email__iexact=email, organisation__in=provider.organisations.all()).select_related(
            "organisation"
        )[:2]
    )
    if len(people) != 1:
        return None, "unknown"
    if not people[0].is_active:
        return None, "deactivated"
    return people[0], ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request: HttpRequest, provider: str | None = None, client_id: str | None = None) -> list[Any]:
        # allauth asks by kind ("openid_connect") or by one provider's id (its slug).
        return [
            social_app(row)
            for row in enabled_providers()
            if provider in (None, PROVIDER, row.slug) and client_id in (None, row.client_id)
        ]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = SingleSignOnProvider.objects.filter(slug=sociallogin.account.provider, is_enabled=True).first()
        claims = claims_of(sociallogin)
        email = str(claims.get("email") or "")
        if provider is None:
            refuse(request, None, "unknown", email)
            return
        person, reason = match_person(provider, claims)
        linked_to = sociallogin.user.pk if sociallogin.is_existing and sociallogin.user else None
        if person is None or linked_to not in (None, person.pk):
            refuse(request, provider, reason or "unknown", email)
            return
        request.session[SESSION_KEY] = {
            "provider": provider.slug,
            "id_token": getattr(sociallogin, "raw_id_token", ""),
            "origin": origin_of(provider.issuer),
        }
        if not sociallogin.is_existing:
            sociallogin.connect(request, person)

    def on_authentication_error(
        self, request: HttpRequest, provider: Any, error: Any = None, exception: Any = None, extra_context: Any = None
    ) -> None:
        logger.warning("Single sign-on through %s failed (%s): %r", provider, error, exception)


class SignOutView(auth_views.LogoutView):
    """Signs out here, then, for someone who signed in through a provider that offers it, there too."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signed_in_with = request.session.get(SESSION_KEY)
        response: HttpResponse = super().post(request, *args, **kwargs)
        provider = SingleSignOnProvider.objects.filter(slug=(signed_in_with or {}).get("provider")).first()
        end_session = end_session_endpoint(request, provider) if provider else ""
        if provider is None or not end_session or not signed_in_with:
            return response
        query = {
            "id_token_hint": signed_in_with.get("id_token", ""),
            "client_id": provider.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
        return HttpResponseRedirect(f"{end_session}?{urlencode(query)}")


def end_session_endpoint(request: HttpRequest, provider: SingleSignOnProvider) -> str:
    """Where the provider signs people out, if it says (its discovery document's end_session_endpoint)."""
    try:
        adapter = ProviderAdapter(request, provider.slug)
        return str(adapter.openid_config.get("end_session_endpoint") or "")
    except Exception:
        # Signing out here has happened; a provider that does not answer only keeps its own session.
        logger.warning("Could not read %s's discovery document to sign out there", provider, exc_info=True)
        return ""
