"""The scrutiny dashboard: the home page after sign-in.

One question before a meeting: is the improvement on track, and where is it not? Every figure
links to the list behind it. Each section reads one partnership's plan, so the number of queries
does not grow with the number of partnerships in the instance.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from actions import access as action_access
from actions.reports import plan_totals, ratings_by_area, slipping_actions
from kpis.models import Indicator
from kpis.views import indicator_rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plan = action_access.current_plan_for(request.user)
    context: dict[str, Any] = {"today": today, "plan": plan}
    if plan is not None:
        areas = ratings_by_area(plan, today)
        context.update(
            {
                "areas": areas,
                "totals": plan_totals(areas),
                "total_actions": sum(area.total for area in areas),
                "total_overdue": sum(area.overdue for area in areas),
                "slipping": slipping_actions(plan, today),
                "kpis": indicator_rows(Indicator.objects.filter(partnership_id=plan.partnership_id)),
            }
        )
    for section in dashboard_sections():
        context.update(section(request, plan, today))
    return render(request, "dashboard/home.html", context)


def dashboard_sections() -> list[Any]:
    """Sections other apps add to the dashboard: recommendations owed a response, then meetings."""
    from governance.dashboard import dashboard_section as governance_section
    from recommendations.dashboard import dashboard_section as recommendations_section

    return [recommendations_section, governance_section]
