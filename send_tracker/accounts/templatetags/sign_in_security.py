from typing import Any

from django import template

from send_tracker.accounts import second_factor

register = template.Library()


@register.filter
def must_use_second_factor(user: Any) -> bool:
    """Whether the person may not turn their second factor off (Sign-in security page)."""
    return second_factor.must_use_second_factor(user)
