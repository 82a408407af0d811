"""Fixtures for the recommendation tests: a report's recommendations. The personas (officer of the
council, officer of the ICB, scrutiny member, partner, administrator, outsider of another
partnership), Testshire's scrutiny committees (hosc, eyp) and its report are the shared ones in
tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from recommendations.choices import Respondent
from recommendations.models import Recommendation, Report
from send_tracker.accounts.models import Organisation


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
