"""Scrutiny recommendations' sections of the scrutiny dashboard and the public page, which
send_tracker.overview calls, as it calls every app's reports.py.

`dashboard_section`: what is owed a response, and by when, with each rule's legal basis said once.
One query, whatever the number of partnerships: the partnership's recommendations that ask for a
response, with their report, committee and response.

`public_section`: what scrutiny recommended, and the published responses. Scrutiny reports are
public papers, so every recommendation appears; a response appears only once it is marked
published. One query, grouped by report here.
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
    # Those answered or closed are read too (one query still), so that the headline figures can
    # count what was owed at the board's last meeting: `response_candidates`.
    candidates = list(
        Recommendation.objects.filter(report__partnership_id=plan.partnership_id, response_required=True)
        .select_related("report__committee", "response")
        .order_by("report__response_due_date", "report_id", "position", "pk")
    )
    owed = [r for r in candidates if r.closed_at is None and r.response_or_none is None]
    rows = [{"recommendation": r, "deadline": r.report.response_deadline} for r in owed]
    return {
        "recommendations_section_template": "recommendations/_dashboard_section.html",
        "awaiting_response": rows,
        "awaiting_overdue": sum(1 for row in rows if row["deadline"] and row["deadline"].is_overdue(today)),
        "awaiting_rules": _rules_of(rows),
        "response_candidates": candidates,
    }


def _rules_of(rows: list[dict[str, Any]]) -> list[Any]:
    """The deadline rules these rows are counted by, each once: the dashboard says the law once."""
    rules: dict[str, Any] = {}
    for row in rows:
        if row["deadline"] is not None and row["deadline"].rule is not None:
            rules.setdefault(row["deadline"].rule.name, row["deadline"].rule)
    return list(rules.values())


def public_section(plan: Plan, today: datetime.date) -> dict[str, Any]:
    recommendations = (
        Recommendation.objects.filter(report__partnership_id=plan.partnership_id)
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
