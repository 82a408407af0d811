"""Bearer-key authentication for the partner API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from send_tracker.accounts.principals import ApiKeyPrincipal

from .keys import find_usable_key

# Names a caller might use to put a key in the address. Addresses end up in proxy and server logs,
# so a key sent that way is refused even if it is valid.
QUERY_KEY_NAMES = {"key", "api_key", "apikey", "token", "access_token", "bearer"}


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiKeyPrincipal, Any] | None:
        if QUERY_KEY_NAMES & {name.lower() for name in request.query_params}:
            raise exceptions.AuthenticationFailed(
                "Send the API key in the Authorization header (Authorization: Bearer KEY), never in the "
                "address: addresses are logged."
            )
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, presented = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        presented = presented.strip()
        if not presented:
            raise exceptions.AuthenticationFailed("The Authorization header has no key after 'Bearer'.")
        api_key = find_usable_key(presented)
        if api_key is None:
            raise exceptions.AuthenticationFailed("The API key is not valid, has expired or has been revoked.")
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Describes the bearer key in the OpenAPI schema."""

    target_class = "send_tracker.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A key from `manage.py create_api_key`."}
