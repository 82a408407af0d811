"""The KPIs' alerts: a figure that missed its target, told to the officers of the indicator's owner
and its followers. Registered with the sweep in KpisConfig.ready.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone

from send_tracker.alerts.candidates import Candidate, Source, lookback_start, path_for
from send_tracker.alerts.choices import AlertKind

from .choices import Rating
from .models import Indicator, IndicatorValue


def kpi_misses(today: datetime.date) -> Iterator[Candidate]:
    """KPI figures rated "missed" against their target, entered or changed since the look-back began.

    A figure has no deadline of its own; the end of its period stands in the alert's key, so a
    revised figure for the same period is not told twice.
    """
    link = path_for("kpis:detail")
    since = datetime.datetime.combine(lookback_start(today), datetime.time.min, tzinfo=timezone.get_default_timezone())
    values = (
        IndicatorValue.objects.filter(rating=Rating.MISSED, entered_at__gte=since)
        .select_related("indicator", "target")
        .order_by("pk")
    )
    for value in values:
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
