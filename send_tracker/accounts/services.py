"""Writes to partnerships' people that go beyond one form's save."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction

from send_tracker.history import stamp

from . import access
from .models import User
from .principals import AnyUser

REASON_REQUIRED = "Enter why the second factor is being reset"
RESET_REFUSED = "Only an administrator of this person's partnership can reset their second factor."


def may_reset_second_factor(by: AnyUser, person: User) -> bool:
    if person.is_superuser or person.partnership_id is None:
        return access.sees_all_partnerships(by)
    return access.may_change_in_partnership(by, person.partnership_id)


def reset_second_factor(person: User, *, by: AnyUser, reason: str) -> int:
    """Removes the person's authenticator app, recovery codes and passkeys, so that they set up a new
    second factor at their next sign-in (they lost their phone). Only an administrator of their
    partnership, or of the whole instance, may; the person's history says who did it and why.
    Returns how many authenticators were removed."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    access.require(may_reset_second_factor(by, person), RESET_REFUSED)
    with transaction.atomic():
        # The row as it is now, so that the history row records the person as they stand.
        locked = User.objects.select_for_update().get(pk=person.pk)
        removed, _ = Authenticator.objects.filter(user=locked).delete()
        stamp(locked, by=by, reason=f"Second factor reset: {reason}")
        locked.save()
    return removed
