"""Writes to partnerships' people that go beyond one form's save."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from send_tracker.api.keys import create_api_key
from send_tracker.history import stamp

from . import access, people_access
from .choices import OrganisationKind, Role
from .models import ApiKey, Invitation, Organisation, Partnership, User
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


# ---------------------------------------------------------------------------------------------
# A partnership's people, organisations and API keys, written by its administrator in the product
# (send_tracker/accounts/people_views.py) or by `create_partnership` for a partnership from nothing.

# A person's email address is also their username, which holds 150 characters.
EMAIL_MAX = 150
NAME_MAX = 150
SELF_REFUSED = "You cannot change your own role, organisation or access. Ask another administrator."
EMAIL_TAKEN = "An account already uses this email address. Ask the person, or your instance administrator."
# What a username may hold (Django's UnicodeUsernameValidator); anything else in an email address
# (an apostrophe, as in o'neill@) becomes a hyphen in the username.
NOT_IN_USERNAME = re.compile(r"[^\w.@+-]")
ONS_CODE = re.compile(r"E\d{8}")


def _text(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """A name as people type it: kept whole but for surrounding whitespace, refused past its limit."""
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: f"{label} must not contain a null character"})
    if required and not text:
        raise ValidationError({field: f"Enter {label[0].lower()}{label[1:]}"})
    if len(text) > limit:
        raise ValidationError({field: f"{label} must be {limit} characters or fewer"})
    return text


def _email(value: str) -> str:
    email = (value or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Enter an email address"})
    if len(email) > EMAIL_MAX:
        raise ValidationError({"email": f"Email address must be {EMAIL_MAX} characters or fewer"})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": "Enter an email address in the correct format, like name@example.gov.uk"}
        ) from None
    return email


def _role(value: str) -> str:
    if value not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    return value


def _organisation_in(partnership: Partnership, organisation_id: int | None) -> Organisation:
    organisation = None
    if organisation_id is not None:
        organisation = Organisation.objects.filter(partnership=partnership, pk=organisation_id).first()
    if organisation is None:
        raise ValidationError({"organisation": "Choose one of the partnership's organisations"})
    return organisation


def _not_themselves(by: AnyUser, person: User) -> None:
    access.require(access.person(by) is None or access.person(by) != person, SELF_REFUSED)


def invitation_link(token: str) -> str:
    """The invitation's address, whole, for an email or the terminal (ALERT_BASE_URL: the site's)."""
    return settings.ALERT_BASE_URL.rstrip("/") + reverse("accept_invitation", args=[token])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _withdraw_open_invitations(person: User, *, by: AnyUser | None, reason: str, now: datetime.datetime) -> None:
    for invitation in Invitation.objects.select_for_update().filter(person=person).open(now):
        invitation.withdrawn_at = now
        stamp(invitation, by=by, reason=reason)
        invitation.save()


def _new_invitation(person: User, *, by: AnyUser | None, reason: str) -> tuple[Invitation, str]:
    """A new one-time link for the person; the links sent before stop working."""
    now = timezone.now()
    _withdraw_open_invitations(person, by=by, reason="A newer invitation was sent", now=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        person=person,
        token_hash=_token_hash(token),
        sent_by=access.person(by),
        sent_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    stamp(invitation, by=by, reason=reason)
    invitation.save()
    return invitation, token


def _email_invitation(invitation: Invitation, token: str) -> None:
    person = invitation.person
    organisation = person.organisation
    partnership = organisation.partnership if organisation else None
    sender = invitation.sent_by.display_name if invitation.sent_by else "An administrator"
    expires = timezone.localtime(invitation.expires_at)
    body = render_to_string(
        "emails/invitation.txt",
        {
            "person": person,
            "sender": sender,
            "partnership": partnership,
            "link": invitation_link(token),
            "expires": expires,
            "service_name": settings.SERVICE_NAME,
        },
    )
    send_mail(f"You have been invited to the {settings.SERVICE_NAME}", body, None, [person.email])


def _add_person(
    partnership: Partnership,
    *,
    by: AnyUser | None,
    email: str,
    first_name: str,
    last_name: str,
    organisation_id: int | None,
    role: str,
) -> tuple[User, Invitation, str]:
    email = _email(email)
    first_name = _text(first_name, field="first_name", label="First name", limit=NAME_MAX)
    last_name = _text(last_name, field="last_name", label="Last name", limit=NAME_MAX, required=False)
    organisation = _organisation_in(partnership, organisation_id)
    role = _role(role)
    username = NOT_IN_USERNAME.sub("-", email)
    if User.objects.filter(Q(username__iexact=username) | Q(email__iexact=email)).exists():
        raise ValidationError({"email": EMAIL_TAKEN})
    person = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        role=role,
        # An administrator runs the partnership in the Django admin too (README: Who may do what).
        is_staff=role == Role.ADMINISTRATOR,
    )
    person.set_unusable_password()  # until they choose one with the invitation's link
    stamp(person, by=by, reason=f"Invited as {Role(role).label} of {organisation}")
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # the same address invited at the same moment by someone else
        raise ValidationError({"email": EMAIL_TAKEN}) from None
    invitation, token = _new_invitation(person, by=by, reason=f"Invitation sent to {email}")
    return person, invitation, token


def invite_person(
    *, by: AnyUser, email: str, first_name: str, last_name: str, organisation_id: int | None, role: str
) -> User:
    """Adds a person to the administrator's partnership and emails them a one-time link, which
    expires after INVITATION_DAYS, to choose a password and sign in."""
    partnership = people_access.administered_by(by)
    with transaction.atomic():
        person, invitation, token = _add_person(
            partnership,
            by=by,
            email=email,
            first_name=first_name,
            last_name=last_name,
            organisation_id=organisation_id,
            role=role,
        )
        transaction.on_commit(lambda: _email_invitation(invitation, token))
    return person


def resend_invitation(*, by: AnyUser, person_id: int) -> Invitation:
    """A new link for someone who has not yet chosen a password; the old link stops working."""
    with transaction.atomic():
        person = people_access.person_for_administration(by, person_id)
        person = (
            User.objects.select_for_update(of=("self",)).select_related("organisation__partnership").get(pk=person.pk)
        )
        if not person.is_active:
            raise ValidationError(f"{person.display_name}'s account is switched off. Reactivate it first.")
        if person.has_usable_password():
            raise ValidationError(f"{person.display_name} has already chosen a password and signs in as usual.")
        invitation, token = _new_invitation(person, by=by, reason=f"Invitation sent again to {person.email}")
        transaction.on_commit(lambda: _email_invitation(invitation, token))
    return invitation


class InvitationNotOpen(Exception):
    """The invitation's link no longer works; the message says why and what to do."""


