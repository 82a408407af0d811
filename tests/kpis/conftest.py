"""Fixtures for the KPI tests: indicators of the Testshire partnership and the DfE's files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from kpis.choices import Frequency, Polarity, Unit
from kpis.dfe_timeliness import ImportResult, import_timeliness_file
from kpis.models import Indicator
from send_tracker.accounts.models import Organisation, Partnership

DATA = Path(__file__).parent / "data"
REAL_2025 = Path(settings.BASE_DIR) / "send_tracker" / "seed_data" / "dfe_ehcp_timeliness_20_week_ry2025_all_plans.csv"
OLD_SCHEME = DATA / "sen2_mi_2022.csv"
SCHEME_2026 = DATA / "timeliness_20_week_2026.csv"


@pytest.fixture
def make_indicator(partnership: Partnership, council: Organisation) -> Callable[..., Indicator]:
    def build(name: str = "New EHC plans issued within 20 weeks (excluding exceptions)", **fields: Any) -> Indicator:
        defaults: dict[str, Any] = {
            "definition": "Of the new EHC plans issued in the month, the percentage issued within 20 weeks.",
            "unit": Unit.PERCENT,
            "polarity": Polarity.HIGHER_IS_BETTER,
            "frequency": Frequency.MONTHLY,
            "source": "Case management system",
            "owner": council,
        }
        defaults.update(fields)
        return Indicator.objects.create(partnership=partnership, name=name, **defaults)

    return build


@pytest.fixture
def indicator(make_indicator: Callable[..., Indicator]) -> Indicator:
    """A percentage, higher is better, monthly, owned by the council (the `officer`'s organisation)."""
    return make_indicator()


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
