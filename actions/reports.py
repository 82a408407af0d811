"""Read-only summaries of a plan for pages that show many actions at once (overview, dashboard)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from .choices import BRAG_DEFINITIONS, BRAG_DISPLAY_ORDER, Brag
from .models import Action, Plan, PriorityArea, overdue_condition

NOT_RATED = "none"


@dataclass
class AreaRatings:
    area: PriorityArea
    counts: Counter[str] = field(default_factory=Counter)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ratings(self) -> list[dict[str, Any]]:
        """Every rating in board order, then "not yet rated", each with its count."""
        rows = [{"value": v, "label": Brag(v).label, "count": self.counts[v]} for v in BRAG_DISPLAY_ORDER]
        return rows + [{"value": NOT_RATED, "label": "Not yet rated", "count": self.counts[NOT_RATED]}]


def ratings_by_area(plan: Plan, today: datetime.date) -> list[AreaRatings]:
    """Counts of actions by rating for each priority area: one query for the whole plan."""
    overdue = overdue_condition(today, "objectives__actions__")
    counts: dict[str, Any] = {
        f"n_{value}": Count("objectives__actions", filter=Q(objectives__actions__brag=value))
        for value in BRAG_DISPLAY_ORDER
    }
    counts[f"n_{NOT_RATED}"] = Count(
        "objectives__actions",
        filter=Q(objectives__actions__isnull=False)
        & (Q(objectives__actions__brag__isnull=True) | Q(objectives__actions__brag="")),
    )
    areas = plan.priority_areas.annotate(**counts, n_overdue=Count("objectives__actions", filter=overdue))
    result = []
    for area in areas:
        summary = AreaRatings(area, overdue=area.n_overdue)
        for value in [*BRAG_DISPLAY_ORDER, NOT_RATED]:
            if n := getattr(area, f"n_{value}"):
                summary.counts[value] = n
        result.append(summary)
    return result


def plan_totals(areas: list[AreaRatings]) -> list[dict[str, Any]]:
    totals: Counter[str] = Counter()
    for area in areas:
        totals.update(area.counts)
    return [
        {"value": v, "label": Brag(v).label, "count": totals[v], "definition": BRAG_DEFINITIONS[v]}
        for v in BRAG_DISPLAY_ORDER
    ] + [
        {
            "value": NOT_RATED,
            "label": "Not yet rated",
            "count": totals[NOT_RATED],
            "definition": "No rating recorded yet.",
        }
    ]


def slipping_actions(
    plan: Plan, today: datetime.date, *, within_days: int = 14, limit: int = 50
) -> list[dict[str, Any]]:
    """Overdue or slipping: overdue, rated Red, or due within the next fortnight and not yet Amber
    or better (Amber, Green and Blue all say the action is on track)."""
    soon = today + datetime.timedelta(days=within_days)
    on_track = [Brag.AMBER, Brag.GREEN, Brag.BLUE]
    overdue = overdue_condition(today)
    due_soon = Q(due_date__gte=today, due_date__lte=soon) & (Q(brag__isnull=True) | ~Q(brag__in=on_track))
    actions = (
        Action.objects.filter(plan=plan)
        .filter(overdue | Q(brag=Brag.RED) | due_soon)
        .select_related("owner")
        .order_by("due_date", "position")[:limit]
    )
    rows = []
    for action in actions:
        if action.due_date and action.due_date < today and action.brag not in (Brag.GREEN, Brag.BLUE):
            reason = f"Overdue by {(today - action.due_date).days} days"
        elif action.brag == Brag.RED:
            reason = "Rated Red"
        else:
            days = (action.due_date - today).days if action.due_date else 0
            reason = "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}"
        rows.append({"action": action, "reason": reason})
    return rows
