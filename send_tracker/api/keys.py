"""Partner API keys: making them, checking them, and the principal a key acts as."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import ApiKey, Organisation

KEY_PREFIX = "st"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(
    *, organisation: Organisation, name: str, can_write: bool = False, expires_on: datetime.date | None = None
) -> tuple[ApiKey, str]:
    """Makes a key and returns it with the only copy of its secret, to be shown once."""
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        key_hash=_hash(key),
        can_write=can_write,
        expires_on=expires_on,
    )
    return api_key, key


def find_usable_key(presented: str) -> ApiKey | None:
    """The live key matching what a caller presented, or None. One query."""
    parts = presented.split("_")
    if len(parts) < 3 or parts[0] != KEY_PREFIX:
        return None
    api_key = (
        ApiKey.objects.usable(timezone.localdate())
        .select_related("organisation__partnership")
        .filter(prefix=parts[1])
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, _hash(presented)):
        return None
    _note_use(api_key)
    return api_key


def _note_use(api_key: ApiKey) -> None:
    # At most once an hour per key, so that reads stay reads: a list request must not write.
    if cache.add(f"api-key-used:{api_key.pk}", True, timeout=3600):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())


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
