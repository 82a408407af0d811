"""The footer's support links: the accessibility statement, privacy and contact."""

from __future__ import annotations

from typing import Any

from django import template

from send_tracker.accounts.models import Partnership
from send_tracker.support_links import partnership_of, support_links

register = template.Library()


@register.inclusion_tag("includes/support_links.html", takes_context=True)
def footer_support_links(context: template.Context, partnership: Partnership | None = None) -> dict[str, Any]:
    """The links of the signed-in person's partnership, or, given one, of that partnership's public
    page (which anyone may read, signed in to any partnership or to none)."""
    if partnership is not None:
        return {"links": support_links(partnership, public=True)}
    request = context.get("request")
    return {"links": support_links(partnership_of(request) if request is not None else None)}
