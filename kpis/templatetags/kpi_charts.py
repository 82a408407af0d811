"""Each indicator's recent trend as a small line (send_tracker.charts.sparkline) on the KPI list and
the dashboard, and the same figures as a table under the list (`kpi_trend_table`).

The figures are those `kpis.reports.indicator_rows` already read (its `recent_values`, newest
first): no query more."""

from __future__ import annotations

from typing import Any

from django import template

from send_tracker.charts import sparkline

register = template.Library()


def trend_figures(row: dict[str, Any]) -> list[Any]:
    """The row's latest figures, oldest first."""
    return list(reversed(getattr(row["indicator"], "recent_values", [])))


def trend_words(figures: list[Any]) -> str:
    return "; ".join(f"{value.period.label} {value.formatted}" for value in figures)


@register.inclusion_tag("charts/_sparkline.html")
def kpi_sparkline(row: dict[str, Any]) -> dict[str, Any]:
    figures = trend_figures(row)
    words = trend_words(figures)
    line = sparkline(
        [value.value for value in figures],
        description=f"Trend of {row['indicator'].name}, oldest first: {words}.",
    )
    return {"line": line, "values": [value.value for value in figures]}


@register.inclusion_tag("charts/_kpi_trend_table.html")
def kpi_trend_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "trends": [
            {"indicator": row["indicator"], "figures": figures}
            for row in rows
            if len(figures := trend_figures(row)) > 1
        ]
    }
