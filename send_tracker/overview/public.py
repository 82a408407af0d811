"""The public transparency page: what the partnership has promised, and how it is going.

No sign-in. Only what is marked public appears: published plans with each action's rating and
target date (commentary only where the officer marked it publishable), indicators marked public
with their trend and the England figure, and recommendations with published responses. Evidence,
internal commentary and officers' names never appear. Each page costs the same few queries whatever
the number of partnerships in the instance.

What is cached (for five minutes) is the page's content, the same for everyone; the page around it
is rendered for each request, since its header names whoever is signed in. A cached whole page
would show one visitor's name and Sign out button to the next. Anonymous visitors' answers say
`Cache-Control: public`; a signed-in person's get send_tracker.middleware's `private, no-store`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from actions import reports as actions_reports
from actions.models import Plan
from kpis import reports as kpis_reports
from recommendations import reports as recommendations_reports
from send_tracker import freshness
from send_tracker.accounts.models import Partnership

PUBLIC_CACHE_SECONDS = 300
INDEX_CACHE_KEY = "public:index:v1"
PAGE_CACHE_KEY = "public:partnership:v1:{slug}"

# Each app's public section, in the page's order: the plan, the KPIs, scrutiny's recommendations and
# the published responses. Each takes (the published plan, today) and returns its part of the context.
SECTIONS = (actions_reports.public_section, kpis_reports.public_section, recommendations_reports.public_section)


def _public_for_anonymous(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Lets browsers and proxies keep the page for anonymous visitors only; a signed-in person's
    page carries their name, and the middleware marks it private."""
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    return response


@require_safe
def public_index(request: HttpRequest) -> HttpResponse:
    partnerships = freshness.cached(INDEX_CACHE_KEY)
    if partnerships is None:
        partnerships = [
            {"slug": p.slug, "area_name": p.area_name}
            for p in Partnership.objects.filter(plans__is_public=True).distinct().order_by("name")
        ]
        freshness.keep(INDEX_CACHE_KEY, partnerships, PUBLIC_CACHE_SECONDS)
    if len(partnerships) == 1:
        return _public_for_anonymous(request, redirect("public_partnership", slug=partnerships[0]["slug"]))
    return _public_for_anonymous(request, render(request, "public/index.html", {"partnerships": partnerships}))


@require_safe
def public_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    key = PAGE_CACHE_KEY.format(slug=slug)
    context = freshness.cached(key)
    if context is None:
        context = public_context(slug)
        freshness.keep(key, context, PUBLIC_CACHE_SECONDS)
    return _public_for_anonymous(request, render(request, "public/partnership.html", context))


def public_context(slug: str) -> dict[str, Any]:
    """Everything the public page shows of a partnership: the same for every visitor, so cacheable."""
    plan = (
        Plan.objects.filter(partnership__slug=slug, is_public=True)
        .select_related("partnership")
        .order_by("-is_current", "pk")
        .first()
    )
    if plan is None:
        raise Http404("No published plan for this partnership.")
    today = timezone.localdate()
    context: dict[str, Any] = {"plan": plan, "partnership": plan.partnership, "today": today}
    for section in SECTIONS:
        context.update(section(plan, today))
    return context
