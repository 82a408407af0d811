from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from send_tracker import freshness
from send_tracker.history import ChangeActor

from .choices import OrganisationKind, Role

logger = logging.getLogger(__name__)

# How long send_tracker.api.keys keeps a key it has looked up. Every change through the ORM drops it
# at once (below, and send_tracker.accounts.signals); this bounds what could outlive a change made
# behind the ORM's back (raw SQL), or in another process's memory cache when several server
# processes run without REDIS_URL.
API_KEY_CACHE_SECONDS = 60
# Left in a key's place when it changes, for as long as a key is cached: a request that read the
# old row just before the change commits may only `add` to the cache, and finds this in the way.
FORGOTTEN = "forgotten"


def api_key_cache_key(prefix: str) -> str:
    """Where send_tracker.api.keys keeps a key it has looked up, so that a request need not ask the
    database who its key belongs to."""
    return f"api-key:{prefix}"


def forget_cached_api_keys(prefixes: Iterable[str]) -> None:
    """Puts FORGOTTEN in place of these keys, now and again when the change commits."""
    entries = {api_key_cache_key(prefix): FORGOTTEN for prefix in prefixes}
    if entries:
        _forget(entries)
        transaction.on_commit(lambda: _forget(entries), robust=True)


def _forget(entries: dict[str, str]) -> None:
    # A cache that does not answer must not undo a revocation: the database change stands, and a
    # key cached before it lapses within API_KEY_CACHE_SECONDS.
    try:
        cache.set_many(entries, timeout=API_KEY_CACHE_SECONDS)
    except Exception:
        logger.exception("Could not drop %d API key(s) from the cache", len(entries))


# A link in every page's footer: never to a page that could be changed on its way to the reader.
HTTPS_ONLY = URLValidator(schemes=["https"], message="Enter a web address beginning https://", code="not_https")