def invitation_for(token: str) -> Invitation:
    """The open invitation this link carries, or InvitationNotOpen saying why it does not work."""
    invitation = (
        Invitation.objects.select_related("person__organisation__partnership")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationNotOpen("This link is not a valid invitation. Check that you copied all of it from the email.")
    state = invitation.state(timezone.now())
    if state == "accepted":
        raise InvitationNotOpen("This link has already been used. Sign in with your username and password.")
    if state == "withdrawn" or not invitation.person.is_active:
        raise InvitationNotOpen(
            "This link no longer works: a newer invitation was sent, or the account was switched off. "
            "Use the link in the latest email, or ask your administrator."
        )
    if state == "expired":
        expired = timezone.localtime(invitation.expires_at)
        raise InvitationNotOpen(
            f"This link expired on {expired:%-d %B %Y}. Ask your administrator to send you a new invitation."
        )
    return invitation


def accept_invitation(*, token: str, password: str) -> User:
    """The person chooses their password with the invitation's link, which then never works again."""
    with transaction.atomic():
        invitation = invitation_for(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        invitation_for(token)  # again, under the lock: two tabs cannot both use the link
        person = (
            User.objects.select_for_update(of=("self",))
            .select_related("organisation__partnership")
            .get(pk=invitation.person_id)
        )
        try:
            validate_password(password, person)
        except ValidationError as error:
            raise ValidationError({"new_password1": error.messages}) from None
        person.set_password(password)
        stamp(person, by=person, reason="Accepted the invitation and chose a password")
        person.save()
        invitation.accepted_at = timezone.now()
        stamp(invitation, by=person, reason="Accepted")
        invitation.save()
    return person


def _person_under_lock(by: AnyUser, person_id: int) -> User:
    """Someone else in the administrator's partnership, with the partnership's row locked for the
    transaction: changes to its people are made one at a time, and the administrator is read again
    under the lock, so that two administrators demoting or deactivating each other at the same moment
    cannot leave the partnership with none."""
    person = people_access.person_for_administration(by, person_id)
    _not_themselves(by, person)
    list(Partnership.objects.select_for_update().filter(organisations__people=person).values_list("pk"))
    actor = access.person(by)
    still = actor is not None and (
        User.objects.filter(pk=actor.pk, is_active=True)
        .filter(Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True))
        .exists()
    )
    access.require(still, people_access.ADMINISTRATORS_ONLY)
    return person


def change_person(*, by: AnyUser, person_id: int, role: str, organisation_id: int | None) -> User:
    """Changes someone's role or organisation within the partnership; never the administrator's own."""
    with transaction.atomic():
        found = _person_under_lock(by, person_id)
        person = (
            User.objects.select_for_update(of=("self",)).select_related("organisation__partnership").get(pk=found.pk)
        )
        role = _role(role)
        organisation = _organisation_in(found.organisation.partnership, organisation_id)  # type: ignore[union-attr]
        changes = []
        if role != person.role:
            changes.append(f"role from {Role(person.role).label} to {Role(role).label}")
            person.role = role
            person.is_staff = role == Role.ADMINISTRATOR
        if organisation.pk != person.organisation_id:
            changes.append(f"organisation from {person.organisation} to {organisation}")
            person.organisation = organisation
        if changes:
            stamp(person, by=by, reason="Changed " + " and ".join(changes))
            person.save()
    return person


def set_active(*, by: AnyUser, person_id: int, active: bool) -> User:
    """Deactivates someone, which ends every sign-in of theirs at once and withdraws their
    invitation, or lets them sign in again. Their organisation's API keys are the organisation's,
    and keep working."""
    with transaction.atomic():
        found = _person_under_lock(by, person_id)
        person = User.objects.select_for_update().get(pk=found.pk)
        if person.is_active == active:
            return person
        person.is_active = active
        if not active:
            person.session_generation += 1
            _withdraw_open_invitations(person, by=by, reason="The account was switched off", now=timezone.now())
        stamp(person, by=by, reason="Reactivated" if active else "Deactivated: every sign-in ended")
        person.save()
    return person


def _organisation_details(name: str, short_name: str, kind: str) -> tuple[str, str, str]:
    name = _text(name, field="name", label="Name", limit=200)
    short_name = _text(short_name, field="short_name", label="Short name", limit=60, required=False)
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": "Choose what kind of organisation it is"})
    return name, short_name, kind


def _check_names_free(partnership: Partnership, name: str, short_name: str, *, besides: int | None) -> None:
    others = Organisation.objects.filter(partnership=partnership)
    if besides is not None:
        others = others.exclude(pk=besides)
    if others.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"The partnership already has an organisation called {name}"})
    if short_name and others.filter(Q(short_name__iexact=short_name) | Q(name__iexact=short_name)).exists():
        raise ValidationError(
            {"short_name": f"Another of the partnership's organisations is already called {short_name}"}
        )


