"""Fixtures for the alert tests: people with email addresses, and one item of every source."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db.models import QuerySet

from actions.models import Action
from governance.choices import BoardKind
from governance.models import ActionArising, Board, Meeting, Risk
from kpis.choices import Rating
from kpis.models import Indicator, IndicatorValue, Target
from recommendations.choices import ResponseRegime
from recommendations.models import Recommendation, Report
from send_tracker.accounts.models import Organisation, Partnership, User
from send_tracker.alerts.models import Alert
from send_tracker.alerts.sweep import SweepResult, sweep

UTC = datetime.UTC


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A moment in UTC: the Celery schedule's time zone."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


def alerts_to_testshire() -> QuerySet[Alert]:
    """Alerts to Testshire's people. Elsewhere's people (tests/world.py) are told of Elsewhere's
    items by the same sweep; test_sweep checks that nobody is told of another partnership's."""
    return Alert.objects.filter(recipient__organisation__partnership__slug="testshire")


def sweep_at(moment: datetime.datetime) -> SweepResult:
    """The sweep as beat would run it at this moment: today is whatever day it is in London."""
    with time_machine.travel(moment, tick=False):
        return sweep()


@pytest.fixture
def with_emails(officer: User, other_officer: User) -> None:
    officer.email = "olivia.officer@testshire.gov.uk"
    officer.save(update_fields=["email"])
    other_officer.email = "ian.icb@testshire-icb.nhs.uk"
    other_officer.save(update_fields=["email"])


@pytest.fixture
def committee(hosc: Board) -> Board:
    """The committee whose recommendations the sweep follows: the joint health scrutiny committee."""
    return hosc


@pytest.fixture
def board(partnership: Partnership) -> Board:
    return Board.objects.create(
        partnership=partnership,
        name="SEND Improvement and Assurance Board",
        kind=BoardKind.IMPROVEMENT_BOARD,
        independently_chaired=True,
    )


@pytest.fixture
def make_report(partnership: Partnership, committee: Board) -> Callable[..., Report]:
    def build(received_on: datetime.date, regime: str = ResponseRegime.HEALTH_SCRUTINY, **fields: Any) -> Report:
        report = Report(
            partnership=partnership,
            committee=committee,
            title=fields.pop("title", f"Report received {received_on:%d %B %Y}"),
            received_on=received_on,
            regime=regime,
            **fields,
        )
        report.refresh_response_due_date()
        report.save()
        return report

    return build


@pytest.fixture
def make_recommendation() -> Callable[..., Recommendation]:
    def build(report: Report, number: str = "1", **fields: Any) -> Recommendation:
        defaults: dict[str, Any] = {"text": "Publish explicit KPIs, open to scrutiny.", "list_name": "HOSC"}
        defaults.update(fields)
        return Recommendation.objects.create(report=report, number=number, **defaults)

    return build


@pytest.fixture
def make_meeting(board: Board) -> Callable[..., Meeting]:
    def build(date: datetime.date, papers_deadline: datetime.date | None, **fields: Any) -> Meeting:
        return Meeting.objects.create(board=board, date=date, papers_deadline=papers_deadline, **fields)

    return build


@pytest.fixture
def make_arising(make_meeting: Callable[..., Meeting], council: Organisation) -> Callable[..., ActionArising]:
    def build(due_date: datetime.date, **fields: Any) -> ActionArising:
        meeting = fields.pop("meeting", None) or make_meeting(datetime.date(2026, 1, 20), None)
        defaults: dict[str, Any] = {
            "description": "Bring the EHCP recovery trajectory to the next meeting.",
            "owner_name": "Director of Children's Services",
            "owner_organisation": council,
        }
        defaults.update(fields)
        return ActionArising.objects.create(meeting=meeting, due_date=due_date, **defaults)

    return build


@pytest.fixture
def make_risk(partnership: Partnership, council: Organisation, board: Board) -> Callable[..., Risk]:
    def build(next_review_date: datetime.date, reference: str = "R1", **fields: Any) -> Risk:
        defaults: dict[str, Any] = {
            "title": "Insufficient specialist placements lead to exclusion.",
            "owner": council,
            "likelihood_before": 4,
            "impact_before": 5,
            "likelihood_after": 3,
            "impact_after": 4,
            "review_board": board,
        }
        defaults.update(fields)
        return Risk.objects.create(
            partnership=partnership, reference=reference, next_review_date=next_review_date, **defaults
        )

    return build


@pytest.fixture
def indicator(make_indicator: Callable[..., Indicator]) -> Indicator:
    return make_indicator("New EHC plans issued within 20 weeks")


@pytest.fixture
def missed_value(indicator: Indicator) -> IndicatorValue:
    target = Target.objects.create(
        indicator=indicator,
        first_period_start=datetime.date(2026, 1, 1),
        last_period_end=datetime.date(2026, 12, 31),
        value=Decimal("60"),
        tolerance=Decimal("5"),
    )
    return IndicatorValue.objects.create(
        indicator=indicator,
        period_start=datetime.date(2026, 2, 1),
        period_end=datetime.date(2026, 2, 28),
        value=Decimal("41.5"),
        target=target,
        rating=Rating.MISSED,
    )


def action_due(make_action: Callable[..., Action], ref: str, due: datetime.date, **fields: Any) -> Action:
    return make_action(ref, due_date=due, due_date_text=f"{due:%b %y}", **fields)
