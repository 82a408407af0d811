"""The footer's support links (accessibility statement, privacy, contact) and the accessibility
statement's contacts, for the partnership a page belongs to.

A partnership's own values (set by its administrator in the admin) apply on its people's pages and
on its public page; where a partnership leaves one blank, or a page belongs to no partnership (sign-in,
the public index, an instance administrator's pages), the instance's settings apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from send_tracker.accounts import access
from send_tracker.accounts.models import Partnership
from send_tracker.accounts.templatetags.navigation import path_of


@dataclass(frozen=True)
class SupportLinks:
    """Who runs the pages and how to reach them, as the footer and the accessibility statement say."""

    operator: str
    privacy_url: str
    contact_url: str
    contact_email: str
    accessibility_email: str
    statement_url: str

    @property
    def contact_href(self) -> str:
        if self.contact_url:
            return self.contact_url
        return f"mailto:{self.contact_email}" if self.contact_email else ""


def support_links(partnership: Partnership | None, *, public: bool = False) -> SupportLinks:
    """The links for a page of `partnership` (None: a page of no partnership). A public page's
    statement is the partnership's public one, which needs no sign-in to read."""
    own = partnership or Partnership()
    # A partnership's contact (page or email) replaces the instance's as a whole: the instance's
    # contact page must not win over the partnership's own email address.
    if own.contact_url or own.contact_email:
        contact_url, contact_email = own.contact_url, own.contact_email
    else:
        contact_url, contact_email = settings.CONTACT_URL, settings.CONTACT_EMAIL
    if own.accessibility_contact_email or own.contact_email:
        accessibility_email = own.accessibility_contact_email or own.contact_email
    else:
        accessibility_email = settings.ACCESSIBILITY_CONTACT_EMAIL or settings.CONTACT_EMAIL
    if partnership is not None and public:
        statement_url = reverse("public_accessibility", args=[partnership.slug])
    else:
        statement_url = path_of("accessibility")
    return SupportLinks(
        operator=own.name or settings.SERVICE_OPERATOR,
        privacy_url=own.privacy_url or settings.PRIVACY_URL,
        contact_url=contact_url,
        contact_email=contact_email,
        accessibility_email=accessibility_email,
        statement_url=statement_url,
    )


def partnership_of(request: HttpRequest) -> Partnership | None:
    """The signed-in person's partnership; None for a visitor or an instance administrator."""
    return access.partnership_of(getattr(request, "user", None))
