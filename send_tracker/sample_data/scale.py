"""Realistic data at national scale, for `make bench` and for trying the product with many areas.

Each partnership gets about 40 actions with two years of monthly rating changes (as history rows,
the way the tracker keeps them), 20 KPIs with monthly values (each with the history row its entry
would have left), and, where the recommendations app is installed, 50 recommendations. `months`
shortens the history: 0 makes a partnership whose plan has only its first rows and no figures. Rows are written with bulk_create: 150 partnerships take seconds.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from actions.choices import Brag, DueDateKind, PlanKind
from actions.models import Action, Objective, Plan, PriorityArea
from kpis.models import Indicator, IndicatorValue
from send_tracker import freshness
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import Organisation, Partnership, User
from send_tracker.history import history_row

ACTIONS_PER_PARTNERSHIP = 40
KPIS_PER_PARTNERSHIP = 20
MONTHS = 24
RATINGS = [Brag.GREY, Brag.RED, Brag.AMBER, Brag.AMBER, Brag.GREEN, Brag.BLUE]
# The plan is signed off a fortnight after its rows are first written; after that, each month an
# action's target date moves (later, mostly) one time in DATE_MOVE_ODDS, as the plan's baseline and
# "Since sign-off" page read them (actions/baseline.py). ADDED_LATER actions join the plan later.
SIGNED_OFF_AFTER_DAYS = 14
DATE_MOVE_ODDS = 6
DATE_MOVES_MONTHS = [3, 3, 2, 1, 1, -1]
ADDED_LATER = 2


def _month_start(start: datetime.date, months: int) -> datetime.date:
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def make_partnership(number: int, rng: random.Random, today: datetime.date, months: int = MONTHS) -> Partnership:
    slug = f"scale-{number:03d}"
    partnership = Partnership.objects.create(
        name=f"Scale Area {number:03d} Partnership", slug=slug, area_name=f"Scale Area {number:03d}",
        area_code=f"E1{number:07d}", region="South East",
    )  # fmt: skip
    council = Organisation.objects.create(
        partnership=partnership, name=f"Scale Area {number:03d} Council", short_name="Council",
        kind=OrganisationKind.COUNCIL,
    )  # fmt: skip
    Organisation.objects.create(partnership=partnership, name=f"Scale Area {number:03d} ICB", kind=OrganisationKind.ICB)
    User.objects.create_user(username=f"{slug}-officer", organisation=council, role=Role.OFFICER)
    User.objects.create_user(username=f"{slug}-councillor", organisation=council, role=Role.SCRUTINY)
    plan = Plan.objects.create(
        partnership=partnership, title="Priority Action Plan", kind=PlanKind.PRIORITY_ACTION_PLAN, is_public=True,
        inspection_report_date=today - datetime.timedelta(days=800),
        approved_date=_month_start(today, -months) + datetime.timedelta(days=SIGNED_OFF_AFTER_DAYS if months else 0),
    )  # fmt: skip
    areas = PriorityArea.objects.bulk_create(
        PriorityArea(plan=plan, number=n, title=f"Priority area {n}") for n in range(1, 6)
    )
    objectives = Objective.objects.bulk_create(
        Objective(priority_area=area, code=f"{area.number}{letter}", text=f"Objective {area.number}{letter}")
        for area in areas
        for letter in "AB"
    )
    start = _month_start(today, -months)
    actions = []
    for n in range(ACTIONS_PER_PARTNERSHIP):
        objective = objectives[n % len(objectives)]
        due = _month_start(start, rng.randrange(6, MONTHS + 9)) - datetime.timedelta(days=1)
        actions.append(
            Action(
                plan=plan,
                objective=objective,
                ref=f"{objective.code}{n // len(objectives) + 1}",
                published_ref=f"{objective.code}{n // len(objectives) + 1}",
                description=f"Action {n + 1} of {partnership.area_name}: improve the timeliness of contributions.",
                due_date=due,
                due_date_kind=DueDateKind.DATE,
                due_date_text=due.strftime("%b %y"),
                owner=council,
                brag=rng.choice(RATINGS),
                brag_commentary="Monthly update.",
                version=months + 1,
                position=n,
            )  # fmt: skip
        )
    actions = Action.objects.bulk_create(actions)
    # Each action's target date month by month: it moves now and then after sign-off, and the
    # action ends at its last date.
    due_dates = {action.pk: _due_dates(action.due_date, rng, months) for action in actions if action.due_date}
    for action in actions:
        action.due_date = due_dates[action.pk][-1]
        action.due_date_text = action.due_date.strftime("%b %y")
    Action.objects.bulk_update(actions, ["due_date", "due_date_text"])
    history = Action.history.model
    rows = []
    for index, action in enumerate(actions):
        brag: str | None = None
        # The last few actions were added to the plan six months after it was signed off.
        first = min(6, months) if index >= len(actions) - ADDED_LATER else 0
        for month in range(first, months + 1):
            when = timezone.make_aware(datetime.datetime.combine(_month_start(start, month), datetime.time(10)))
            if month > first:
                brag = rng.choice(RATINGS)
            if month == months:
                brag = action.brag
            rows.append(
                history_row(
                    history,
                    by=None,
                    reason="Monthly update.",
                    id=action.pk,
                    plan_id=plan.pk,
                    objective_id=action.objective_id,
                    ref=action.ref,
                    published_ref=action.published_ref,
                    description=action.description,
                    comment="",
                    themes_text="",
                    workstreams_text="",
                    due_date=due_dates[action.pk][month],
                    due_date_kind=action.due_date_kind,
                    due_date_text=due_dates[action.pk][month].strftime("%b %y"),
                    owner_id=council.pk,
                    brag=brag,
                    brag_commentary="Monthly update." if month else "",
                    brag_commentary_is_public=False,
                    version=month + 1,
                    position=action.position,
                    updated_at=when,
                    history_date=when,
                    history_type="+" if month == first else "~",
                )  # fmt: skip
            )
    history.objects.bulk_create(rows, batch_size=5000)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            partnership=partnership,
            name=f"Indicator {k + 1}",
            definition="A realistic measure.",
            unit="percent",
            polarity="higher",
            frequency="monthly",
            source="Case management system",
            owner=council,
            is_public=k < 5,
            position=k,
        )  # fmt: skip
        for k in range(KPIS_PER_PARTNERSHIP)
    )
    values = []
    for indicator in indicators:
        level = rng.uniform(20, 80)
        for month in range(months):
            period_start = _month_start(start, month)
            period_end = _month_start(start, month + 1) - datetime.timedelta(days=1)
            level = min(100.0, max(0.0, level + rng.uniform(-4, 5)))
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    period_start=period_start,
                    period_end=period_end,
                    value=Decimal(f"{level:.1f}"),
                    entered_by_label="Scale data",
                )  # fmt: skip
            )
    values = IndicatorValue.objects.bulk_create(values, batch_size=5000)
    # Each figure's history row, as entering it would have left: a week after its month ended.
    figure_history = IndicatorValue.history.model
    figure_rows = []
    for value in values:
        entered = timezone.make_aware(datetime.datetime.combine(value.period_end, datetime.time(10)))
        entered += datetime.timedelta(days=7)
        figure_rows.append(
            history_row(
                figure_history,
                by=None,
                reason="Scale data",
                id=value.pk,
                indicator_id=value.indicator_id,
                period_start=value.period_start,
                period_end=value.period_end,
                value=value.value,
                source=value.source,
                entered_by_label=value.entered_by_label,
                entered_at=entered,
                history_date=entered,
                history_type="+",
            )  # fmt: skip
        )
    figure_history.objects.bulk_create(figure_rows, batch_size=5000)
    freshness.bump(partnership.pk)  # rows written in bulk, which send no signals
    _make_recommendations(partnership, council, rng, today)
    return partnership


def _due_dates(first: datetime.date, rng: random.Random, months: int = MONTHS) -> list[datetime.date]:
    """An action's target date at each of the months + 1 monthly history rows: the same until
    sign-off, then moved a few months (later, mostly) one month in DATE_MOVE_ODDS."""
    dates = [first]
    for _ in range(months):
        due = dates[-1]
        if rng.randrange(DATE_MOVE_ODDS) == 0:
            due = _month_start(due, rng.choice(DATE_MOVES_MONTHS) + 1) - datetime.timedelta(days=1)
        dates.append(due)
    return dates


def _make_recommendations(
    partnership: Partnership, council: Organisation, rng: random.Random, today: datetime.date
) -> None:
    """50 recommendations per partnership, from the recommendations app's builder."""
    from recommendations.scale import make_recommendations

    make_recommendations(partnership, council, rng, today, count=50)


def make_scale_data(
    partnerships: int, *, seed: int = 2026, today: datetime.date | None = None, months: int = MONTHS
) -> list[Partnership]:
    today = today or timezone.localdate()
    existing = Partnership.objects.filter(slug__startswith="scale-").count()
    rng = random.Random(seed + existing)  # noqa: S311 - sample data, not security
    return [make_partnership(existing + n + 1, rng, today, months) for n in range(partnerships)]
