"""The tracker's rows as spreadsheet cells, for its CSV and Excel downloads
(send_tracker/list_downloads.py): one column per thing the page shows, in words."""

from __future__ import annotations

import datetime

from .choices import Status
from .deadlines import Deadline
from .models import Recommendation

TRACKER_COLUMNS = [
    "Recommendation",
    "Text",
    "Report",
    "Committee",
    "Received",
    "Respondent",
    "Responding organisation",
    "Status",
    "Response due",
    "Days left",
    "Law that sets the deadline",
    "Response",
    "Response given",
]


def tracker_cells(
    recommendation: Recommendation, status: Status, deadline: Deadline | None, today: datetime.date
) -> list[object]:
    report = recommendation.report
    response = recommendation.response_or_none
    if deadline is not None:
        due: object = deadline.due
        left = deadline.describe(today)
        law = deadline.rule.citation
    else:
        due, left, law = "", "", ""
        if response is None:
            left = "No statutory period" if recommendation.response_required else "Not required"
    return [
        recommendation.reference,
        recommendation.text,
        report.title,
        str(report.committee),
        report.received_on,
        recommendation.get_respondent_display(),
        str(recommendation.respondent_organisation or ""),
        Status(status).label,
        due,
        left,
        law,
        response.get_outcome_display() if response else "",
        response.given_on if response and response.given_on else "",
    ]
