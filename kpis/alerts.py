"""The KPIs' alerts, told to the officers of the indicator's owner and its followers: a figure that
missed its target; a figure due (a monthly or quarterly indicator's last complete period with no
figure); an exception note asked for (the latest figure missed its target beyond tolerance and has
no note). Registered with the sweep in KpisConfig.ready.

The two asks are raised once per indicator and period (the period's end is the alert's due date)
and withdrawn when answered (kpis.services.withdraw_answered_asks): no source yields an answered ask.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Max
from django.utils import timezone

from send_tracker.alerts.candidates import DAY, Candidate, Source, long_date, lookback_start, path_for
from send_tracker.alerts.choices import AlertKind

from .choices import Rating
from .models import Indicator, IndicatorValue, IndicatorValueQuerySet


def told_of(indicator: Indicator, subject: Indicator | IndicatorValue, kind: str, **words: Any) -> Candidate:
    """An alert about an indicator or one of its figures, told to the officers of the indicator's
    owner and its followers; `words` are the due date, title, body and link."""
    return Candidate(
        model=type(subject),
        subject_id=subject.pk,
        partnership_id=indicator.partnership_id,
        kind=kind,
        organisations=(indicator.owner_id,) if indicator.owner_id else (),
        followed=((Indicator, indicator.pk),),
        **words,
    )


def against_target(value: IndicatorValue) -> str:
    return f" against a target of {value.target.formatted}" if value.target else ""


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
    for value in news(
        IndicatorValue.objects.latest_of_each().filter(rating=Rating.MISSED, entered_at__gte=since), start
    ):
        indicator, period = value.indicator, value.period.label
        yield told_of(
            indicator,
            value,
            AlertKind.KPI_MISSED,
            due_date=value.period_end,
            title=f"{indicator.name}: {period} missed its target",
            body="\n".join(
                [
                    f"The figure for {period} is {value.formatted}{against_target(value)}: the target was missed.",
                    *([f"Note: {value.note}"] if value.note else []),
                ]
            ),
            link=link(indicator.pk),
        )


def news(values: IndicatorValueQuerySet, start: datetime.date) -> Iterator[IndicatorValue]:
    """These figures with their indicators and targets, less those that are old news: whose period
    ended more than one period before the look-back began (`start`)."""
    for value in values.select_related("indicator", "target").order_by("pk"):
        if value.period_end + (value.period_end - value.period_start) >= start - DAY:
            yield value


# An indicator with no figure for this long before the period that is due has stopped being
# reported: its pages still say the figure is due, but its owner is not chased each month.
STILL_REPORTED = datetime.timedelta(days=366)


def figures_due(today: datetime.date) -> Iterator[Candidate]:
    """Each monthly or quarterly indicator in use whose last complete period has no figure yet,
    once per period: the first sweep after the period ends tells the owner, and nothing more is
    said of that period (the key holds its end); entering the figure withdraws the alert.

    In use: it has a figure for a period that ended within the year before, or none yet and it was
    made before the period ended (a new indicator owes no figure for a period over before it was
    made; one loaded with its past figures does). One last reported years ago is not chased each
    month (its pages still say so)."""
    link = path_for("kpis:detail")
    indicators = Indicator.objects.figures_due(today).annotate(latest_end=Max("values__period_end")).order_by("pk")
    for indicator in indicators:
        period = indicator.figure_due(today)
        if period is None:
            continue
        latest_end: datetime.date | None = indicator.latest_end
        if latest_end is None:
            if timezone.localdate(indicator.created_at) > period.end:
                continue  # new since the period ended, so it owes no figure for it
        elif latest_end < period.end - STILL_REPORTED:
            continue
        yield told_of(
            indicator,
            indicator,
            AlertKind.FIGURE_DUE,
            due_date=period.end,
            title=f"{indicator.name}: the figure for {period.label} is due",
            body=(
                f"{period.label} ended on {long_date(period.end)} and its figure has not been entered. "
                "Enter it on the indicator's page, or upload it with the partnership's other figures."
            ),
            link=link(indicator.pk),
        )


def exception_notes_due(today: datetime.date) -> Iterator[Candidate]:
    """Each indicator's latest figure that missed its target beyond tolerance and has no exception
    note: the owner is asked, once, why, what is being done and when it should recover. A figure
    that is old news (as for kpi_misses) is not asked for."""
    # The indicator's page, which offers its owner the note's form: a follower reads the ask too.
    link = path_for("kpis:detail")
    start = lookback_start(today)
    for value in news(IndicatorValue.objects.asking_for_exception_note(), start):
        indicator, period = value.indicator, value.period.label
        yield told_of(
            indicator,
            value,
            AlertKind.EXCEPTION_NOTE_DUE,
            due_date=value.period_end,
            title=f"{indicator.name}: an exception note is asked for {period}",
            body=(
                f"The figure for {period} is {value.formatted}{against_target(value)}, beyond its tolerance. "
                "Say why it was missed, what is being done and when it should be back on target."
            ),
            link=link(indicator.pk),
        )


ALERT_SOURCES: dict[str, Source] = {
    "kpi_misses": kpi_misses,
    "figures_due": figures_due,
    "exception_notes_due": exception_notes_due,
}
