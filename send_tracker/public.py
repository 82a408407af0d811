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

from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from actions.choices import Brag
from actions.models import Action, Plan
from kpis.models import EhcpTimeliness, Indicator, IndicatorValue
from send_tracker.accounts.models import Partnership

PUBLIC_CACHE_SECONDS = 300
INDEX_CACHE_KEY = "public:index:v1"
PAGE_CACHE_KEY = "public:partnership:v1:{slug}"
TREND_POINTS = 6


def _public_for_anonymous(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Lets browsers and proxies keep the page for anonymous visitors only; a signed-in person's
    page carries their name, and the middleware marks it private."""
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    return response


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    partnerships = cache.get(INDEX_CACHE_KEY)
    if partnerships is None:
        partnerships = [
            {"slug": p.slug, "area_name": p.area_name}
            for p in Partnership.objects.filter(plans__is_public=True).distinct().order_by("name")
        ]
        cache.set(INDEX_CACHE_KEY, partnerships, PUBLIC_CACHE_SECONDS)
    if len(partnerships) == 1:
        return _public_for_anonymous(request, redirect("public_partnership", slug=partnerships[0]["slug"]))
    return _public_for_anonymous(request, render(request, "public/index.html", {"partnerships": partnerships}))


@require_GET
def public_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    key = PAGE_CACHE_KEY.format(slug=slug)
    context = cache.get(key)
    if context is None:
        context = public_context(slug)
        cache.set(key, context, PUBLIC_CACHE_SECONDS)
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
    # Only the public fields are read, so an internal one cannot reach the template by accident.
    actions = (
        Action.objects.filter(plan=plan)
        .select_related("objective__priority_area")
        .only(
            "published_ref",
            "description",
            "due_date",
            "due_date_text",
            "due_date_kind",
            "brag",
            "brag_commentary",
            "brag_commentary_is_public",
            "objective__code",
            "objective__text",
            "objective__priority_area__number",
            "objective__priority_area__title",
            "objective__priority_area__description",
        )
        .order_by("objective__priority_area__number", "position", "ref")
    )
    areas: dict[int, dict[str, Any]] = {}
    for action in actions:
        area = action.objective.priority_area
        entry = areas.setdefault(area.number, {"area": area, "actions": []})
        entry["actions"].append(
            {
                "ref": action.published_ref,
                "text": action.description,
                "brag": action.brag,
                "due": action.due_date_text or action.get_due_date_kind_display(),
                "overdue": bool(
                    action.due_date and action.due_date < today and action.brag not in (Brag.GREEN, Brag.BLUE)
                ),
                "commentary": action.brag_commentary if action.brag_commentary_is_public else "",
            }
        )
    context = {
        "plan": plan,
        "partnership": plan.partnership,
        "areas": [areas[n] for n in sorted(areas)],
        "kpis": _public_kpis(plan.partnership),
        "today": today,
    }
    for section in _public_sections():
        context.update(section(plan.partnership))
    return context


def _public_kpis(partnership: Partnership) -> list[dict[str, Any]]:
    indicators = list(
        Indicator.objects.filter(partnership=partnership, is_public=True)
        .only("name", "definition", "unit", "polarity", "frequency", "dfe_measure", "partnership_id")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(is_demo=False)
                .select_related("target")
                .order_by("-period_start"),
                to_attr="public_values",
            )
        )
    )
    measures = sorted({i.dfe_measure for i in indicators if i.dfe_measure})
    published: dict[str, dict[int, dict[str, Any]]] = {}
    if measures:
        # The DfE's own figures for this area and for England, every year: one query.
        rows = EhcpTimeliness.objects.filter(
            Q(level="national") | Q(level="local_authority", area_code=partnership.area_code)
        ).values("level", "year", *measures)
        for row in rows:
            for measure in measures:
                year_row = published.setdefault(measure, {}).setdefault(row["year"], {"year": row["year"]})
                year_row["england" if row["level"] == "national" else "local"] = row[measure]
    result = []
    for indicator in indicators:
        values = indicator.public_values[:TREND_POINTS]
        for value in values:
            if value.target is not None:
                value.target.indicator = indicator  # already loaded: no query per target
        years = sorted(published.get(indicator.dfe_measure, {}).values(), key=lambda r: r["year"])
        result.append(
            {
                "indicator": indicator,
                "latest": values[0] if values else None,
                "trend": list(reversed(values)),
                "published": [r for r in years if r.get("local") is not None or r.get("england") is not None][
                    -TREND_POINTS:
                ],
            }
        )
    return result


def _public_sections() -> list[Any]:
    """Public sections other apps add: scrutiny recommendations and their published responses."""
    from recommendations.public import public_section

    return [public_section]
