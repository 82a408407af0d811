"""Fixtures for the KPI tests: the DfE's files, and a second kind of indicator beside the shared
`indicator` and `make_indicator` of tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from kpis.choices import Polarity, Unit
from kpis.dfe_timeliness import ImportResult, import_timeliness_file
from kpis.models import Indicator, Target
from kpis.services import record_value, set_target
from send_tracker.accounts.models import Partnership, User

DATA = Path(__file__).parent / "data"
REAL_2025 = Path(settings.BASE_DIR) / "send_tracker" / "seed_data" / "dfe_ehcp_timeliness_20_week_ry2025_all_plans.csv"
OLD_SCHEME = DATA / "sen2_mi_2022.csv"
SCHEME_2026 = DATA / "timeliness_20_week_2026.csv"


def target(
    indicator: Indicator,
    user: User,
    value: str = "60",
    tolerance: str = "5",
    first: str = "2024-04",
    last: str = "2025-03",
    **kwargs: Any,
) -> Target:
    """A target set through the service: by default 60 ± 5 for April 2024 to March 2025."""
    return set_target(
        indicator_id=indicator.pk,
        user=user,
        first_period=first,
        last_period=last,
        value=value,
        tolerance=tolerance,
        **kwargs,
    )


@pytest.fixture
def rated(indicator: Indicator, officer: User) -> Indicator:
    """An indicator with a target and two months of figures: 41.0% then 57.5% against 60% ± 5."""
    target(indicator, officer)
    record_value(indicator_id=indicator.pk, user=officer, period="2024-04", numerator="41", denominator="100")
    record_value(
        indicator_id=indicator.pk,
        user=officer,
        period="2024-05",
        numerator="46",
        denominator="80",
        note="Two late returns",
    )
    return indicator


@pytest.fixture
def waiting_times(make_indicator: Callable[..., Indicator]) -> Indicator:
    """Weeks, lower is better."""
    return make_indicator(
        "CAMHS: median wait from referral to treatment",
        unit=Unit.WEEKS,
        polarity=Polarity.LOWER_IS_BETTER,
        definition="Median weeks from referral to treatment.",
    )


@pytest.fixture
def dfe_2025(db: None) -> ImportResult:
    return import_timeliness_file(REAL_2025)


@pytest.fixture
def oxfordshire_area(partnership: Partnership) -> Partnership:
    """The Testshire partnership placed in Oxfordshire's area, so benchmarking defaults to it."""
    partnership.area_code = "E10000025"
    partnership.area_name = "Oxfordshire"
    partnership.save()
    return partnership
