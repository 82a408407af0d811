from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from .. import services
from ..following import subject_key as key_of

register = template.Library()


@register.simple_tag(takes_context=True)
def following(context: dict[str, Any], subject: Model) -> bool:
    """Whether the signed-in person follows the item: one EXISTS query."""
    return services.is_following(context.get("user"), subject)


@register.filter
def subject_key(subject: Model) -> str:
    return key_of(subject)
