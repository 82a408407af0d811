"""Where alerts come from: one function per family of deadlines, each one set-based query.

A source takes the day (in Europe/London) and yields a Candidate for each item that is due: the
kind of alert, the due date that makes its key, the words of the alert, and who answers for it
(send_tracker.alerts.sweep works out the people). Windows are ranges rather than single days, so
an item dated inside a window after it opened, or a day the sweep did not run, is still told:
"due within 7 days" is raised on the first sweep that finds the item 7 days or fewer away.

Who is told, by source:
- a plan action: the officers of its owner organisation, its lead officer, its followers;
- a recommendation's response: the officers of the organisation that answers it (for the Cabinet,
  the partnership's council), the followers of the recommendation, of its report and of the
  committee that made it (a committee's lead follows the committee);
- a meeting's papers deadline: the followers of the meeting and of its board;
- an action arising: the officers of its owner organisation, the followers of its meeting and board;
- a KPI figure that missed its target: the officers of the indicator's owner, its followers;
- a risk past its review date: the officers of its owner organisation, the followers of the risk
  and of the board that reviews it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from actions.choices import BRAG_DEFINITIONS, NOT_YET_RATED, Brag
from actions.models import Action
from governance.models import ActionArising, Board, Meeting, Risk
from kpis.choices import Rating
from kpis.models import Indicator, IndicatorValue
from recommendations.choices import Respondent
from recommendations.deadlines import RULES
from recommendations.models import Recommendation, Report
from send_tracker.accounts.choices import OrganisationKind
from send_tracker.accounts.models import Organisation

from .choices import AlertKind
from .sweep import Candidate, Source, lookback_start

DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=4096)
def long_date(day: datetime.date) -> str:
    """'30 April 2026', as committee papers write dates."""
    return f"{day.day} {day:%B %Y}"


def when(due: datetime.date, today: datetime.date) -> str:
    """'today', 'tomorrow', 'in 7 days', or '3 days ago'."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    if days == -1:
        return "yesterday"
    return f"{-days} days ago"


def path_for(viewname: str, anchor: str = "") -> Callable[[int], str]:
    """A fast pk -> path function for one URL name: reverse() once, then string formatting, so a
    sweep over tens of thousands of items does not resolve the URL conf for each."""
    sentinel = 987_654_321
    template = reverse(viewname, args=[sentinel]).replace(str(sentinel), "{pk}") + anchor
    return lambda pk: template.format(pk=pk)


# ---------------------------------------------------------------------------------------------
# Priority Action Plan actions


