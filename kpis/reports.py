"""The KPIs' sections of the scrutiny dashboard and the public page, which send_tracker.overview
calls, as it calls every app's reports.py; and `indicator_rows`, which the KPI list shares.

`dashboard_section`: each of the partnership's indicators with its latest value, target and
direction of travel. `public_section`: the indicators marked public, with their recent trend and
the DfE's published figures for the area and for England.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone

from actions.models import Plan
from send_tracker.alerts.candidates import long_date

from .models import (
    EhcpTimeliness,
    ExceptionNote,
    Indicator,
    IndicatorQuerySet,
    IndicatorValue,
    Target,
    direction_of_travel,
    format_tolerance,
)

# The public page's trend: this many of the latest figures, and of the DfE's years.
TREND_POINTS = 6


def indicator_rows(indicators: IndicatorQuerySet, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Each indicator with its latest value, target and direction of travel, whether a figure is
    due (the period, or None) and whether its latest figure asks for an exception note or has one:
    for the KPI list and the dashboard. Three queries whatever the number of indicators.

    Only each indicator's latest TREND_POINTS values are read (the prefetch is sliced, which Django
    does with a window function in the same query): the two latest for the direction of travel, all
    of them for the trend line (kpis/templatetags/kpi_charts.py). Years of monthly figures need not
    become objects for six of them to be shown."""
    day = today or timezone.localdate()
    indicators = (
        indicators.with_due_figure(day)
        .select_related("owner", "partnership")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.select_related("target", "exception_note").order_by("-period_start")[
                    :TREND_POINTS
                ],
                to_attr="recent_values",
            )
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
                "figure_due": indicator.figure_due(day),
                "note_asked": latest is not None and latest.asks_for_exception_note,
                "exception_note": latest.note_for_exception if latest else None,
            }
        )
    return rows


def _tolerance_text(indicator: Indicator, target: Target) -> str:
    return format_tolerance(target.tolerance, indicator.unit) if target.tolerance else ""


def dashboard_section(request: HttpRequest, plan: Plan | None, today: datetime.date) -> dict[str, Any]:
    """The indicators against target, and `figures_due`: the rows of those whose figure for the
    last complete period is not in (the same rows, so no query more)."""
    if plan is None:
        return {}
    rows = indicator_rows(Indicator.objects.filter(partnership_id=plan.partnership_id), today)
    return {
        "kpis_section_template": "kpis/_dashboard_section.html",
        "kpis": rows,
        "figures_due": [row for row in rows if row["figure_due"]],
    }


def exception_notes(value_ids: Iterable[int], on: datetime.date | None = None) -> dict[int, str]:
    """The exception note on each of these figures as one line of text, for a board pack: as it
    stood at the end of `on` (a meeting's day), read from the notes' history, or as it stands now.
    One query; a figure with no note then is left out."""
    history = ExceptionNote.history.model
    records = history._default_manager.filter(value_id__in=list(value_ids))
    if on is not None:
        end = datetime.datetime.combine(on + datetime.timedelta(days=1), datetime.time.min)
        records = records.filter(history_date__lt=timezone.make_aware(end))
    latest: dict[int, Any] = {}
    for record in records.order_by("history_date", "history_id"):
        latest[record.value_id] = record
    return {
        value_id: f"Why: {record.reason} What is being done: {record.action} "
        f"Back on target by {long_date(record.recovery_date)}."
        for value_id, record in latest.items()
        if record.history_type != "-"
    }


def asks_of(organisation_id: int, today: datetime.date) -> dict[str, Any]:
    """What an organisation owes on its indicators: `figures_due`, each indicator with the period
    whose figure is not in, and `notes_asked`, the latest figures that missed and have no exception
    note. Two queries."""
    owned = Indicator.objects.filter(owner_id=organisation_id)
    due = [(indicator, indicator.figure_due(today)) for indicator in owned.figures_due(today).order_by("name", "pk")]
    asked = (
        IndicatorValue.objects.asking_for_exception_note()
        .filter(indicator__owner_id=organisation_id)
        .select_related("indicator")
        .order_by("indicator__name", "pk")
    )
    return {"figures_due": due, "notes_asked": list(asked)}


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
