"""The Oxfordshire example's indicators: real definitions, demo figures flagged, DfE data loaded."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from actions.models import Action, Objective, Plan, PriorityArea
from kpis.choices import Polarity
from kpis.dfe_timeliness import import_timeliness_file
from kpis.models import EhcpTimeliness, Indicator, IndicatorValue, Target
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.sample_data.loader import load_indicators
from send_tracker.sample_data.loader import oxfordshire as oxfordshire_case
from tests.kpis.conftest import SCHEME_2026

pytestmark = pytest.mark.django_db


def load_oxfordshire_kpis(partnership: Partnership) -> str:
    return load_indicators(oxfordshire_case(), partnership)


ORGANISATIONS = [
    "Oxfordshire County Council",
    "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board",
    "Oxford Health NHS Foundation Trust",
    "Oxfordshire Parent Carer Forum",
]


@pytest.fixture
def oxfordshire() -> Partnership:
    partnership = Partnership.objects.create(
        name="Oxfordshire Local Area Partnership",
        slug="oxfordshire",
        area_name="Oxfordshire",
        area_code="E10000025",
        region="South East",
    )
    for name in ORGANISATIONS:
        Organisation.objects.create(partnership=partnership, name=name)
    plan = Plan.objects.create(
        partnership=partnership, title="Priority Action Plan", approved_date=datetime.date(2023, 12, 12)
    )
    for number in (1, 3, 4):
        area = PriorityArea.objects.create(plan=plan, number=number, title=f"Area {number}")
        objective = Objective.objects.create(priority_area=area, code=str(number), text="Objective")
        for ref in {1: ["1.1", "1.3", "1.4"], 3: ["3A1", "3A2", "3B3"], 4: ["4B3"]}[number]:
            Action.objects.create(plan=plan, objective=objective, ref=ref, published_ref=ref, description=ref)
    return partnership


def test_the_seeds_indicators_load_once_with_owners_links_and_demo_flags(oxfordshire):
    first = load_oxfordshire_kpis(oxfordshire)
    counts = (
        Indicator.objects.filter(partnership=oxfordshire).count(),
        Target.objects.filter(indicator__partnership=oxfordshire).count(),
        IndicatorValue.objects.filter(indicator__partnership=oxfordshire).count(),
    )
    history = IndicatorValue.history.filter(indicator__partnership=oxfordshire).count()

    second = load_oxfordshire_kpis(oxfordshire)

    assert (
        Indicator.objects.filter(partnership=oxfordshire).count(),
        Target.objects.filter(indicator__partnership=oxfordshire).count(),
        IndicatorValue.objects.filter(indicator__partnership=oxfordshire).count(),
    ) == counts
    assert IndicatorValue.history.filter(indicator__partnership=oxfordshire).count() == history
    assert counts[0] == len(oxfordshire_case().indicators) == 7
    assert first.startswith("KPIs: 7 indicators (7 new)") and "rows imported: 970, updated: 0, skipped: 0" in first
    assert second.startswith("KPIs: 7 indicators (0 new), 0 demo targets and 0 demo values added")
    assert "rows imported: 0, updated: 0, skipped: 0" in second
    assert EhcpTimeliness.objects.count() == 970
    assert not IndicatorValue.objects.filter(indicator__partnership=oxfordshire, is_demo=False).exists()
    assert not Target.objects.filter(indicator__partnership=oxfordshire, is_demo=False).exists()

    timeliness = Indicator.objects.get(name="New EHC plans issued within 20 weeks (excluding exceptions)")
    assert timeliness.owner.name == "Oxfordshire County Council"
    assert timeliness.dfe_measure == "pc_within_20_weeks_ex"
    assert "20 weeks" in timeliness.definition and "regulation 13(3)" in timeliness.definition
    assert [a.number for a in timeliness.priority_areas.all()] == [3]
    assert {a.ref for a in timeliness.actions.all()} == {"3A1", "3A2", "1.4"}
    assert Indicator.objects.get(name__startswith="CAMHS").owner.name == "Oxford Health NHS Foundation Trust"
    assert Indicator.objects.get(name__startswith="Parent carers").owner.name == "Oxfordshire Parent Carer Forum"
    assert Indicator.objects.get(name="Number of EHC plans maintained").polarity == Polarity.NEITHER
    # Every indicator feeds the KPI dashboard, action 1.4.
    assert Action.objects.get(ref="1.4").indicators.count() == 7
    assert IndicatorValue.objects.filter(rating__isnull=False).exists()


def test_a_figure_entered_since_is_never_overwritten(oxfordshire):
    load_oxfordshire_kpis(oxfordshire)
    value = IndicatorValue.objects.filter(indicator__name__startswith="CAMHS").order_by("period_start").first()
    assert value is not None
    value.is_demo, value.value = False, 30
    value.save()

    load_oxfordshire_kpis(oxfordshire)

    value.refresh_from_db()
    assert (value.is_demo, value.value) == (False, 30)


def test_a_later_release_is_not_undone_by_loading_the_2025_file_again(oxfordshire):
    load_oxfordshire_kpis(oxfordshire)
    import_timeliness_file(SCHEME_2026)

    summary = load_oxfordshire_kpis(oxfordshire)

    assert summary.endswith("not re-imported: figures from a later release are loaded")
    assert EhcpTimeliness.objects.get(level="national", year=2024).avg_weeks == Decimal("25.1")


def test_missing_organisations_and_plan_are_skipped_not_invented(db):
    bare = Partnership.objects.create(name="Bare", slug="bare", area_name="Oxfordshire", area_code="E10000025")

    load_oxfordshire_kpis(bare)

    assert Indicator.objects.filter(partnership=bare, owner__isnull=True).count() == 7
    assert not Organisation.objects.filter(partnership=bare).exists()