def _write_organisation(
    partnership: Partnership,
    organisation: Organisation | None,
    *,
    by: AnyUser | None,
    name: str,
    short_name: str,
    kind: str,
) -> Organisation:
    name, short_name, kind = _organisation_details(name, short_name, kind)
    _check_names_free(partnership, name, short_name, besides=organisation.pk if organisation else None)
    if organisation is None:
        organisation = Organisation(partnership=partnership)
        reason = f"Organisation added: {name}"
    elif (organisation.name, organisation.short_name, organisation.kind) == (name, short_name, kind):
        return organisation
    else:
        reason = f"Organisation changed from {organisation.name} ({organisation.short_name or 'no short name'})"
    organisation.name, organisation.short_name, organisation.kind = name, short_name, kind
    stamp(organisation, by=by, reason=reason)
    organisation.save()
    return organisation


def add_organisation(*, by: AnyUser, name: str, short_name: str, kind: str) -> Organisation:
    partnership = people_access.administered_by(by)
    with transaction.atomic():
        return _write_organisation(partnership, None, by=by, name=name, short_name=short_name, kind=kind)


def change_organisation(*, by: AnyUser, organisation_id: int, name: str, short_name: str, kind: str) -> Organisation:
    with transaction.atomic():
        found = people_access.organisation_for_administration(by, organisation_id)
        organisation = (
            Organisation.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=found.pk)
        )
        return _write_organisation(
            organisation.partnership, organisation, by=by, name=name, short_name=short_name, kind=kind
        )


