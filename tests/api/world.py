"""Builders for the API tests: rows of every resource the partner API serves, for one partnership.

Plain functions rather than fixtures, so that the access matrix and the query-count test can make
the same rows for any partnership and any number of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max
from django.utils import timezone

from actions.models import Action, Objective, Plan, PriorityArea
from governance.choices import BoardKind
from governance.models import Board, Meeting, Risk
from kpis.choices import Frequency, GeographicLevel, Polarity, Unit
from kpis.models import EhcpTimeliness, Indicator, IndicatorValue
from recommendations import services as recommendation_services
from recommendations.choices import Outcome, Respondent, ResponseRegime
from recommendations.models import Recommendation, Report, Response
from send_tracker.accounts.models import Organisation, User
from send_tracker.alerts.choices import AlertKind
from send_tracker.alerts.models import Alert


def _plan(owner: Organisation) -> Plan:
    plan = Plan.objects.filter(partnership_id=owner.partnership_id).order_by("pk").first()
    return plan or Plan.objects.create(partnership_id=owner.partnership_id, title=f"{owner.name} plan")


def _objective(owner: Organisation) -> Objective:
    objective = Objective.objects.filter(priority_area__plan=_plan(owner)).order_by("pk").first()
    if objective is None:
        area = PriorityArea.objects.create(plan=_plan(owner), number=99, title="Timeliness")
        objective = Objective.objects.create(priority_area=area, code="9A", text="Plans in time.")
    return objective


def _board(owner: Organisation, kind: str) -> Board:
    board, _ = Board.objects.get_or_create(
        partnership_id=owner.partnership_id,
        name=f"{owner.name} {kind}",
        defaults={"kind": kind, "short_name": kind[:3].upper()},
    )
    return board


def plans(owner: Organisation, count: int) -> list[Plan]:
    start = Plan.objects.count()
    return [Plan.objects.create(partnership_id=owner.partnership_id, title=f"Plan {start + n}") for n in range(count)]


def priority_areas(owner: Organisation, count: int) -> list[PriorityArea]:
    plan = _plan(owner)
    start = PriorityArea.objects.filter(plan=plan).aggregate(last=Max("number"))["last"] or 0
    return [PriorityArea.objects.create(plan=plan, number=start + n + 1, title=f"Area {n}") for n in range(count)]


def actions(owner: Organisation, count: int) -> list[Action]:
    objective = _objective(owner)
    start = Action.objects.filter(plan=objective.priority_area.plan).count()
    return [
        Action.objects.create(
            plan=objective.priority_area.plan,
            objective=objective,
            ref=f"9A{start + n}",
            published_ref=f"9A{start + n}",
            description="Process map all EHCP timelines.",
            due_date=datetime.date(2024, 4, 30),
            due_date_kind="date",
            due_date_text="Apr 24",
            owner=owner,
        )
        for n in range(count)
    ]


def kpis(owner: Organisation, count: int) -> list[Indicator]:
    start = Indicator.objects.filter(partnership_id=owner.partnership_id).count()
    return [
        Indicator.objects.create(
            partnership_id=owner.partnership_id,
            name=f"Indicator {start + n}",
            definition="Plans issued within 20 weeks.",
            unit=Unit.PERCENT,
            polarity=Polarity.HIGHER_IS_BETTER,
            frequency=Frequency.MONTHLY,
            source="Case management system",
            owner=owner,
        )
        for n in range(count)
    ]


def kpi_values(owner: Organisation, count: int) -> list[IndicatorValue]:
    indicator = kpis(owner, 1)[0]
    return [
        IndicatorValue.objects.create(
            indicator=indicator,
            period_start=datetime.date(2020 + n // 12, n % 12 + 1, 1),
            period_end=datetime.date(2020 + n // 12, n % 12 + 1, 28),
            value=Decimal("50.0"),
        )
        for n in range(count)
    ]


def ehcp_timeliness(owner: Organisation, count: int) -> list[EhcpTimeliness]:
    """Public reference data: it belongs to no partnership, whoever `owner` is."""
    start = EhcpTimeliness.objects.count()
    return [
        EhcpTimeliness.objects.create(
            level=GeographicLevel.LOCAL_AUTHORITY,
            area_code=f"E{start + n:08d}",
            area_name=f"Area {start + n}",
            year=2024,
            plans_issued=100,
            source_release="test",
            imported_at=timezone.now(),
        )
        for n in range(count)
    ]


def recommendations(owner: Organisation, count: int) -> list[Recommendation]:
    report = recommendation_services.save_report(
        Report(
            partnership_id=owner.partnership_id,
            committee=_board(owner, BoardKind.SCRUTINY_COMMITTEE),
            title=f"Report {Report.objects.count()}",
            received_on=datetime.date(2024, 4, 23),
            regime=ResponseRegime.OVERVIEW_AND_SCRUTINY,
        ),
        user=None,
        reason="Test report",
    )
    return [
        Recommendation.objects.create(
            report=report,
            number=str(n + 1),
            position=n,
            text="Hear the voice of children.",
            respondent=Respondent.CABINET,
        )
        for n in range(count)
    ]


def responses(owner: Organisation, count: int) -> list[Response]:
    return [
        Response.objects.create(recommendation=recommendation, outcome=Outcome.ACCEPTED, indicative_timescale="2025")
        for recommendation in recommendations(owner, count)
    ]


def meetings(owner: Organisation, count: int) -> list[Meeting]:
    board = _board(owner, BoardKind.IMPROVEMENT_BOARD)
    start = Meeting.objects.filter(board=board).count()
    return [
        Meeting.objects.create(board=board, date=datetime.date(2024, 1, 1) + datetime.timedelta(days=start + n))
        for n in range(count)
    ]


def risks(owner: Organisation, count: int) -> list[Risk]:
    start = Risk.objects.filter(partnership_id=owner.partnership_id).count()
    return [
        Risk.objects.create(
            partnership_id=owner.partnership_id,
            reference=f"API-R{start + n}",  # apart from a partnership's own R1, R2...
            title="Not enough capacity",
            owner=owner,
            likelihood_before=4,
            impact_before=4,
            likelihood_after=3,
            impact_after=2,
        )
        for n in range(count)
    ]


def alerts_for(recipient: User, count: int) -> list[Alert]:
    subject, _ = Plan.objects.get_or_create(partnership_id=recipient.partnership_id, title="Alert subject")
    start = Alert.objects.filter(recipient=recipient).count()
    return [
        Alert.objects.create(
            recipient=recipient,
            kind=AlertKind.ACTION_DUE_14,
            subject_type=ContentType.objects.get_for_model(Plan),
            subject_id=subject.pk,
            due_date=datetime.date(2024, 5, 1) + datetime.timedelta(days=start + n),
            title=f"Action due {start + n}",
            link="/actions/",
        )
        for n in range(count)
    ]


# The rows each partnership-scoped resource serves, by router basename. Alerts are per person
# (alerts_for) and ehcp-timeliness is public reference data: the tests treat them apart.
BUILDERS: dict[str, Callable[[Organisation, int], Sequence[models.Model]]] = {
    "plan": plans,
    "priority-area": priority_areas,
    "action": actions,
    "kpi": kpis,
    "kpi-value": kpi_values,
    "ehcp-timeliness": ehcp_timeliness,
    "recommendation": recommendations,
    "response": responses,
    "meeting": meetings,
    "risk": risks,
}
PUBLIC = {"ehcp-timeliness"}
