"""The KPIs' alerts: a figure that missed its target, told to the officers of the indicator's owner
and its followers. Registered with the sweep in KpisConfig.ready.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from send_tracker.alerts.candidates import DAY, Candidate, Source, lookback_start, path_for
from send_tracker.alerts.choices import AlertKind

from .choices import Rating
from .models import Indicator, IndicatorValue


def kpi_misses(today: datetime.date) -> Iterator[Candidate]:
    """Each indicator's latest figure, if it is rated "missed" against its target and was entered or
    changed since the look-back began. An earlier period's figure is never told, whenever it was
    entered: loading three years of history raises one alert per indicator at most, not one per
    month. Nor is a latest figure whose period is old news: one that ended more than one period
    (a month, a quarter, a year) before the look-back began, as for an indicator no longer reported.

    A figure has no deadline of its own; the end of its period stands in the alert's key, so a
    revised figure for the same period is not told twice.
    """
    link = path_for("kpis:detail")
    start = lookback_start(today)
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=timezone.get_default_timezone())
    latest = IndicatorValue.objects.filter(indicator=OuterRef("indicator")).order_by("-period_end").values("period_end")
    values = (
        IndicatorValue.objects.filter(rating=Rating.MISSED, entered_at__gte=since, period_end=Subquery(latest[:1]))
        .select_related("indicator", "target")
        .order_by("pk")
    )
    for value in values:
        if value.period_end + (value.period_end - value.period_start) < start - DAY:
            continue
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


ALERT_SOURCES: dict[str, Source] = {"kpi_misses": kpi_misses}
