"""The unread count beside "Alerts" in the service navigation."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Alert


def unread_alerts(request: HttpRequest) -> dict[str, object]:
    """One COUNT on the partial unread index, for signed-in people only, and only when a template
    reads it (lazily: a JSON view or a redirect pays nothing)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"alerts_unread": SimpleLazyObject(lambda: Alert.objects.for_user(user).unread().count())}
