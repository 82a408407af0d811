"""Fixtures for the recommendation tests: Testshire's scrutiny committees, a report and its
recommendations. The personas (officer of the council, officer of the ICB, scrutiny member,
partner, administrator, outsider of another partnership) are the shared ones in tests/conftest.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from governance.choices import BoardKind
from governance.models import Board
from recommendations import services
from recommendations.choices import Respondent, ResponseRegime
from recommendations.models import Recommendation, Report
from send_tracker.accounts.models import Organisation, Partnership


@pytest.fixture
def hosc(partnership: Partnership) -> Board:
    return Board.objects.create(
        partnership=partnership,
        name="Joint Health Overview and Scrutiny Committee",
        short_name="HOSC",
        kind=BoardKind.SCRUTINY_COMMITTEE,
    )


@pytest.fixture
def eyp(partnership: Partnership) -> Board:
    return Board.objects.create(
        partnership=partnership,
        name="Education and Young People Overview and Scrutiny Committee",
        short_name="EYP",
        kind=BoardKind.SCRUTINY_COMMITTEE,
    )


@pytest.fixture
def make_report(partnership: Partnership, eyp: Board) -> Callable[..., Report]:
    def build(title: str = "Update on the Priority Action Plan", **fields: Any) -> Report:
        defaults: dict[str, Any] = {
            "partnership": partnership,
            "committee": eyp,
            "addressee": "Cabinet",
            "received_on": datetime.date(2024, 4, 23),
            "regime": ResponseRegime.OVERVIEW_AND_SCRUTINY,
        }
        defaults.update(fields)
        return services.save_report(Report(title=title, **defaults), user=None, reason="Test report")

    return build


@pytest.fixture
def report(make_report: Callable[..., Report]) -> Report:
    """An EYP report received 23 April 2024: a response is due by 22 June 2024."""
    return make_report()


@pytest.fixture
def make_recommendation(report: Report) -> Callable[..., Recommendation]:
    def build(number: str = "1", **fields: Any) -> Recommendation:
        defaults: dict[str, Any] = {
            "report": report,
            "text": f"Recommendation {number}: that the voice of children is heard more clearly.",
            "respondent": Respondent.CABINET,
            "position": int(number) if number.isdigit() else 0,
        }
        defaults.update(fields)
        return Recommendation.objects.create(number=number, **defaults)

    return build


@pytest.fixture
def recommendation(make_recommendation: Callable[..., Recommendation], council: Organisation) -> Recommendation:
    """To the Cabinet, so the council's officers answer it."""
    return make_recommendation()


@pytest.fixture
def nhs_recommendation(make_recommendation: Callable[..., Recommendation], icb: Organisation) -> Recommendation:
    """To an NHS body, the ICB: the ICB's officers answer it, not the council's."""
    return make_recommendation("2", respondent=Respondent.NHS_BODY, respondent_organisation=icb)
