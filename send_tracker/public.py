"""The public transparency page: what the partnership has promised, and how it is going.

No sign-in. Only what is marked public appears: published plans with each action's rating and
target date (commentary only where the officer marked it publishable), indicators marked public
with their trend and the England figure, and recommendations with published responses. Evidence,
internal commentary and officers' names never appear. Each page is cached for five minutes and
costs the same few queries whatever the number of partnerships in the instance.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from actions.choices import Brag
from actions.models import Action, Plan
from kpis.models import EhcpTimeliness, Indicator, IndicatorValue
from send_tracker.accounts.models import Partnership

PUBLIC_CACHE_SECONDS = 300
TREND_POINTS = 6


@require_GET
@cache_page(PUBLIC_CACHE_SECONDS)
def public_index(request: HttpRequest) -> HttpResponse:
    partnerships = list(Partnership.objects.filter(plans__is_public=True).distinct().order_by("name"))
    if len(partnerships) == 1:
        return redirect("public_partnership", slug=partnerships[0].slug)
    return render(request, "public/index.html", {"partnerships": partnerships})


@require_GET
@cache_page(PUBLIC_CACHE_SECONDS)
def public_partnership(request: HttpRequest, slug: str) -> HttpResponse:
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
    return render(request, "public/partnership.html", context)


def _public_kpis(partnership: Partnership) -> list[dict[str, Any]]:
    indicators = list(
        Indicator.objects.filter(partnership=partnership, is_public=True)
        .only("name", "definition", "unit", "polarity", "dfe_measure", "partnership_id")
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
        values = indicator.public_values[:TREND_POINTS]  # type: ignore[attr-defined]
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
