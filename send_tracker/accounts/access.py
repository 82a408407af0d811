"""Who may see and change what. Every view, API queryset and export asks these functions.

The rules, in one place:
- Everyone signed in sees their own partnership's internal data; nothing of another partnership.
  An object outside that scope does not exist for them (404), so its id reveals nothing.
- Officers change what their organisation owns; administrators change anything in their
  partnership; scrutiny members and partners read only (403 on a change).
- A superuser sees and changes every partnership.
- A partner API key acts for its organisation: a read key reads like a partner, a write key may
  also change what its organisation owns, like an officer (send_tracker.accounts.principals.ApiKeyPrincipal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from .choices import Role
from .models import User
from .principals import AnyUser as AnyUser
from .principals import Principal as Principal

if TYPE_CHECKING:
    from .models import Partnership


def signed_in(user: AnyUser | None) -> Principal | None:
    """The active person or API key behind a request; None for nobody, an anonymous visitor or a
    deactivated account."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return None
    return user


def person(user: AnyUser | None) -> User | None:
    """The signed-in person behind a request; None for an API key (which acts for an organisation,
    not anyone in it), nobody, or a deactivated account."""
    principal = signed_in(user)
    return principal if isinstance(principal, User) else None


def require_person(user: AnyUser | None) -> User:
    """The signed-in person, for what only a person has (their alerts, follows and choices)."""
    someone = person(user)
    if someone is None:
        raise PermissionDenied("Only a signed-in person has alerts and follows.")
    return someone


def partnership_of(user: AnyUser | None) -> Partnership | None:
    """The partnership the user belongs to; None for nobody, or an instance administrator who
    belongs to no organisation."""
    principal = signed_in(user)
    organisation = principal.organisation if principal is not None else None
    return organisation.partnership if organisation is not None else None


def is_signed_in(user: AnyUser | None) -> bool:
    return signed_in(user) is not None


def sees_all_partnerships(user: AnyUser | None) -> bool:
    principal = signed_in(user)
    return principal is not None and bool(principal.is_superuser)


def partnership_ids_for(user: AnyUser | None) -> list[int] | None:
    """The partnerships a user may read; None means every partnership."""
    principal = signed_in(user)
    if principal is None:
        return []
    if principal.is_superuser:
        return None
    # A person with no organisation (only a superuser may be one) belongs to no partnership.
    return [principal.partnership_id] if principal.partnership_id is not None else []


def may_change_in_partnership(user: AnyUser | None, partnership_id: int) -> bool:
    """Whether the user may change anything at all in this partnership (administrators)."""
    principal = signed_in(user)
    if principal is None:
        return False
    if principal.is_superuser:
        return True
    return principal.role == Role.ADMINISTRATOR and principal.partnership_id == partnership_id


def may_change_owned_by(user: AnyUser | None, partnership_id: int, owner_organisation_id: int | None) -> bool:
    """Whether the user may change a thing owned by an organisation of a partnership."""
    principal = signed_in(user)
    if principal is None:
        return False
    if may_change_in_partnership(principal, partnership_id):
        return True
    return (
        principal.role == Role.OFFICER
        and principal.partnership_id == partnership_id
        and owner_organisation_id is not None
        and principal.organisation_id == owner_organisation_id
    )


def require(allowed: bool, message: str = "You can read this but not change it.") -> None:
    if not allowed:
        raise PermissionDenied(message)


class Changeable(Protocol):
    def can_be_changed_by(self, user: AnyUser) -> bool: ...


Fetched = TypeVar("Fetched", bound=Changeable)


def for_change(user: AnyUser, fetched: Fetched, message: str) -> Fetched:
    """`fetched`, already fetched for reading (404 outside the user's partnership), if the user may
    change it; 403 with `message` if they may only read it."""
    require(fetched.can_be_changed_by(user), message)
    return fetched


Thing = TypeVar("Thing")


def for_administrators(user: AnyUser, fetched: Thing, partnership_id: int, message: str) -> Thing:
    """`fetched`, already fetched for reading, if the user administers its partnership
    (`partnership_id`); 403 with `message` for anyone else."""
    require(may_change_in_partnership(user, partnership_id), message)
    return fetched


def owners_only(what: str, *, owns: str = "owns", verb: str = "change") -> str:
    """The 403 message of a thing that its owner's officers or an administrator change."""
    return f"Only officers of the organisation that {owns} this {what}, or an administrator, can {verb} it."


def administers(user: AnyUser | None) -> bool:
    """Whether the user is an administrator of a partnership of their own: who is offered the
    pages that add risks, boards, indicators and scrutiny reports."""
    partnership = partnership_of(user)
    return partnership is not None and may_change_in_partnership(user, partnership.pk)


def administered_partnership(user: AnyUser | None, message: str) -> Partnership:
    """The partnership in which the user adds things as its administrator (a new risk, board,
    indicator or scrutiny report): their own. PermissionDenied, saying `message`, for anyone else,
    an instance administrator who belongs to no partnership included (they add through the admin)."""
    partnership = partnership_of(user)
    if partnership is None or not administers(user):
        raise PermissionDenied(message)
    return partnership
