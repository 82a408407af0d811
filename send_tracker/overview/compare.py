"""Partnerships side by side, for an administrator of a regional or national instance.

Only someone who sees every partnership (a superuser) may open it; anyone else gets 404, as for
anything outside their scope. A fixed number of queries, whatever the number of partnerships:
the partnerships with their current plans, the ratings of all current plans in one aggregate, the
DfE's latest 20-week timeliness for their areas, and the latest rating of each local indicator.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from actions.choices import BRAG_DISPLAY_ORDER, Brag
from actions.models import Action, Plan, overdue_condition
from actions.reports import NOT_RATED
from kpis.choices import Rating
from kpis.models import EhcpTimeliness, Indicator, IndicatorValue
from send_tracker.accounts import access
from send_tracker.accounts.models import Partnership


@dataclass
class PartnershipRow:
    partnership: Partnership
    plan: Plan | None = None
    ratings: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    timeliness: Decimal | None = None
    timeliness_ex: Decimal | None = None
    indicators: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.ratings.values())

    @property
    def rating_cells(self) -> list[dict[str, Any]]:
        cells = [{"label": Brag(v).label, "count": self.ratings[v]} for v in BRAG_DISPLAY_ORDER]
        return [*cells, {"label": "Not yet rated", "count": self.ratings[NOT_RATED]}]

    @property
    def completed_share(self) -> int | None:
        """Per cent of actions Green or Blue: completed, or embedded."""
        if not self.total:
            return None
        return round(100 * (self.ratings[Brag.GREEN] + self.ratings[Brag.BLUE]) / self.total)


@login_required
def compare_partnerships(request: HttpRequest) -> HttpResponse:
    if not access.sees_all_partnerships(request.user):
        raise Http404("No such page.")
    rows, year = partnership_rows(timezone.localdate())
    return render(
        request,
        "dashboard/compare.html",
        {
            "rows": rows,
            "rating_labels": [Brag(v).label for v in BRAG_DISPLAY_ORDER] + ["Not yet rated"],
            "year": year,
            "kpi_ratings": Rating,
        },
    )


def partnership_rows(today: datetime.date) -> tuple[list[PartnershipRow], int | None]:
    """Every partnership's row, in name order, and the year of the DfE figures shown."""
    rows = {p.pk: PartnershipRow(p) for p in Partnership.objects.order_by("name")}
    for plan in Plan.objects.filter(is_current=True).order_by("-approved_date", "pk"):
        if plan.partnership_id in rows and rows[plan.partnership_id].plan is None:
            rows[plan.partnership_id].plan = plan
    ratings = (
        Action.objects.filter(plan__is_current=True)
        .open()
        .values("plan__partnership_id", "brag")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_condition(today)))
        .order_by()
    )
    for rating in ratings:
        row = rows.get(rating["plan__partnership_id"])
        if row is not None:
            row.ratings[rating["brag"] or NOT_RATED] += rating["n"]
            row.overdue += rating["overdue"]
    year = EhcpTimeliness.objects.filter(level="local_authority").aggregate(latest=Max("year"))["latest"]
    codes = {row.partnership.area_code: row for row in rows.values() if row.partnership.area_code}
    if year is not None and codes:
        published = EhcpTimeliness.objects.filter(level="local_authority", year=year, area_code__in=list(codes))
        for figure in published.values("area_code", "pc_within_20_weeks", "pc_within_20_weeks_ex"):
            codes[figure["area_code"]].timeliness = figure["pc_within_20_weeks"]
            codes[figure["area_code"]].timeliness_ex = figure["pc_within_20_weeks_ex"]
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-period_start", "-pk")
    indicators = Indicator.objects.annotate(latest_rating=Subquery(latest.values("rating")[:1])).values(
        "partnership_id", "latest_rating"
    )
    for indicator in indicators:
        row = rows.get(indicator["partnership_id"])
        if row is not None:
            row.indicators[indicator["latest_rating"] or "none"] += 1
    return list(rows.values()), year