def make_api_key(
    *, by: AnyUser, organisation_id: int | None, name: str, can_write: bool, expires_on: datetime.date | None
) -> tuple[ApiKey, str]:
    """A key for one of the partnership's organisations, returned with its secret, to be shown once."""
    partnership = people_access.administered_by(by)
    name = _text(name, field="name", label="Name", limit=200)
    organisation = _organisation_in(partnership, organisation_id)
    if expires_on is None:
        raise ValidationError({"expires_on": "Enter the last day the key works"})
    if expires_on < timezone.localdate():
        raise ValidationError({"expires_on": "The last day the key works must be today or in the future"})
    with transaction.atomic():
        return create_api_key(organisation=organisation, name=name, can_write=can_write, expires_on=expires_on, by=by)


def revoke_api_key(*, by: AnyUser, key_id: int) -> ApiKey:
    """Switches a key off for good. Its save drops it from the key cache (send_tracker.accounts.signals),
    so the next request made with it is refused."""
    found = people_access.api_key_for_administration(by, key_id)
    revoke_api_keys(ApiKey.objects.filter(pk=found.pk), by=by)
    return ApiKey.objects.get(pk=found.pk)


def revoke_api_keys(keys: QuerySet[ApiKey], *, by: AnyUser) -> int:
    """Revokes the keys not yet revoked, each recorded in its history; the admin's revoke action and
    `revoke_api_key` call it, once they have said whose keys `by` may revoke. Returns how many."""
    with transaction.atomic():
        revoked = list(keys.select_for_update().filter(revoked_at__isnull=True))
        for api_key in revoked:
            api_key.revoked_at = timezone.now()
            stamp(api_key, by=by, reason="API key revoked")
            api_key.save()
    return len(revoked)


# ---------------------------------------------------------------------------------------------
# A partnership from nothing (manage.py create_partnership)


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    short_name: str
    kind: str


@dataclass(frozen=True)
class NewPartnership:
    """What `create_partnership` makes: the partnership, its organisations and its first administrator."""

    name: str
    slug: str
    area_name: str
    area_code: str
    organisations: list[OrganisationDetails]
    administrator_email: str
    # The administrator's organisation, by name or short name; the first organisation if blank.
    administrator_organisation: str = ""
    administrator_first_name: str = "Administrator"
    administrator_last_name: str = ""


@dataclass(frozen=True)
class PartnershipCreated:
    partnership: Partnership
    created: bool
    administrator: User | None = None
    invitation: Invitation | None = None
    link: str = ""


def _administrator_organisation(wanted: str, organisations: list[Organisation]) -> Organisation:
    if not wanted.strip():
        return organisations[0]
    for organisation in organisations:
        if wanted.strip().lower() in (organisation.name.lower(), organisation.short_name.lower()):
            return organisation
    raise ValidationError(
        {"administrator_organisation": f"{wanted!r} is not one of the organisations given, by name or short name"}
    )


def _partnership_row(details: NewPartnership) -> Partnership:
    code = details.area_code.strip().upper()
    if not ONS_CODE.fullmatch(code):
        raise ValidationError(
            {"area_code": f"{details.area_code!r} is not an ONS code of an English local authority, like E10000025"}
        )
    partnership = Partnership(
        name=details.name.strip(), slug=details.slug.strip(), area_name=details.area_name.strip(), area_code=code
    )
    partnership.full_clean()
    return partnership


def create_partnership(details: NewPartnership) -> PartnershipCreated:
    """Makes a partnership, its organisations and its first administrator, with the administrator's
    one-time sign-in link, in one transaction: all of it or, on a bad value, none of it. A
    partnership of the same slug already there is left as it is (created is False)."""
    existing = Partnership.objects.filter(slug=details.slug.strip()).first()
    if existing is not None:
        return PartnershipCreated(partnership=existing, created=False)
    if not details.organisations:
        raise ValidationError({"organisations": "Give the partnership at least one organisation"})
    with transaction.atomic():
        partnership = _partnership_row(details)
        partnership.save()
        organisations = []
        for number, given in enumerate(details.organisations, start=1):
            try:
                organisations.append(
                    _write_organisation(
                        partnership, None, by=None, name=given.name, short_name=given.short_name, kind=given.kind
                    )
                )
            except ValidationError as error:
                raise ValidationError(f"Organisation {number} ({given.name!r}): {'; '.join(error.messages)}") from None
        organisation = _administrator_organisation(details.administrator_organisation, organisations)
        administrator, invitation, token = _add_person(
            partnership,
            by=None,
            email=details.administrator_email,
            first_name=details.administrator_first_name,
            last_name=details.administrator_last_name,
            organisation_id=organisation.pk,
            role=Role.ADMINISTRATOR,
        )
    return PartnershipCreated(
        partnership=partnership,
        created=True,
        administrator=administrator,
        invitation=invitation,
        link=invitation_link(token),
    )
