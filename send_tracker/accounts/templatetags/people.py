"""`{% load people %}{% if user|administers_partnership %}`: whether the header offers the partnership
administrator's pages (send_tracker/accounts/people_views.py)."""

from __future__ import annotations

from django import template

from send_tracker.accounts import access
from send_tracker.accounts.access import AnyUser

register = template.Library()


@register.filter
def administers_partnership(user: AnyUser) -> bool:
    return access.administers(user)
