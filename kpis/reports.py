"""The KPIs' sections of the scrutiny dashboard and the public page, which send_tracker.overview
calls, as it calls every app's reports.py; and `indicator_rows`, which the KPI list shares.

`dashboard_section`: each of the partnership's indicators with its latest value, target and
direction of travel. `public_section`: the indicators marked public, with their recent trend and
the DfE's published figures for the area and for England.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest

from actions.models import Plan

from .models import EhcpTimeliness, Indicator, IndicatorValue, Target, direction_of_travel, format_tolerance

# The public page's trend: this many of the latest figures, and of the DfE's years.
TREND_POINTS = 6


def indicator_rows(indicators: QuerySet[Indicator]) -> list[dict[str, Any]]:
    """Each indicator with its latest value, target and direction of travel: for the KPI list and
    the dashboard. Three queries whatever the number of indicators.

    Only each indicator's latest TREND_POINTS values are read (the prefetch is sliced, which Django
    does with a window function in the same query): the two latest for the direction of travel, all
    of them for the trend line (kpis/templatetags/kpi_charts.py). Years of monthly figures need not
    become objects for six of them to be shown."""
    indicators = indicators.select_related("owner", "partnership").prefetch_related(
        Prefetch(
            "values",
            queryset=IndicatorValue.objects.select_related("target").order_by("-period_start")[:TREND_POINTS],
            to_attr="recent_values",
        )
    )
    rows: list[dict[str, Any]] = []
    for indicator in indicators:
        recent: list[IndicatorValue] = indicator.recent_values
        latest = recent[0] if recent else None
        previous = recent[1] if len(recent) > 1 else None
        words, arrow = direction_of_travel(
            indicator.polarity, latest.value if latest else None, previous.value if previous else None
        )
        rows.append(
            {
                "indicator": indicator,
                "latest": latest,
                "previous": previous,
                "direction": words,
                "arrow": arrow,
                "target_text": indicator.format(latest.target.value) if latest and latest.target else "",
                "tolerance_text": _tolerance_text(indicator, latest.target) if latest and latest.target else "",
            }
        )
    return rows


def _tolerance_text(indicator: Indicator, target: Target) -> str:
    return format_tolerance(target.tolerance, indicator.unit) if target.tolerance else ""


def dashboard_section(request: HttpRequest, plan: Plan | None, today: datetime.date) -> dict[str, Any]:
    if plan is None:
        return {}
    return {"kpis": indicator_rows(Indicator.objects.filter(partnership_id=plan.partnership_id))}


def public_section(plan: Plan, today: datetime.date) -> dict[str, Any]:
    partnership = plan.partnership
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
    return {"kpis": result}
