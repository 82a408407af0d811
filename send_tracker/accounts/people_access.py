"""Permission-checked fetches for a partnership administrator's pages: its people, organisations and
API keys (send_tracker/accounts/services.py writes them).

Only an administrator of the partnership reaches them; anyone else signed in gets 403. A person,
organisation or key of another partnership is a 404, and so is an administrator of the whole
instance (a superuser), whom no partnership administrator sees or changes.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from . import access
from .access import AnyUser
from .models import ApiKey, Invitation, Organisation, Partnership, User

ADMINISTRATORS_ONLY = "Only an administrator of the partnership can manage its people, organisations and API keys."


def administered_by(user: AnyUser) -> Partnership:
    """The partnership whose people, organisations and keys the user manages: their own, if they are
    its administrator. PermissionDenied for anyone else."""
    return access.administered_partnership(user, ADMINISTRATORS_ONLY)


def people_of(partnership: Partnership) -> QuerySet[User]:
    """The partnership's people, each with their organisation and their invitations, newest first."""
    return (
        User.objects.filter(organisation__partnership=partnership, is_superuser=False)
        .select_related("organisation")
        .prefetch_related(Prefetch("invitations", queryset=Invitation.objects.order_by("-sent_at")))
        .order_by("first_name", "last_name", "username")
    )


def organisations_of(partnership: Partnership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership=partnership).order_by("name")


def api_keys_of(partnership: Partnership) -> QuerySet[ApiKey]:
    return (
        ApiKey.objects.filter(organisation__partnership=partnership)
        .select_related("organisation")
        .order_by("revoked_at", "organisation__name", "name", "pk")
    )


def person_for_administration(user: AnyUser, person_id: int) -> User:
    return get_object_or_404(people_of(administered_by(user)), pk=person_id)


def organisation_for_administration(user: AnyUser, organisation_id: int) -> Organisation:
    return get_object_or_404(organisations_of(administered_by(user)), pk=organisation_id)


def api_key_for_administration(user: AnyUser, key_id: int) -> ApiKey:
    return get_object_or_404(api_keys_of(administered_by(user)), pk=key_id)