def plan_actions(today: datetime.date) -> Iterator[Candidate]:
    """Actions due within 14 days, within 7 days, or overdue, unless rated Green or Blue (done)."""
    link = path_for("actions:detail")
    rows = (
        Action.objects.filter(due_date__gte=lookback_start(today), due_date__lte=today + 14 * DAY)
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
            kind = AlertKind.ACTION_OVERDUE
            title = f"Action {ref} is overdue: it was due on {long_date(due)}"
            opening = (
                f"Action {ref} of the {plan_title} was due on {long_date(due)} and is not yet rated Green or Blue."
            )
        else:
            kind = AlertKind.ACTION_DUE_7 if days <= 7 else AlertKind.ACTION_DUE_14
            title = f"Action {ref} is due {when(due, today)}, on {long_date(due)}"
            opening = f"Action {ref} of the {plan_title} is due {when(due, today)}, on {long_date(due)}."
        body = "\n".join(
            [
                opening,
                "",
                description,
                "",
                f"Owner: {owner_name or 'not assigned'}.",
                f"Current rating: {rating}.",
            ]
        )
        yield Candidate(
            model=Action,
            subject_id=pk,
            partnership_id=partnership_id,
            kind=kind,
            due_date=due,
            title=title,
            body=body,
            link=link(pk),
            organisations=(owner_id,) if owner_id else (),
            people=(lead_id,) if lead_id else (),
        )


# ---------------------------------------------------------------------------------------------
# Scrutiny recommendations: the statutory response clocks


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


def responses_due(today: datetime.date) -> QuerySet[Recommendation, tuple[Any, ...]]:
    """The query that finds recommendations still owed a response due within 7 days or overdue
    within the look-back: a range on the report's indexed response_due_date, then each report's
    recommendations by their report_id index. `make bench` prints its plan."""
    return (
        Recommendation.objects.filter(
            closed_at__isnull=True,
            response_required=True,
            response__isnull=True,
            report__response_due_date__gte=lookback_start(today),
            report__response_due_date__lte=today + 7 * DAY,
        )
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


def recommendation_responses(today: datetime.date) -> Iterator[Candidate]:
    """Recommendations still owed a response whose statutory period (28 days for health scrutiny,
    two months for overview and scrutiny) ends within 7 days, within a day, or has ended.

    The due date is the report's stored response_due_date, so the query is a range on its index.
    """
    link = path_for("recommendations:detail")
    rows = list(responses_due(today))
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
            kind = AlertKind.RESPONSE_OVERDUE
            title = f"Response overdue: {reference} of {committee_name}, due {long_date(due)}"
            opening = f"The response to {reference} of {committee_name} was due on {long_date(due)} and is overdue."
        else:
            kind = AlertKind.RESPONSE_DUE_1 if days <= 1 else AlertKind.RESPONSE_DUE_7
            title = f"Response due {when(due, today)}: {reference} of {committee_name}"
            opening = f"The response to {reference} of {committee_name} is due {when(due, today)}, on {long_date(due)}."
        body = "\n".join(
            [
                opening,
                f"Statutory period: {basis}.",
                "",
                f"Report: {report_title}.",
                f"Recommendation: {text}",
            ]
        )
        organisation = respondent_organisation_id
        if organisation is None and respondent == Respondent.CABINET:
            organisation = councils.get(partnership_id)
        yield Candidate(
            model=Recommendation,
            subject_id=pk,
            partnership_id=partnership_id,
            kind=kind,
            due_date=due,
            title=title,
            body=body,
            link=link(pk),
            organisations=(organisation,) if organisation else (),
            followed=((Report, report_id), (Board, committee_id)),
        )


# ---------------------------------------------------------------------------------------------
# Governance: meetings' papers, actions arising, the risk register


def meeting_papers(today: datetime.date) -> Iterator[Candidate]:
    """Meetings going ahead whose papers deadline is within the next 7 days."""
    link = path_for("governance:meeting")
    rows = (
        Meeting.objects.going_ahead()
        .filter(papers_deadline__gte=today, papers_deadline__lte=today + 7 * DAY)
        .values_list("pk", "board_id", "board__name", "board__partnership_id", "date", "title", "papers_deadline")
        .order_by("pk")
    )
    for pk, board_id, board_name, partnership_id, meeting_date, meeting_title, deadline in rows:
        name = f"{board_name} meeting on {long_date(meeting_date)}"
        title = f"Papers for the {name} are due {when(deadline, today)}, on {long_date(deadline)}"
        body = "\n".join(
            [
                f"The last day for papers to reach the clerk for the {name} is {long_date(deadline)}.",
                *([f"Meeting: {meeting_title}."] if meeting_title else []),
            ]
        )
        yield Candidate(
            model=Meeting,
            subject_id=pk,
            partnership_id=partnership_id,
            kind=AlertKind.PAPERS_DEADLINE,
            due_date=deadline,
            title=title,
            body=body,
            link=link(pk),
            followed=((Board, board_id),),
        )


def actions_arising(today: datetime.date) -> Iterator[Candidate]:
    """Actions arising from board meetings, not done, due within 7 days or overdue."""
    link = path_for("governance:meeting", "#actions-arising")
    rows = (
        ActionArising.objects.filter(
            done_on__isnull=True, due_date__gte=lookback_start(today), due_date__lte=today + 7 * DAY
        )
        .values_list(
            "pk",
            "description",
            "owner_name",
            "owner_organisation_id",
            "due_date",
            "meeting_id",
            "meeting__date",
            "meeting__board_id",
            "meeting__board__name",
            "meeting__board__partnership_id",
        )
        .order_by("pk")
    )
    for (
        pk,
        description,
        owner_name,
        owner_id,
        due,
        meeting_id,
        meeting_date,
        board_id,
        board_name,
        partnership_id,
    ) in rows:
        source = f"the {board_name} meeting on {long_date(meeting_date)}"
        if due < today:
            kind = AlertKind.ARISING_OVERDUE
            title = f"Action arising overdue: from {source}, due {long_date(due)}"
            opening = f"An action arising from {source} was due on {long_date(due)} and is not recorded as done."
        else:
            kind = AlertKind.ARISING_DUE
            title = f"Action arising due {when(due, today)}: from {source}"
            opening = f"An action arising from {source} is due {when(due, today)}, on {long_date(due)}."
        yield Candidate(
            model=ActionArising,
            subject_id=pk,
            partnership_id=partnership_id,
            kind=kind,
            due_date=due,
            title=title,
            body="\n".join([opening, "", description, "", f"Who: {owner_name}."]),
            link=link(meeting_id),
            organisations=(owner_id,) if owner_id else (),
            followed=((Meeting, meeting_id), (Board, board_id)),
        )


def risk_reviews(today: datetime.date) -> Iterator[Candidate]:
    """Open risks whose next review date has passed."""
    link = path_for("governance:risk")
    rows = (
        Risk.objects.open()
        .filter(next_review_date__gte=lookback_start(today), next_review_date__lt=today)
        .values_list(
            "pk",
            "reference",
            "title",
            "owner_id",
            "owner__name",
            "review_board_id",
            "review_board__name",
            "partnership_id",
            "next_review_date",
        )
        .order_by("pk")
    )
    for pk, reference, risk_title, owner_id, owner_name, board_id, board_name, partnership_id, due in rows:
        reviewer = f" by the {board_name}" if board_name else ""
        yield Candidate(
            model=Risk,
            subject_id=pk,
            partnership_id=partnership_id,
            kind=AlertKind.RISK_REVIEW_OVERDUE,
            due_date=due,
            title=f"Risk {reference} was due for review on {long_date(due)}",
            body="\n".join(
                [
                    f"Risk {reference} on the risk register was due to be reviewed{reviewer} on {long_date(due)}.",
                    "",
                    risk_title,
                    "",
                    f"Owner: {owner_name or 'not assigned'}.",
                ]
            ),
            link=link(pk),
            organisations=(owner_id,) if owner_id else (),
            followed=((Board, board_id),) if board_id else (),
        )


# ---------------------------------------------------------------------------------------------
# KPIs


def kpi_misses(today: datetime.date) -> Iterator[Candidate]:
    """KPI figures rated "missed" against their target, entered or changed since the look-back began.

    A figure has no deadline of its own; the end of its period stands in the alert's key, so a
    revised figure for the same period is not told twice.
    """
    link = path_for("kpis:detail")
    since = datetime.datetime.combine(lookback_start(today), datetime.time.min, tzinfo=timezone.get_default_timezone())
    values = (
        IndicatorValue.objects.filter(rating=Rating.MISSED, entered_at__gte=since)
        .select_related("indicator", "target")
        .order_by("pk")
    )
    for value in values:
        indicator = value.indicator
        target = f" against a target of {value.target.formatted}" if value.target else ""
        period = value.period.label
        yield Candidate(
            model=IndicatorValue,
            subject_id=value.pk,
            partnership_id=indicator.partnership_id,
            kind=AlertKind.KPI_MISSED,
            due_date=value.period_end,
            title=f"{indicator.name}: {period} missed its target",
            body="\n".join(
                [
                    f"The figure for {period} is {value.formatted}{target}: the target was missed.",
                    *([f"Note: {value.note}"] if value.note else []),
                ]
            ),
            link=link(indicator.pk),
            organisations=(indicator.owner_id,) if indicator.owner_id else (),
            followed=((Indicator, indicator.pk),),
        )


# The sweep runs these in this order. Every source is here: plan actions, recommendations,
# meetings, actions arising, risks and KPIs.
SOURCES: dict[str, Source] = {
    "plan_actions": plan_actions,
    "recommendation_responses": recommendation_responses,
    "meeting_papers": meeting_papers,
    "actions_arising": actions_arising,
    "risk_reviews": risk_reviews,
    "kpi_misses": kpi_misses,
}
