"""The public page's recommendations: what scrutiny recommended, and the published responses.

Scrutiny reports are public papers, so every recommendation appears; a response appears only once
it is marked published. One query, grouped by report here.
"""

from __future__ import annotations

from typing import Any

from send_tracker.accounts.models import Partnership

from .models import Recommendation


def public_section(partnership: Partnership) -> dict[str, Any]:
    recommendations = (
        Recommendation.objects.filter(report__partnership=partnership)
        .select_related("report__committee", "response")
        .only(
            "number",
            "list_name",
            "position",
            "text",
            "response_required",
            "closed_at",
            "report__title",
            "report__meeting_date",
            "report__partnership_id",
            "report__committee__name",
            "response__outcome",
            "response__proposed_action",
            "response__indicative_timescale",
            "response__reasons",
            "response__given_on",
            "response__is_published",
        )
        .order_by("-report__meeting_date", "report_id", "position", "pk")
    )
    reports: dict[int, dict[str, Any]] = {}
    for recommendation in recommendations:
        group = reports.setdefault(recommendation.report_id, {"report": recommendation.report, "rows": []})
        response = recommendation.response_or_none
        group["rows"].append(
            {
                "recommendation": recommendation,
                "response": response if response is not None and response.is_published else None,
            }
        )
    return {
        "public_recommendations_template": "recommendations/_public_section.html",
        "public_reports": list(reports.values()),
    }
