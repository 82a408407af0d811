"""A meeting's figures as they stood at the end of its day: what its page shows and its board pack prints.

The plan, the register and what changed come from `as_it_stood.read_meeting`. This adds the rest
of the board pack: the headline figures with their change since the board's previous meeting, the
indicators' latest figures against target with their trend (read from the figures' history, so a
figure entered or corrected after the meeting is not in its pack), and the recommendations then
awaiting a response with the days left at the meeting.

A fixed number of queries whatever the number of partnerships or the length of the history: the
plan, register and changes (at most seven), the baseline comparison (five, its organisations used
for the pack's too), the indicators, their figures' history with their targets, and the
recommendations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from actions.baseline import SinceSignOff, compare_with_baseline
from actions.models import Plan
from kpis.choices import Rating
from kpis.models import Indicator, IndicatorValue, direction_of_travel
from recommendations.models import Recommendation
from send_tracker.accounts.models import Organisation

from .as_it_stood import MeetingReading, read_meeting
from .models import Meeting, end_of_day, long_date

# An indicator's trend in the pack: this many of its latest figures, oldest first.
TREND_FIGURES = 6


@dataclass(frozen=True)
class IndicatorFigure:
    """One figure of an indicator as its history recorded it at the meeting."""

    value_id: int
    period_label: str
    value: Decimal
    formatted: str
    rating: str | None
    # The value of the target the figure was rated against (None: not rated against one).
    target_value: Decimal | None


@dataclass
class IndicatorAsItStood:
    """An indicator at the meeting: its latest figures then, oldest first, and its target."""

    indicator: Indicator
    figures: list[IndicatorFigure]

    @property
    def latest(self) -> IndicatorFigure | None:
        return self.figures[-1] if self.figures else None

    @property
    def previous(self) -> IndicatorFigure | None:
        return self.figures[-2] if len(self.figures) > 1 else None

    @property
    def direction(self) -> str:
        latest, previous = self.latest, self.previous
        return direction_of_travel(
            self.indicator.polarity, latest.value if latest else None, previous.value if previous else None
        )[0]

    @property
    def rating_label(self) -> str:
        latest = self.latest
        if latest is None:
            return "No figure"
        return Rating(latest.rating).label if latest.rating else "No target"

    @property
    def is_off_target(self) -> bool:
        return bool(self.latest and self.latest.rating == Rating.MISSED)

    @property
    def target_text(self) -> str:
        latest = self.latest
        return self.indicator.format(latest.target_value) if latest and latest.target_value is not None else "No target"

    @property
    def trend_text(self) -> str:
        """The latest figures in words, oldest first: 'March 2024 61%; April 2024 64%'."""
        return "; ".join(f"{figure.period_label} {figure.formatted}" for figure in self.figures) or "No figures"


@dataclass(frozen=True)
class AwaitingResponse:
    """A recommendation owed a response at the meeting, with its deadline then."""

    recommendation: Recommendation
    due: datetime.date | None
    days_left: int | None

    @property
    def days_left_text(self) -> str:
        if self.days_left is None:
            return "No deadline"
        if self.days_left == 0:
            return "Due that day"
        if self.days_left > 0:
            return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"
        return f"{-self.days_left} day{'s' if self.days_left != -1 else ''} overdue"


@dataclass(frozen=True)
class Headline:
    """One headline figure at the meeting, with the same figure at the previous one (None: none to compare)."""

    key: str
    label: str
    value: int
    before: int | None = None
    anchor: str = ""
    # Whether a rise is good news ("Green"), bad ("Overdue"), or neither.
    rise_is: str = "neutral"

    @property
    def change_text(self) -> str:
        if self.before is None:
            return "No earlier meeting to compare"
        difference = self.value - self.before
        if difference == 0:
            return f"No change (was {self.before})"
        word = "Up" if difference > 0 else "Down"
        return f"{word} {abs(difference)} (was {self.before})"


@dataclass
class MeetingFigures:
    """Everything the meeting page and its board pack read, as at the end of the meeting's day."""

    meeting: Meeting
    previous: Meeting | None
    plan: Plan | None
    reading: MeetingReading
    since: SinceSignOff | None
    owners: dict[int, str]
    indicators: list[IndicatorAsItStood]
    awaiting: list[AwaitingResponse]
    awaiting_before: int | None
    off_target_before: int | None
    headlines: list[Headline] = field(default_factory=list)
    # When the meeting is not yet over: the moment it was read, today (None: the end of its day).
    read_at: datetime.datetime | None = None

    @property
    def on(self) -> datetime.date:
        """The day every section is read at: the meeting's, or today for a meeting not yet over."""
        return timezone.localdate(self.read_at) if self.read_at else self.meeting.date

    @property
    def moment_label(self) -> str:
        """What the sections are read as at, after "at" or "by": the meeting's day ('23 November 2026'),
        or for a meeting not yet over the moment it was read ('6 December 2026, 14:10')."""
        if self.read_at is None:
            return self.meeting.date_label
        local = timezone.localtime(self.read_at)
        return f"{long_date(local.date())}, {local:%H:%M}"

    @property
    def at(self) -> str:
        """'the end of 23 November 2026', or for a meeting not yet over '6 December 2026, 14:10'."""
        return self.moment_label if self.read_at else f"the end of {self.meeting.date_label}"

    @property
    def as_at_text(self) -> str:
        return f"As at {self.at}"

    @property
    def partnership_name(self) -> str:
        return self.meeting.board.partnership.name


