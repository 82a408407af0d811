"""The Oxfordshire example's indicators: the measures the council papers (seeds 000 to 003) name,
with real definitions and the DfE's real published timeliness figures.

Oxfordshire's own monthly figures are not public, so the local values and targets loaded here are
made up for the demonstration and flagged is_demo; every page labels them "Demo figure". The DfE
figures imported from the 2025 release are real.

load_oxfordshire_kpis is idempotent: it adds what is missing and never overwrites a figure or
target someone has entered since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from actions.choices import PlanKind
from actions.models import Action, Plan, PriorityArea
from send_tracker.accounts.models import Organisation, Partnership

from .choices import DfeMeasure, Frequency, Polarity, Unit
from .dfe_timeliness import import_timeliness_file
from .models import EhcpTimeliness, Indicator
from .periods import parse_period
from .services import load_demo_values, set_target

DFE_FILE = Path(settings.BASE_DIR) / "send_tracker" / "seed_data" / "dfe_ehcp_timeliness_20_week_ry2025_all_plans.csv"

DFE_FILE_LAST_YEAR = 2024

COUNCIL = "Oxfordshire County Council"
ICB = "NHS Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board"
OXFORD_HEALTH = "Oxford Health NHS Foundation Trust"
PARENT_CARER_FORUM = "Oxfordshire Parent Carer Forum"

DEMO_TARGET_NOTE = "Demo target: invented to show how the tracker works."

MONTHS_2023_25 = [f"{2023 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(24)]  # April 2023 to March 2025


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    definition: str
    unit: str
    polarity: str
    frequency: str
    source: str
    owner: str
    priority_areas: tuple[int, ...]
    actions: tuple[str, ...]
    dfe_measure: str = ""
    targets: tuple[tuple[str, str, str, str], ...] = ()  # first, last, value, tolerance
    values: list[dict[str, object]] = field(default_factory=list)


def _monthly_rates(percentages: list[int], plans: list[int], denominators: list[int]) -> list[dict[str, object]]:
    return [
        {"period": period, "numerator": round(pc * den / 100), "denominator": total}
        for period, pc, den, total in zip(MONTHS_2023_25, percentages, plans, denominators, strict=True)
    ]


# Demo shapes: timeliness holding near half, falling through 2024 (as the DfE's real annual figure
# did, 53.7% in 2023 to 38.5% in 2024) and recovering in early 2025.
_EX_PC = [55, 58, 52, 50, 54, 57, 49, 53, 51, 45, 41, 38, 36, 33, 35, 37, 34, 39, 40, 42, 44, 48, 52, 55]
_PLANS = [78, 84, 80, 69, 92, 88, 81, 76, 70, 83, 79, 85, 74, 81, 77, 72, 88, 84, 80, 79, 76, 86, 82, 90]
# Including exceptions, a few more plans each month, none of them within 20 weeks.
_CAMHS_WEEKS_2023_24 = [24.5, 25.1, 23.8, 24.9, 26.2, 25.4, 24.0, 23.1, 22.7, 23.5, 22.0, 21.4]
_CAMHS_WEEKS_2024_25 = [21.9, 20.8, 20.1, 19.6, 19.9, 18.7, 18.2, 19.4, 18.9, 17.6, 17.1, 16.8]
_INC_PLANS = [den + 1 + i % 3 for i, den in enumerate(_PLANS)]

SPECS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        name="New EHC plans issued within 20 weeks (excluding exceptions)",
        definition=(
            "Of the new education, health and care plans the council issued in the period, the percentage issued "
            "within 20 weeks of the request for an assessment, the time limit the SEND Regulations 2014 set. "
            "Plans for which the regulations allow longer are left out: regulation 13(3) allows it when, for "
            "example, the family's exceptional personal circumstances or a school holiday of four weeks or more "
            "make the limit impractical. This is the DfE's headline national measure."
        ),
        unit=Unit.PERCENT,
        polarity=Polarity.HIGHER_IS_BETTER,
        frequency=Frequency.MONTHLY,
        source="Council SEND case management system, monthly; published yearly by the DfE from the SEN2 return",
        owner=COUNCIL,
        priority_areas=(3,),
        actions=("3A1", "3A2", "1.4"),
        dfe_measure=DfeMeasure.PC_WITHIN_20_WEEKS_EX,
        targets=(("2023-04", "2024-03", "50", "5"), ("2024-04", "2025-03", "60", "5")),
        values=_monthly_rates(_EX_PC, _PLANS, _PLANS),
    ),
    IndicatorSpec(
        name="New EHC plans issued within 20 weeks (including exceptions)",
        definition=(
            "Of all the new education, health and care plans the council issued in the period, including those "
            "for which the SEND Regulations 2014 allow longer than 20 weeks, the percentage issued within 20 "
            "weeks of the request for an assessment."
        ),
        unit=Unit.PERCENT,
        polarity=Polarity.HIGHER_IS_BETTER,
        frequency=Frequency.MONTHLY,
        source="Council SEND case management system, monthly; published yearly by the DfE from the SEN2 return",
        owner=COUNCIL,
        priority_areas=(3,),
        actions=("3A1", "3A2", "1.4"),
        dfe_measure=DfeMeasure.PC_WITHIN_20_WEEKS,
        targets=(("2023-04", "2024-03", "50", "5"), ("2024-04", "2025-03", "60", "5")),
        values=_monthly_rates(_EX_PC, _PLANS, _INC_PLANS),
    ),
    IndicatorSpec(
        name="EHC plans judged good or better in the quality audit",
        definition=(
            "Of the sample of education, health and care plans audited in the quarter by Invision, an "
            "independent third-party organisation, the percentage judged good or better: the plan describes the "
            "child or young person accurately and the advice from education, health and social care is "
            "thorough enough for their needs to be met."
        ),
        unit=Unit.PERCENT,
        polarity=Polarity.HIGHER_IS_BETTER,
        frequency=Frequency.QUARTERLY,
        source="Invision independent audit of a sample of plans, quarterly (Multi-Agency Quality Assurance Framework)",
        owner=COUNCIL,
        priority_areas=(3,),
        actions=("3B1", "3B3", "1.4"),
        targets=(("2023-Q2", "2023-Q4", "60", "5"), ("2024-Q1", "2025-Q1", "70", "5")),
        values=[
            {"period": period, "numerator": good, "denominator": 40}
            for period, good in zip(
                ["2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"],
                [19, 21, 22, 24, 25, 26, 28, 29],
                strict=True,
            )
        ],
    ),
    IndicatorSpec(
        name="Number of EHC plans maintained",
        definition=(
            "The number of children and young people aged 0 to 25 with an education, health and care plan "
            "maintained by Oxfordshire County Council on the last day of the month. It measures demand, so "
            "neither a rise nor a fall is good or bad in itself. The DfE publishes the January count each year."
        ),
        unit=Unit.NUMBER,
        polarity=Polarity.NEITHER,
        frequency=Frequency.MONTHLY,
        source="Council SEND case management system, monthly; DfE SEN2 return (January census)",
        owner=COUNCIL,
        priority_areas=(3,),
        actions=("1.4",),
        values=[{"period": period, "value": 6310 + 41 * i + (i % 3) * 7} for i, period in enumerate(MONTHS_2023_25)],
    ),
    IndicatorSpec(
        name="CAMHS: median wait from referral to treatment",
        definition=(
            "The median number of weeks that children and young people referred to Oxfordshire's child and "
            "adolescent mental health services (CAMHS) in the month waited from referral to the start of "
            "treatment (their second contact). Half waited longer than this."
        ),
        unit=Unit.WEEKS,
        polarity=Polarity.LOWER_IS_BETTER,
        frequency=Frequency.MONTHLY,
        source="Oxford Health NHS Foundation Trust CAMHS waiting list data, monthly",
        owner=OXFORD_HEALTH,
        priority_areas=(4,),
        actions=("4B3", "4C1", "1.4"),
        targets=(("2023-04", "2024-03", "20", "2"), ("2024-04", "2025-03", "18", "2")),
        values=[
            {"period": period, "value": weeks}
            for period, weeks in zip(
                MONTHS_2023_25,
                _CAMHS_WEEKS_2023_24 + _CAMHS_WEEKS_2024_25,
                strict=True,
            )
        ],
    ),
    IndicatorSpec(
        name="Suspensions (fixed-term exclusions) of pupils with SEND",
        definition=(
            "The number of suspensions (called fixed-period or fixed-term exclusions before 2020/21) of pupils "
            "with special educational needs, with an EHC plan or on SEN support, in Oxfordshire's state-funded "
            "schools during the academic year, per 100 such pupils. The 2017 inspection found the level of "
            "fixed-term exclusion of these pupils in secondary schools high."
        ),
        unit=Unit.RATE_PER_100,
        polarity=Polarity.LOWER_IS_BETTER,
        frequency=Frequency.ACADEMIC_YEAR,
        source="DfE 'Suspensions and permanent exclusions in England', yearly by academic year",
        owner=COUNCIL,
        priority_areas=(4,),
        actions=("4D1", "1.4"),
        targets=(("2023/24", "2024/25", "12", "1"),),
        values=[
            {"period": period, "numerator": count, "denominator": pupils}
            for period, count, pupils in (
                ("2019/20", 1136, 16020),
                ("2020/21", 1371, 16330),
                ("2021/22", 1990, 16720),
                ("2022/23", 2310, 17110),
                ("2023/24", 2210, 17540),
            )
        ],
    ),
    IndicatorSpec(
        name="Parent carers who agree their child's needs are being met",
        definition=(
            "Of the parent carers who answered the partnership's Lived Experience survey, co-produced with the "
            "Oxfordshire Parent Carer Forum, the percentage who agree that their child's special educational "
            "needs are being met. The survey began in May 2024 and is repeated every six to nine months."
        ),
        unit=Unit.PERCENT,
        polarity=Polarity.HIGHER_IS_BETTER,
        frequency=Frequency.QUARTERLY,
        source="Lived Experience survey of parent carers, every six to nine months",
        owner=PARENT_CARER_FORUM,
        priority_areas=(1,),
        actions=("1.1", "1.3", "1.4"),
        targets=(("2025-Q1", "2025-Q4", "45", "5"),),
        values=[
            {"period": "2024-Q2", "numerator": 128, "denominator": 412},
            {"period": "2025-Q1", "numerator": 144, "denominator": 388},
        ],
    ),
)


def _current_plan(partnership: Partnership) -> Plan | None:
    return (
        Plan.objects.filter(partnership=partnership, kind=PlanKind.PRIORITY_ACTION_PLAN)
        .order_by("-is_current", "pk")
        .first()
    )


def load_oxfordshire_kpis(partnership: Partnership) -> str:
    """Create the seeds' indicators with demo values and targets, and import the DfE's 2025 release.

    Safe to run again: indicators are matched by name, and only missing links, targets and values
    are added. Returns a one-line summary.
    """
    organisations = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
    plan = _current_plan(partnership)
    areas = {a.number: a for a in PriorityArea.objects.filter(plan=plan)} if plan else {}
    actions = {a.ref: a for a in Action.objects.filter(plan=plan)} if plan else {}
    created = targets_added = values_added = 0
    for position, spec in enumerate(SPECS, start=1):
        indicator, made = Indicator.objects.get_or_create(
            partnership=partnership,
            name=spec.name,
            defaults={
                "definition": spec.definition,
                "unit": spec.unit,
                "polarity": spec.polarity,
                "frequency": spec.frequency,
                "source": spec.source,
                "owner": organisations.get(spec.owner),
                "dfe_measure": spec.dfe_measure,
                # The measures the DfE publishes are public already; the local ones are for the
                # partnership to publish when it chooses.
                "is_public": bool(spec.dfe_measure),
                "position": position,
            },
        )
        created += made
        # add() ignores links already there, so a plan loaded after the KPIs is linked on a re-run.
        indicator.priority_areas.add(*[areas[n] for n in spec.priority_areas if n in areas])
        indicator.actions.add(*[actions[ref] for ref in spec.actions if ref in actions])
        existing_targets = set(indicator.targets.values_list("first_period_start", flat=True))
        for first, last, value, tolerance in spec.targets:
            if parse_period(first, indicator.frequency).start in existing_targets:
                continue
            set_target(
                indicator_id=indicator.pk,
                user=None,
                first_period=first,
                last_period=last,
                value=value,
                tolerance=tolerance,
                note=DEMO_TARGET_NOTE,
                is_demo=True,
            )
            targets_added += 1
        existing_values = set(indicator.values.values_list("period_start", flat=True))
        missing = [
            row
            for row in spec.values
            if parse_period(str(row["period"]), indicator.frequency).start not in existing_values
        ]
        if missing:
            values_added += load_demo_values(indicator, missing).created
    # The 2025 release ends with 2024. A year after that means a later release has been imported,
    # which revised the earlier years too: loading the 2025 file again must not undo it.
    if EhcpTimeliness.objects.filter(year__gt=DFE_FILE_LAST_YEAR).exists():
        dfe_summary = "not re-imported: figures from a later release are loaded"
    else:
        dfe_summary = import_timeliness_file(DFE_FILE).summary
    return (
        f"KPIs: {len(SPECS)} indicators ({created} new), {targets_added} demo targets and {values_added} demo "
        f"values added; DfE EHC plan timeliness {dfe_summary}"
    )
