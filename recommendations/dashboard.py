"""The scrutiny dashboard's recommendations section: what is owed a response, and by when.

One query, whatever the number of partnerships: the partnership's open recommendations still
owed a response, with their report and committee.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from actions.models import Plan

from .models import Recommendation


def dashboard_section(request: HttpRequest, plan: Plan | None, today: datetime.date) -> dict[str, Any]:
    if plan is None:
        return {}
    owed = list(
        Recommendation.objects.filter(
            report__partnership_id=plan.partnership_id,
            closed_at__isnull=True,
            response_required=True,
            response__isnull=True,
        )
        .select_related("report__committee")
        .order_by("report__response_due_date", "report_id", "position", "pk")
    )
    rows = [{"recommendation": r, "deadline": r.report.response_deadline} for r in owed]
    return {
        "recommendations_section_template": "recommendations/_dashboard_section.html",
        "awaiting_response": rows,
        "awaiting_overdue": sum(1 for row in rows if row["deadline"] and row["deadline"].is_overdue(today)),
    }