def read_meeting_figures(meeting: Meeting) -> MeetingFigures:
    """As at the end of the meeting's day; a meeting not yet over (today's, or one to come) as at
    now, every section alike, since nothing later is known."""
    previous = meeting.previous_meeting()
    plan = meeting.reviewed_plan()
    partnership_id = meeting.board.partnership_id
    read_at = timezone.now() if meeting.date >= timezone.localdate() else None
    on = timezone.localdate(read_at) if read_at else meeting.date
    reading = read_meeting(meeting, previous, plan, on)
    since = compare_with_baseline(plan, on) if plan is not None else None
    # The comparison has read the partnership's organisations already.
    owners = (
        since.owners
        if since is not None
        else dict(Organisation.objects.filter(partnership_id=partnership_id).values_list("pk", "name"))
    )
    before = previous.date if previous else None
    indicators, off_target_before = indicators_as_they_stood(partnership_id, on, before)
    awaiting, awaiting_before = awaiting_response(partnership_id, on, before)
    figures = MeetingFigures(
        meeting=meeting,
        previous=previous,
        plan=plan,
        reading=reading,
        since=since,
        owners=owners,
        indicators=indicators,
        awaiting=awaiting,
        awaiting_before=awaiting_before,
        off_target_before=off_target_before,
        read_at=read_at,
    )
    figures.headlines = headline_figures(figures)
    return figures


def headline_figures(figures: MeetingFigures) -> list[Headline]:
    """The figures a board reads first: actions by rating, overdue, slipped since sign-off,
    responses due and indicators off target, each against the previous meeting."""
    reading = figures.reading
    then = reading.previous_plan
    previous_counts = {count.value: count.count for count in then.rating_counts()} if then else {}
    rows: list[Headline] = []
    for count in reading.plan.rating_counts():
        rise_is = {"green": "good", "blue": "good", "red": "bad"}.get(count.value, "neutral")
        rows.append(
            Headline(
                f"rating_{count.value}",
                f"Actions rated {count.label}" if count.value != "none" else "Actions not yet rated",
                count.count,
                previous_counts.get(count.value) if then else None,
                "plan",
                rise_is,
            )
        )
    rows.append(
        Headline(
            "overdue", "Actions overdue", len(reading.plan.overdue), len(then.overdue) if then else None, "plan", "bad"
        )
    )
    if figures.since is not None and figures.since.is_signed_off:
        slipped = len(figures.since.lists["moved_later"])
        rows.append(Headline("slipped", "Target dates moved later since sign-off", slipped, None, "plan", "bad"))
    rows.append(
        Headline(
            "responses_due",
            "Recommendations awaiting a response",
            len(figures.awaiting),
            figures.awaiting_before,
            "recommendations",
            "bad",
        )
    )
    off_target = sum(1 for row in figures.indicators if row.is_off_target)
    rows.append(
        Headline("off_target", "Indicators off target", off_target, figures.off_target_before, "indicators", "bad")
    )
    return rows


