"""The plan's alerts: open actions due within 14 days, within 7 days, or overdue, unless rated Green
or Blue (a retired action raises none). Told to the officers of the action's owner organisation,
its lead officer and its followers. Registered with the sweep in ActionsConfig.ready.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from send_tracker.alerts.candidates import DAY, Candidate, Source, Told, long_date, lookback_start, path_for, when
from send_tracker.alerts.choices import AlertKind

from .choices import BRAG_DEFINITIONS, NOT_YET_RATED, Brag
from .models import Action, ActionQuerySet


def plan_actions(today: datetime.date) -> Iterator[Candidate]:
    """Actions due within 14 days, within 7 days, or overdue, unless rated Green or Blue (done)."""
    return _actions_due(
        today, Action.objects.filter(due_date__gte=lookback_start(today), due_date__lte=today + 14 * DAY)
    )


def overdue_actions(today: datetime.date) -> Iterator[Candidate]:
    """For the weekly reminder: every open action past its due date and not rated Green or Blue,
    however long ago it fell due."""
    return _actions_due(today, Action.objects.filter(due_date__lt=today))


def _actions_due(today: datetime.date, in_range: ActionQuerySet) -> Iterator[Candidate]:
    link = path_for("actions:detail")
    rows = (
        in_range.open()  # a retired action is no one's deadline
        .exclude(brag__in=[Brag.GREEN, Brag.BLUE])
        .values_list(
            "pk",
            "published_ref",
            "description",
            "due_date",
            "brag",
            "owner_id",
            "owner__name",
            "lead_officer_id",
            "plan__title",
            "plan__partnership_id",
        )
        .order_by("pk")
    )
    for pk, ref, description, due, brag, owner_id, owner_name, lead_id, plan_title, partnership_id in rows:
        days = (due - today).days
        rating = f"{Brag(brag).label}: {BRAG_DEFINITIONS[brag]}" if brag else NOT_YET_RATED
        if days < 0:
            told = Told(
                AlertKind.ACTION_OVERDUE,
                f"Action {ref} is overdue: it was due on {long_date(due)}",
                f"Action {ref} of the {plan_title} was due on {long_date(due)} and is not yet rated Green or Blue.",
            )
        else:
            told = Told(
                AlertKind.ACTION_DUE_7 if days <= 7 else AlertKind.ACTION_DUE_14,
                f"Action {ref} is due {when(due, today)}, on {long_date(due)}",
                f"Action {ref} of the {plan_title} is due {when(due, today)}, on {long_date(due)}.",
            )
        owner = f"Owner: {owner_name or 'not assigned'}."
        yield told.about(
            Action,
            pk,
            partnership_id,
            due,
            ["", description, "", owner, f"Current rating: {rating}."],
            summary=description,
            link=link(pk),
            organisations=(owner_id,) if owner_id else (),
            people=(lead_id,) if lead_id else (),
        )


ALERT_SOURCES: dict[str, Source] = {"plan_actions": plan_actions}
REMINDER_SOURCES: dict[str, Source] = {"plan_actions": overdue_actions}
