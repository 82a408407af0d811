"""Scrutiny's alerts: the statutory response clocks. A recommendation still owed a response is told
to the officers of the organisation that answers it (for the Cabinet, the partnership's council)
and to the followers of the recommendation, of its report and of the committee that made it (a
committee's lead follows the committee). Registered with the sweep in RecommendationsConfig.ready.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.text import Truncator

from governance.models import Board
from send_tracker.accounts.choices import OrganisationKind
from send_tracker.accounts.models import Organisation
from send_tracker.alerts.candidates import DAY, Candidate, Source, Told, long_date, lookback_start, path_for, when
from send_tracker.alerts.choices import AlertKind

from .choices import Respondent
from .deadlines import RULES
from .models import Recommendation, Report


def _councils(partnership_ids: set[int]) -> dict[int, int]:
    """partnership id -> its council, the organisation whose officers answer for the Cabinet.

    The same rule as Recommendation.responsible_organisation_id, for many partnerships in one query.
    """
    councils: dict[int, int] = {}
    rows = (
        Organisation.objects.filter(partnership_id__in=sorted(partnership_ids), kind=OrganisationKind.COUNCIL)
        .order_by("partnership_id", "pk")
        .values_list("partnership_id", "pk")
    )
    for partnership_id, pk in rows:
        councils.setdefault(partnership_id, pk)
    return councils


def responses_due(today: datetime.date, *, overdue_only: bool = False) -> QuerySet[Recommendation, tuple[Any, ...]]:
    """The query that finds recommendations still owed a response due within 7 days or overdue
    within the look-back: a range on the report's indexed response_due_date, then each report's
    recommendations by their report_id index. `make bench` prints its plan. With overdue_only
    (the weekly reminder), every one overdue however long ago."""
    due = (
        Q(report__response_due_date__lt=today)
        if overdue_only
        else Q(report__response_due_date__gte=lookback_start(today), report__response_due_date__lte=today + 7 * DAY)
    )
    return (
        Recommendation.objects.filter(due, closed_at__isnull=True, response_required=True, response__isnull=True)
        .values_list(
            "pk",
            "list_name",
            "number",
            "text",
            "respondent",
            "respondent_organisation_id",
            "report_id",
            "report__title",
            "report__partnership_id",
            "report__committee_id",
            "report__committee__name",
            "report__response_due_date",
            "report__response_due_rule",
        )
        .order_by("pk")
    )


def recommendation_responses(today: datetime.date, *, overdue_only: bool = False) -> Iterator[Candidate]:
    """Recommendations still owed a response whose statutory period (28 days for health scrutiny,
    two months for overview and scrutiny) ends within 7 days, within a day, or has ended.

    The due date is the report's stored response_due_date, so the query is a range on its index.
    """
    link = path_for("recommendations:detail")
    rows = list(responses_due(today, overdue_only=overdue_only))
    councils = _councils({row[8] for row in rows if row[4] == Respondent.CABINET and row[5] is None})
    for (
        pk,
        list_name,
        number,
        text,
        respondent,
        respondent_organisation_id,
        report_id,
        report_title,
        partnership_id,
        committee_id,
        committee_name,
        due,
        rule_name,
    ) in rows:
        reference = f"{list_name} recommendation {number}" if list_name else f"Recommendation {number}"
        rule = RULES.get(rule_name)
        basis = f"{rule.label} ({rule.citation})" if rule else "the statutory period"
        days = (due - today).days
        if days < 0:
            told = Told(
                AlertKind.RESPONSE_OVERDUE,
                f"Response overdue: {reference} of {committee_name}, due {long_date(due)}",
                f"The response to {reference} of {committee_name} was due on {long_date(due)} and is overdue.",
            )
        else:
            told = Told(
                AlertKind.RESPONSE_DUE_1 if days <= 1 else AlertKind.RESPONSE_DUE_7,
                f"Response due {when(due, today)}: {reference} of {committee_name}",
                f"The response to {reference} of {committee_name} is due {when(due, today)}, on {long_date(due)}.",
            )
        organisation = respondent_organisation_id
        if organisation is None and respondent == Respondent.CABINET:
            organisation = councils.get(partnership_id)
        yield told.about(
            Recommendation,
            pk,
            partnership_id,
            due,
            [f"Statutory period: {basis}.", "", f"Report: {report_title}.", f"Recommendation: {text}"],
            summary=Truncator(text).words(40),
            link=link(pk),
            organisations=(organisation,) if organisation else (),
            followed=((Report, report_id), (Board, committee_id)),
        )


def overdue_responses(today: datetime.date) -> Iterator[Candidate]:
    """For the weekly reminder: every response still owed after its statutory period ended."""
    return recommendation_responses(today, overdue_only=True)


ALERT_SOURCES: dict[str, Source] = {"recommendation_responses": recommendation_responses}
REMINDER_SOURCES: dict[str, Source] = {"recommendation_responses": overdue_responses}
