"""The action list's rows as spreadsheet cells, for its CSV and Excel downloads
(send_tracker/list_downloads.py): one column per thing the page shows, in words."""

from __future__ import annotations

from actions.choices import NOT_YET_RATED, Brag

from .forum import ViewSummary
from .models import Action

ACTION_LIST_COLUMNS = [
    "PAP Ref",
    "Action",
    "Priority area",
    "Objective",
    "Theme",
    "Owner",
    "Target date",
    "Target date as published",
    "Overdue",
    "Rating",
    "Rating commentary",
    "Status",
    "Parent carer forum's view",
]


def action_list_cells(action: Action, overdue: bool, forum: ViewSummary | None) -> list[object]:
    area = action.objective.priority_area
    view = ""
    if forum is not None:
        view = f"{forum.label} ({forum.earlier})" if forum.earlier else forum.label
    return [
        action.published_ref,
        action.description,
        f"PAP {area.number}: {area.title}",
        f"{action.objective.code} {action.objective.text}".strip(),
        "; ".join(str(theme) for theme in action.themes.all()),
        str(action.owner) if action.owner else "Not assigned",
        action.due_date,
        action.due_date_text,
        "Yes" if overdue else "No",
        Brag(action.brag).label if action.brag else NOT_YET_RATED,
        action.brag_commentary,
        action.get_status_display(),
        view,
    ]
