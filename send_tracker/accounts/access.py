"""Who may see and change what. Every view, API queryset and export asks these functions.

The rules, in one place:
- Everyone signed in sees their own partnership's internal data; nothing of another partnership.
  An object outside that scope does not exist for them (404), so its id reveals nothing.
- Officers change what their organisation owns; administrators change anything in their
  partnership; scrutiny members and partners read only (403 on a change).
- A superuser sees and changes every partnership.
- A partner API key acts for its organisation: a read key reads like a partner, a write key may
  also change what its organisation owns, like an officer (send_tracker.api.keys.ApiKeyPrincipal).

"user" is anything with the attributes of accounts.User that these rules read: is_authenticated,
is_active, is_superuser, role, organisation_id and partnership_id.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from .choices import Role

AnyUser = Any  # accounts.User, AnonymousUser, or an API key's principal


def is_signed_in(user: AnyUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def sees_all_partnerships(user: AnyUser) -> bool:
    return is_signed_in(user) and bool(getattr(user, "is_superuser", False))


def partnership_ids_for(user: AnyUser) -> list[int] | None:
    """The partnerships a user may read; None means every partnership."""
    if sees_all_partnerships(user):
        return None
    partnership_id = getattr(user, "partnership_id", None) if is_signed_in(user) else None
    return [partnership_id] if partnership_id is not None else []


def may_change_in_partnership(user: AnyUser, partnership_id: int) -> bool:
    """Whether the user may change anything at all in this partnership (administrators)."""
    if sees_all_partnerships(user):
        return True
    return (
        is_signed_in(user)
        and getattr(user, "role", None) == Role.ADMINISTRATOR
        and getattr(user, "partnership_id", None) == partnership_id
    )


def may_change_owned_by(user: AnyUser, partnership_id: int, owner_organisation_id: int | None) -> bool:
    """Whether the user may change a thing owned by an organisation of a partnership."""
    if may_change_in_partnership(user, partnership_id):
        return True
    return (
        is_signed_in(user)
        and getattr(user, "role", None) == Role.OFFICER
        and getattr(user, "partnership_id", None) == partnership_id
        and owner_organisation_id is not None
        and getattr(user, "organisation_id", None) == owner_organisation_id
    )


def require(allowed: bool, message: str = "You can read this but not change it.") -> None:
    if not allowed:
        raise PermissionDenied(message)
