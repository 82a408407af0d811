"""A recommendation's history: every recorded change to it, its response and its updates, with
who made it, when and why, newest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .choices import Outcome
from .models import Recommendation, Response


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    why: str


def _change_kind(record: object) -> str:
    return {"+": "added", "~": "changed", "-": "deleted"}.get(str(getattr(record, "history_type", "")), "changed")


def recommendation_history(recommendation: Recommendation) -> list[HistoryEntry]:
    """Three queries whatever the length: the recommendation's, its response's and its updates' history."""
    entries: list[HistoryEntry] = []
    for record in recommendation.history.select_related("history_user__organisation"):
        entries.append(
            HistoryEntry(
                record.history_date,
                record.actor,
                f"Recommendation {_change_kind(record)}",
                record.why,
            )
        )
    for record in Response.history.filter(recommendation_id=recommendation.pk).select_related(
        "history_user__organisation"
    ):
        outcome = Outcome(record.outcome).label if record.outcome in Outcome.values else "no outcome"
        entries.append(
            HistoryEntry(
                record.history_date,
                record.actor,
                f"Response {_change_kind(record)}: {outcome}",
                record.why,
            )
        )
    for record in recommendation.updates.model.history.filter(recommendation_id=recommendation.pk).select_related(
        "history_user__organisation"
    ):
        entries.append(
            HistoryEntry(
                record.history_date,
                record.actor,
                f"Update of {record.reported_on.day} {record.reported_on:%B %Y} {_change_kind(record)}",
                record.why,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