class Partnership(models.Model):
    """A local area partnership (LAP): the bodies jointly responsible for SEND in one area.

    One instance of the tracker may hold many partnerships (a regional or national body may run
    it for several areas), so every plan and every query is scoped to one.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    area_name = models.CharField(max_length=200, help_text="The local authority area, as the DfE names it.")
    area_code = models.CharField(
        max_length=20, blank=True, help_text="ONS code of the local authority, e.g. E10000025."
    )
    region = models.CharField(max_length=100, blank=True)
    # Shown in the footer of the partnership's pages (its people's and its public page) and in its
    # accessibility statement. Left blank, the instance's settings (PRIVACY_URL and the rest) apply.
    privacy_url = models.URLField(
        "privacy notice",
        max_length=500,
        blank=True,
        validators=[HTTPS_ONLY],
        help_text="Address of the privacy notice for this service, beginning https://.",
    )
    contact_url = models.URLField(
        "contact page",
        max_length=500,
        blank=True,
        validators=[HTTPS_ONLY],
        help_text="Address of a page saying how to contact the partnership, beginning https://.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Used for the footer's Contact link when there is no contact page."
    )
    accessibility_contact_email = models.EmailField(
        "accessibility contact email",
        blank=True,
        help_text="Where people report an accessibility problem or ask for information in another format. "
        "The contact email is used when this is blank.",
    )
    # Administrators use a second factor whatever this says (send_tracker.accounts.second_factor).
    require_second_factor = models.BooleanField(
        "everyone uses a second factor",
        default=False,
        help_text="Everyone in the partnership must sign in with a code from an authenticator app as well as "
        "their password. Administrators always must.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SingleSignOnProvider(models.Model):
    """An organisation's own sign-in service (Microsoft Entra ID, which NHSmail is too, Google
    Workspace or any OpenID Connect provider), set up by an administrator of the whole instance, and
    the organisations whose people may sign in with it instead of a password.

    Someone signs in through it only to an account that already exists in one of those organisations,
    found by the email address the provider vouches for (send_tracker.accounts.single_sign_on).
    """

    name = models.CharField(max_length=100, help_text="As the sign-in page shows it, e.g. ‘NHSmail’.")
    slug = models.SlugField(
        max_length=50,
        unique=True,
        help_text="Part of the address the provider sends people back to: /accounts/oidc/<slug>/login/callback/.",
    )
    issuer = models.URLField(
        "issuer URL",
        max_length=500,
        help_text="e.g. https://login.microsoftonline.com/<tenant id>/v2.0 (its /.well-known/openid-configuration "
        "is read from there).",
    )
    client_id = models.CharField("client ID", max_length=200)
    client_secret = models.CharField(max_length=500)
    emails_are_verified = models.BooleanField(
        default=False,
        help_text="The provider's email addresses belong to the organisations themselves (an organisation's own "
        "Microsoft Entra ID, whose tokens carry no email_verified claim). Otherwise an address must be "
        "marked verified in the token.",
    )
    organisations: models.ManyToManyField[Organisation, Any] = models.ManyToManyField(
        "Organisation", blank=True, related_name="single_sign_on_providers"
    )
    is_enabled = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "single sign-on provider"

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    # Moving organisations in bulk bypasses save() and its signal, and a key's reach follows its
    # organisation's partnership, so the organisations' keys are dropped from the cache here, and
    # the pages that name them are built again (send_tracker.freshness).
    def update(self, **kwargs: Any) -> int:
        prefixes = list(ApiKey.objects.filter(organisation__in=self).values_list("prefix", flat=True))
        partnerships = set(self.values_list("partnership_id", flat=True))
        count = super().update(**kwargs)
        forget_cached_api_keys(prefixes)
        moved_to = kwargs.get("partnership", kwargs.get("partnership_id"))
        if moved_to is not None:
            partnerships.add(getattr(moved_to, "pk", moved_to))
        freshness.bump_many(partnerships)
        return count

    update.alters_data = True  # type: ignore[attr-defined]


class Organisation(models.Model):
    """A partner body within a partnership: the council, the ICB, an NHS trust, the parent carer forum."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor])

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="organisation_unique_name_in_partnership")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person who signs in: an officer, a scrutiny councillor, a partner, or an administrator.

    Each belongs to one partner organisation and so to one partnership; a superuser may belong to
    none and sees every partnership.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTNER)
    job_title = models.CharField(max_length=200, blank=True)
    # Raised when the person is deactivated: it is part of the hash every session carries, so each
    # of their sign-ins ends at once, and stays ended if they are reactivated.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["password", "last_login", "session_generation"])

    def get_session_auth_hash(self) -> str:
        return self._session_hash(None)

    def get_session_auth_fallback_hash(self) -> Iterable[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(str(secret))

    def _session_hash(self, secret: str | None) -> str:
        # Generation 0 keeps Django's own hash, so the sessions of people never deactivated live on.
        salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = self.password if not self.session_generation else f"{self.password}:{self.session_generation}"
        return salted_hmac(salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def partnership_id(self) -> int | None:
        return self.organisation.partnership_id if self.organisation_id and self.organisation else None

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        # A superuser's role field keeps its default (Partner), which says nothing of what they do.
        if self.is_superuser:
            return "Instance administrator"
        return Role(self.role).label


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def usable(self, today: datetime.date) -> ApiKeyQuerySet:
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )

    # A bulk change (the admin's revoke action, a shell session) bypasses save() and its signal, so
    # it drops the cached keys itself: a revoked key stops working at once.
    def update(self, **kwargs: Any) -> int:
        prefixes = list(self.values_list("prefix", flat=True))
        count = super().update(**kwargs)
        forget_cached_api_keys(prefixes)
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        prefixes = list(self.values_list("prefix", flat=True))
        result = super().delete()
        forget_cached_api_keys(prefixes)
        return result

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    def record_use(self, moment: datetime.datetime) -> int:
        """Sets last_used_at. It plays no part in checking a key, so cached keys are kept."""
        return super().update(last_used_at=moment)


class ApiKey(models.Model):
    """A partner organisation's key to the REST API (for Power BI, Excel or its own systems).

    Only a SHA-256 hash of the key is stored; the key itself is shown once, when it is made. A read
    key reads what its organisation may read; a write key may also update the actions its
    organisation owns.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200, help_text="What the key is for, e.g. 'ICB Power BI'.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    can_write = models.BooleanField(default=False, help_text="May update the actions its organisation owns.")
    expires_on = models.DateField(null=True, blank=True, help_text="The last day the key works.")
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Set to switch the key off for good.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation}, {'read and write' if self.can_write else 'read only'})"

    def is_usable(self, today: datetime.date) -> bool:
        """ApiKeyQuerySet.usable, for one key in hand."""
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= today)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    # Read by send_tracker.freshness and the admin's scope, as a PartnershipScopedQuerySet's is.
    partnership_path = "person__organisation__partnership"

    def open(self, now: datetime.datetime) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A one-time link an administrator sends a person they add to the partnership: opened before it
    expires, it lets the person choose a password, and signs them in. Only a hash of the link's
    secret is kept; a new invitation to the same person withdraws the one before.
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["token_hash"])

    class Meta:
        ordering = ["person", "-sent_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.person.email or self.person.username}"

    def state(self, now: datetime.datetime) -> str:
        """'accepted', 'withdrawn', 'expired' or 'pending'."""
        if self.accepted_at is not None:
            return "accepted"
        if self.withdrawn_at is not None:
            return "withdrawn"
        return "expired" if self.expires_at <= now else "pending"
