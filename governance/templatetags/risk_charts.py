"""The risk register's heat maps: open risks by likelihood and impact, before and after
mitigation, drawn by send_tracker.charts.heat_map, each with its figures as a table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from send_tracker.charts import Band, HeatMap, heat_map

from ..choices import RiskLevel, RiskStatus
from ..models import RiskScores

register = template.Library()

# The register's bands (governance.models.risk_level), each a light tint under black text: the
# band is said in the key and the table, and each cell carries its score and count as text.
BANDS: tuple[Band, ...] = (
    Band(RiskLevel.LOW, RiskLevel.LOW.label, "#cce2d8", 1, 4),
    Band(RiskLevel.MEDIUM, RiskLevel.MEDIUM.label, "#fff7bf", 5, 9),
    Band(RiskLevel.HIGH, RiskLevel.HIGH.label, "#fce2a8", 10, 15),
    Band(RiskLevel.VERY_HIGH, RiskLevel.VERY_HIGH.label, "#f4cdc6", 16, 25),
)


def risk_heat_maps(risks: Iterable[RiskScores]) -> list[HeatMap]:
    """Before and after mitigation, for the risks given (the open ones, as the register shows them)."""
    open_risks = [r for r in risks if getattr(r, "status", RiskStatus.OPEN) == RiskStatus.OPEN]
    maps = []
    for key, when, pairs in (
        ("before", "before mitigation", [(r.likelihood_before, r.impact_before) for r in open_risks]),
        ("after", "after mitigation", [(r.likelihood_after, r.impact_after) for r in open_risks]),
    ):
        counted = {pair: pairs.count(pair) for pair in set(pairs)}
        words = "; ".join(
            f"likelihood {likelihood}, impact {impact}: {n} risk{'s' if n != 1 else ''}"
            for (likelihood, impact), n in sorted(counted.items(), reverse=True)
        )
        maps.append(
            heat_map(
                pairs,
                BANDS,
                title=f"Open risks {when}",
                key=key,
                description=f"{len(pairs)} open risks by likelihood and impact {when}. {words or 'None'}.",
            )
        )
    return maps


@register.inclusion_tag("charts/_risk_heat_maps.html")
def risk_heat_map_pair(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """`{% risk_heat_map_pair rows %}` on the risk register: rows of {"risk": Risk}."""
    return {"maps": risk_heat_maps(row["risk"] for row in rows), "bands": BANDS}