def indicators_as_they_stood(
    partnership_id: int, on: datetime.date, before: datetime.date | None
) -> tuple[list[IndicatorAsItStood], int | None]:
    """Each indicator's latest figures as their history recorded them at the end of `on`, and how
    many were off target at the end of `before`. Two queries: the indicators, and their figures'
    history with the value of the target each was rated against (the target as it is now)."""
    indicators = list(Indicator.objects.filter(partnership_id=partnership_id).order_by("position", "name", "pk"))
    history = IndicatorValue.history.model
    records = list(
        history._default_manager.filter(
            indicator_id__in=Indicator.objects.filter(partnership_id=partnership_id).values("pk"),
            history_date__lt=end_of_day(on),
        )
        .order_by("history_date", "history_id")
        .values(
            "id",
            "indicator_id",
            "period_start",
            "period_end",
            "value",
            "rating",
            "target__value",
            "history_date",
            "history_type",
        )
    )
    by_id = {indicator.pk: indicator for indicator in indicators}
    now_rows = _figures_at(records, end_of_day(on), on)
    rows = []
    for indicator in indicators:
        figures = [
            IndicatorFigure(
                record["id"],
                indicator.period_starting(record["period_start"]).label,
                record["value"],
                indicator.format(record["value"]),
                record["rating"],
                record["target__value"],
            )
            for record in now_rows.get(indicator.pk, [])
        ][-TREND_FIGURES:]
        rows.append(IndicatorAsItStood(by_id[indicator.pk], figures))
    off_before = None
    if before is not None:
        then = _figures_at(records, end_of_day(before), before)
        off_before = sum(1 for values in then.values() if values and values[-1]["rating"] == Rating.MISSED)
    return rows, off_before


def _figures_at(records: list[dict], moment: datetime.datetime, on: datetime.date) -> dict[int, list[dict]]:
    """Each indicator's figures for periods ended by `on`, as last recorded before `moment`, in period order."""
    latest: dict[int, dict] = {}
    for record in records:
        if record["history_date"] < moment:
            latest[record["id"]] = record
    by_indicator: dict[int, list[dict]] = {}
    for record in sorted(latest.values(), key=lambda r: r["period_start"]):
        if record["history_type"] != "-" and record["period_end"] <= on:
            by_indicator.setdefault(record["indicator_id"], []).append(record)
    return by_indicator


def awaiting_response(
    partnership_id: int, on: datetime.date, before: datetime.date | None
) -> tuple[list[AwaitingResponse], int | None]:
    """Recommendations owed a response at the end of `on` (and how many at the end of `before`), by
    `Recommendation.was_owed_a_response_on`. One query."""
    moment = end_of_day(on)
    candidates = (
        Recommendation.objects.filter(
            report__partnership_id=partnership_id, response_required=True, created_at__lt=moment
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end_of_day(before) if before else moment))
        .select_related("report__committee", "response")
        .order_by("report__response_due_date", "report_id", "position", "pk")
    )
    now: list[AwaitingResponse] = []
    then = 0
    for recommendation in candidates:
        if recommendation.was_owed_a_response_on(on):
            due = recommendation.report.response_due_date
            now.append(AwaitingResponse(recommendation, due, (due - on).days if due else None))
        if before is not None and recommendation.was_owed_a_response_on(before):
            then += 1
    return now, (then if before is not None else None)
