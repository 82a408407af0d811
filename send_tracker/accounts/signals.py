"""Keeps the API key cache (send_tracker.api.keys) true to the database.

A key is cached with its organisation and partnership, so a change to any of the three drops the
keys concerned (bulk updates do the same in the models' querysets): a revoked key, or an
organisation moved to another partnership, takes effect on the next request.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import ApiKey, Organisation, Partnership, forget_cached_api_keys


@receiver([post_save, post_delete], sender=ApiKey)
def forget_key(sender: type[ApiKey], instance: ApiKey, created: bool = False, **kwargs: Any) -> None:
    if not created:  # a new key cannot be in the cache yet
        forget_cached_api_keys([instance.prefix])


@receiver([post_save, post_delete], sender=Organisation)
def forget_organisation_keys(sender: type[Organisation], instance: Organisation, **kwargs: Any) -> None:
    forget_cached_api_keys(ApiKey.objects.filter(organisation_id=instance.pk).values_list("prefix", flat=True))


@receiver([post_save, post_delete], sender=Partnership)
def forget_partnership_keys(sender: type[Partnership], instance: Partnership, **kwargs: Any) -> None:
    forget_cached_api_keys(
        ApiKey.objects.filter(organisation__partnership_id=instance.pk).values_list("prefix", flat=True)
    )


def record_sign_in(sender: type, request: Any, user: Any, **kwargs: Any) -> None:
    """Django's update_last_login, written without saving the person: a sign-in is not a change
    to them, so it writes no history row and leaves their partnership's data version (and its
    cached dashboard) alone. Connected in place of Django's own in AccountsConfig.ready."""
    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)
