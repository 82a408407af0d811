"""The accessibility statement, in the GOV.UK model's words, which UK public sector websites must
publish (the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
Regulations 2018). No sign-in: anyone must be able to read it, and find it from every page's footer.

`/accessibility/` names the signed-in person's partnership's contacts (the instance's for everyone
else); `/public/<slug>/accessibility/` those of a partnership with a published plan, linked from its
public page.
"""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from send_tracker.accounts.models import Partnership
from send_tracker.support_links import SupportLinks, partnership_of, support_links

# Moved on when the statement is reviewed (at least once a year, as the regulations ask) and the
# walk in tests/test_accessibility_walk.py is run against the release.
PREPARED_ON = datetime.date(2026, 12, 6)
REVIEWED_ON = datetime.date(2026, 12, 6)
TESTED_ON = datetime.date(2026, 12, 6)


def _render(request: HttpRequest, links: SupportLinks, partnership: Partnership | None, public: bool) -> HttpResponse:
    return render(
        request,
        "accessibility/statement.html",
        {
            "links": links,
            "partnership": partnership,
            "public": public,
            "prepared_on": PREPARED_ON,
            "reviewed_on": REVIEWED_ON,
            "tested_on": TESTED_ON,
        },
    )


@require_safe
def statement(request: HttpRequest) -> HttpResponse:
    partnership = partnership_of(request)
    return _render(request, support_links(partnership), partnership, public=False)


@require_safe
def public_statement(request: HttpRequest, slug: str) -> HttpResponse:
    # Only a partnership with a public page has a public statement, so a slug reveals no other.
    partnership = Partnership.objects.filter(slug=slug, plans__is_public=True).distinct().first()
    if partnership is None:
        raise Http404("No published plan for this partnership.")
    return _render(request, support_links(partnership, public=True), partnership, public=True)
