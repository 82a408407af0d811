"""Every write a person makes to their alerts: reading them, following items, choosing delivery."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from send_tracker.accounts import access
from send_tracker.accounts.access import AnyUser

from .choices import AlertKind, Delivery, DeliveryMode
from .following import content_type_of
from .models import Alert, AlertPreference, AlertQuerySet, Follow


def mark_read(*, user: AnyUser, alert_id: int) -> Alert:
    """Mark one of the person's own alerts read. Another person's alert is 404."""
    alert = get_object_or_404(Alert.objects.for_user(user), pk=alert_id)
    if alert.read_at is None:
        alert.read_at = timezone.now()
        Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(read_at=alert.read_at)
    return alert


def mark_all_read(*, user: AnyUser) -> int:
    return Alert.objects.for_user(user).unread().update(read_at=timezone.now())


def withdraw(alerts: AlertQuerySet) -> int:
    """Alerts whose ask has been answered (the figure entered, the exception note given): read, and
    never emailed if they were still waiting. The rows stay, so the person's list still says what
    was asked; the sources raise nothing more once the ask is answered. Returns how many were unread."""
    alerts.filter(delivery__in=[Delivery.PENDING, Delivery.DIGEST]).update(delivery=Delivery.OFF, next_attempt_at=None)
    return alerts.unread().update(read_at=timezone.now())


def alerts_about(model: type[Model], subject_ids: Iterable[int] | QuerySet[Any], kind: str) -> AlertQuerySet:
    """The alerts of one kind about these items (ids, or a query of them)."""
    content_type = ContentType.objects.get_for_model(model)
    return Alert.objects.filter(subject_type=content_type, subject_id__in=subject_ids, kind=kind)


def set_following(*, user: AnyUser, subject: Model, follow: bool) -> bool:
    """Follow or stop following an item the caller has already fetched with a permission check.
    Returns whether the person follows it now. Doing it twice changes nothing."""
    someone = access.require_person(user)
    content_type = content_type_of(subject)
    if follow:
        Follow.objects.get_or_create(user=someone, subject_type=content_type, subject_id=subject.pk)
    else:
        Follow.objects.filter(user=someone, subject_type=content_type, subject_id=subject.pk).delete()
    return follow


def is_following(user: AnyUser | None, subject: Model) -> bool:
    someone = access.person(user)
    if someone is None:
        return False
    return Follow.objects.filter(user=someone, subject_type=content_type_of(subject), subject_id=subject.pk).exists()


def preferences_for(user: AnyUser) -> dict[str, str]:
    """kind -> mode for every kind; straight away where the person chose nothing."""
    chosen = dict(AlertPreference.objects.filter(user=access.require_person(user)).values_list("kind", "mode"))
    return {kind: chosen.get(kind, DeliveryMode.IMMEDIATE) for kind in AlertKind.values}


@transaction.atomic
def set_preferences(*, user: AnyUser, modes: dict[str, str]) -> None:
    """Store the person's choices. Alerts already waiting follow the new choice: one waiting to be
    emailed moves to the digest or off, and back, so changing one's mind takes effect at once."""
    someone = access.require_person(user)
    for kind, mode in modes.items():
        AlertKind(kind)  # A kind that does not exist is a programming error, not input.
        DeliveryMode(mode)
        if mode == DeliveryMode.IMMEDIATE:
            AlertPreference.objects.filter(user=someone, kind=kind).delete()
        else:
            AlertPreference.objects.update_or_create(user=someone, kind=kind, defaults={"mode": mode})
        waiting = Alert.objects.filter(recipient=someone, kind=kind)
        if mode == DeliveryMode.OFF:
            waiting.filter(delivery__in=[Delivery.PENDING, Delivery.DIGEST]).update(
                delivery=Delivery.OFF, next_attempt_at=None
            )
        elif mode == DeliveryMode.DIGEST:
            waiting.filter(delivery=Delivery.PENDING).update(delivery=Delivery.DIGEST, next_attempt_at=None)
        else:
            waiting.filter(delivery=Delivery.DIGEST).update(delivery=Delivery.PENDING, next_attempt_at=timezone.now())
