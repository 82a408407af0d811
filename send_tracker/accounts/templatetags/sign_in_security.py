from typing import Any

from django import template

from send_tracker.accounts import second_factor

register = template.Library()


@register.filter
def must_use_second_factor(user: Any) -> bool:
    """Whether the person may not turn their second factor off (Sign-in security page)."""
    return second_factor.must_use_second_factor(user)


@register.filter
def has_passkey(user: Any) -> bool:
    """Whether the second step of signing in offers the person their passkey."""
    return second_factor.has_passkey(user)
