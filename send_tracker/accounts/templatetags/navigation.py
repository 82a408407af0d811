"""`{% link_to 'actions:list' %}`: the path of a page that takes no arguments, reversed once per
process.

Every signed-in page's header and footer link to about ten such pages, and reversing them was a
tenth of what the dashboard cost beyond its view on every request. Their paths change only with
the URLconf and the script prefix, which key the memo. A name that does not reverse (an app left
out of INSTALLED_APPS) gives "", as `{% url ... as name %}` does, so the template can leave the
link out.
"""

from __future__ import annotations

from functools import cache

from django import template
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

register = template.Library()


@cache
def _path(name: str, urlconf: str | None, prefix: str) -> str:
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return ""


def path_of(name: str) -> str:
    """The path of the page named `name`, which takes no arguments."""
    return _path(name, get_urlconf(), get_script_prefix())


@register.simple_tag
def link_to(name: str) -> str:
    return path_of(name)
