"""Read-only summaries of a plan for pages that show many actions at once (the plan's overview),
and the plan's sections of the scrutiny dashboard and the public page (`dashboard_section`,
`public_section`), which send_tracker.overview calls, as it calls every app's reports.py."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from .baseline import slipped_in_each_area
from .choices import BRAG_DEFINITIONS, BRAG_DISPLAY_ORDER, ActionStatus, Brag
from .forum import disagreements_in_each_area, public_views
from .models import Action, Plan, PriorityArea, overdue_condition

NOT_RATED = "none"


@dataclass
class AreaRatings:
    area: PriorityArea
    counts: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    retired: int = 0
    slipped: int = 0  # target date later now than at sign-off
    forum_disagreements: int = 0  # open actions whose rating now the forum disagrees with

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ratings(self) -> list[dict[str, Any]]:
        """Every rating in board order, then "not yet rated", each with its count."""
        rows = [{"value": v, "label": Brag(v).label, "count": self.counts[v]} for v in BRAG_DISPLAY_ORDER]
        return rows + [{"value": NOT_RATED, "label": "Not yet rated", "count": self.counts[NOT_RATED]}]


def ratings_by_area(plan: Plan, today: datetime.date) -> list[AreaRatings]:
    """Counts of open actions by rating for each priority area, of retired ones, and of those whose
    target date slipped since sign-off: one query for the whole plan. A retired action is in no
    rating's count."""
    overdue = overdue_condition(today, "objectives__actions__")
    still_open = Q(objectives__actions__status=ActionStatus.OPEN)
    counts: dict[str, Any] = {
        f"n_{value}": Count("objectives__actions", filter=still_open & Q(objectives__actions__brag=value))
        for value in BRAG_DISPLAY_ORDER
    }
    counts[f"n_{NOT_RATED}"] = Count(
        "objectives__actions",
        filter=still_open & (Q(objectives__actions__brag__isnull=True) | Q(objectives__actions__brag="")),
    )
    retired = Q(objectives__actions__status=ActionStatus.RETIRED)
    slipped = slipped_in_each_area(plan)
    if slipped is not None:
        counts["n_slipped"] = slipped
    counts["n_forum_disagreements"] = disagreements_in_each_area()
    areas = plan.priority_areas.annotate(
        **counts,
        n_overdue=Count("objectives__actions", filter=overdue),
        n_retired=Count("objectives__actions", filter=retired),
    )
    result = []
    for area in areas:
        summary = AreaRatings(
            area,
            overdue=area.n_overdue,
            retired=area.n_retired,
            slipped=getattr(area, "n_slipped", 0),
            forum_disagreements=area.n_forum_disagreements,
        )
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
    plan: Plan, today: datetime.date, *, within_days: int = 14, limit: int = 50, owner_id: int | None = None
) -> list[dict[str, Any]]:
    """Overdue or slipping: overdue, rated Red, or due within the next fortnight and not yet Amber
    or better (Amber, Green and Blue all say the action is on track). Only one organisation's with
    `owner_id` (a person's own, send_tracker/overview/mine.py)."""
    soon = today + datetime.timedelta(days=within_days)
    on_track = [Brag.AMBER, Brag.GREEN, Brag.BLUE]
    overdue = overdue_condition(today)
    due_soon = Q(due_date__gte=today, due_date__lte=soon) & (Q(brag__isnull=True) | ~Q(brag__in=on_track))
    owned = {"owner_id": owner_id} if owner_id is not None else {}
    actions = (
        Action.objects.filter(plan=plan, **owned)
        .open()
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


def dashboard_section(request: HttpRequest, plan: Plan | None, today: datetime.date) -> dict[str, Any]:
    """The plan on the dashboard: ratings by priority area and in all, what is overdue, what slips."""
    if plan is None:
        return {}
    areas = ratings_by_area(plan, today)
    return {
        "areas": areas,
        "totals": plan_totals(areas),
        "total_actions": sum(area.total for area in areas),
        "total_overdue": sum(area.overdue for area in areas),
        "total_retired": sum(area.retired for area in areas),
        "slipping": slipping_actions(plan, today),
        # Before sign-off there is no baseline to slip from: the line is left out.
        "slipped_since_sign_off": sum(area.slipped for area in areas) if plan.approved_date else None,
        # Open actions whose rating now the parent carer forum's latest view disagrees with.
        "forum_disagreements": sum(area.forum_disagreements for area in areas),
    }


def public_section(plan: Plan, today: datetime.date) -> dict[str, Any]:
    """The published plan on the public page: each action's rating and target date, and its
    commentary only where the officer marked it publishable. A retired action stays, marked so."""
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
            "status",
            "objective__code",
            "objective__text",
            "objective__priority_area__number",
            "objective__priority_area__title",
            "objective__priority_area__description",
        )
        .order_by("objective__priority_area__number", "position", "ref")
    )
    areas: dict[int, dict[str, Any]] = {}
    forum = public_views(plan)
    for action in actions:
        area = action.objective.priority_area
        entry = areas.setdefault(area.number, {"area": area, "actions": []})
        entry["actions"].append(
            {
                "ref": action.published_ref,
                "text": action.description,
                "brag": action.brag,
                "due": action.due_date_text or action.get_due_date_kind_display(),
                "overdue": action.is_overdue(today),
                "retired": action.is_retired,
                "commentary": action.brag_commentary if action.brag_commentary_is_public else "",
                "forum": forum.get(action.pk),
            }
        )
    return {"areas": [areas[n] for n in sorted(areas)]}
