"""The public transparency page: what the partnership has promised, and how it is going.

No sign-in. Only what is marked public appears: published plans with each action's rating and
target date (commentary only where the officer marked it publishable), indicators marked public
with their trend and the England figure, and recommendations with published responses. Evidence,
internal commentary and officers' names never appear. Each page costs the same few queries whatever
the number of partnerships in the instance.

What is cached is the page's content, the same for everyone, under its partnership's data version
(send_tracker.freshness), so a change shows on the next visit; the page around it is rendered for
each request, since its header names whoever is signed in. A cached whole page
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
from send_tracker.overview import headlines

PUBLIC_CACHE_SECONDS = 300
# How long browsers and proxies may keep an anonymous visitor's page: the server's copy is exact,
# theirs cannot be told of a change, so it is kept short.
PUBLIC_MAX_AGE_SECONDS = 60
PAGE_CACHE_KEY = "public:partnership:v2:{slug}"

# Each app's public section, in the page's order: the plan, the KPIs, scrutiny's recommendations and
# the published responses. Each takes (the published plan, today) and returns its part of the context.
SECTIONS = (actions_reports.public_section, kpis_reports.public_section, recommendations_reports.public_section)


def _public_for_anonymous(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Lets browsers and proxies keep the page for anonymous visitors only; a signed-in person's
    page carries their name, and the middleware marks it private."""
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE_SECONDS)
    return response


@require_safe
def public_index(request: HttpRequest) -> HttpResponse:
    # One small query, not cached: publishing or withdrawing a plan shows here at once.
    partnerships = list(Partnership.objects.filter(plans__is_public=True).distinct().order_by("name"))
    if len(partnerships) == 1:
        return _public_for_anonymous(request, redirect("public_partnership", slug=partnerships[0].slug))
    return _public_for_anonymous(request, render(request, "public/index.html", {"partnerships": partnerships}))


@require_safe
def public_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    return _public_for_anonymous(request, render(request, "public/partnership.html", _public_content(slug)))


def _public_content(slug: str) -> dict[str, Any]:
    """The page's content from the cache while its partnership's data version is the one it was
    built under (send_tracker.freshness): withdrawing a plan, or a commentary from publication,
    shows on the next visit. A warm page asks the database nothing."""
    key = PAGE_CACHE_KEY.format(slug=slug)
    entry = freshness.cached(key)
    if entry is not None and freshness.is_current(entry["partnership"], entry["version"]):
        return dict(entry["context"])
    partnership_id = entry["partnership"] if entry is not None else _partnership_id(slug)
    # The version is read before the content is built, as the dashboard does.
    version = freshness.current_version(partnership_id)
    context = public_context(slug)
    if version is not None:
        freshness.keep(
            key, {"partnership": partnership_id, "version": version, "context": context}, PUBLIC_CACHE_SECONDS
        )
    return context


def _partnership_id(slug: str) -> int:
    found = Partnership.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if found is None:
        raise Http404("No published plan for this partnership.")
    return found


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
    context["summary"] = headlines.public_summary(context.get("areas", []))
    return context
