"""Whoever a request carries, in types every layer can name: a person, nobody signed in, or a
partner API key acting for its organisation (`ApiKeyPrincipal`).

It imports nothing of the project at run time but the roles, so the access rules
(send_tracker.accounts.access), the API's keys (send_tracker.api.keys) and the history stamp
(send_tracker.history) all read it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from .choices import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import ApiKey, Organisation, User

# Whoever a request carries: a person, nobody signed in, or a partner API key acting for its
# organisation. Only `access.signed_in` tells them apart; the rules read what it returns.
AnyUser: TypeAlias = "User | AnonymousUser | ApiKeyPrincipal"
# Someone the rules can read a role, an organisation and a partnership from.
Principal: TypeAlias = "User | ApiKeyPrincipal"


@dataclass(frozen=True)
class ApiKeyPrincipal:
    """Who a request made with a key acts as, for the access rules in send_tracker.accounts.access."""

    api_key: ApiKey

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    is_anonymous = False
    pk = None
    id = None

    @property
    def role(self) -> str:
        return Role.OFFICER if self.api_key.can_write else Role.PARTNER

    @property
    def organisation(self) -> Organisation:
        return self.api_key.organisation

    @property
    def organisation_id(self) -> int:
        return self.api_key.organisation_id

    @property
    def partnership_id(self) -> int:
        return self.api_key.organisation.partnership_id

    @property
    def display_name(self) -> str:
        return f"API key '{self.api_key.name}' ({self.api_key.organisation.name})"

    def __str__(self) -> str:
        return self.display_name
