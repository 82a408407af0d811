"""The unread count beside "Alerts" in the service navigation."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from send_tracker.accounts import access
from send_tracker.accounts.models import User

from . import unread
from .models import Alert


def unread_alerts(request: HttpRequest) -> dict[str, object]:
    """For signed-in people only, and only when a template reads it (lazily: a JSON view or a
    redirect pays nothing): kept in the cache per person (send_tracker.alerts.unread), else one
    COUNT on the partial unread index."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    someone = access.person(user)
    if someone is None:
        return {"alerts_unread": 0}  # an API key has no alerts
    return {"alerts_unread": SimpleLazyObject(lambda: unread.count_for(someone.pk, lambda: _count(someone)))}


def _count(person: User) -> int:
    return Alert.objects.for_user(person).unread().count()
