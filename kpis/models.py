"""Key performance indicators and the DfE's published figures (issue 5)."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actions.models import Action, PriorityArea
from send_tracker.accounts import access
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.accounts.tenancy import PartnershipScopedQuerySet
from send_tracker.history import ChangeActor

from .choices import (
    NO_TARGET,
    DfeMeasure,
    Frequency,
    GeographicLevel,
    MissingReason,
    Polarity,
    Rating,
    Unit,
    ValueSource,
)
from .periods import DUE_FREQUENCIES, Period, last_complete_period, period_starting, periods_label

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser

# Figures are entered to this many decimal places; percentages are published by the DfE to one.
FIGURE_DIGITS = 14
FIGURE_PLACES = 2


def format_figure(value: Decimal | None, unit: str) -> str:
    """A figure as a reader expects it: 38.5%, 6,961, 12.0 weeks, 9.81 per 100 pupils."""
    if value is None:
        return "No figure"
    if unit == Unit.NUMBER:
        return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.WEEKS:
        return f"{value:.1f} weeks"
    return f"{value:.2f} per 100 pupils"


def format_tolerance(value: Decimal, unit: str) -> str:
    """A tolerance on a percentage is in percentage points: "5.0%" would read as a share of the target."""
    if unit == Unit.PERCENT:
        return f"{value:.1f} percentage points"
    return format_figure(value, unit)


class IndicatorQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def with_due_figure(self, today: datetime.date) -> IndicatorQuerySet:
        """Annotated with whether each indicator's figure for its last complete period is in
        (`due_figure_entered`), so that Indicator.figure_due asks nothing more of the database."""
        entered = Q()
        for frequency in DUE_FREQUENCIES:
            if period := last_complete_period(frequency, today):
                entered |= Q(indicator__frequency=frequency, period_start=period.start)
        figures = IndicatorValue.objects.filter(entered, indicator=models.OuterRef("pk"))
        return self.annotate(due_figure_entered=models.Exists(figures))

    def figures_due(self, today: datetime.date) -> IndicatorQuerySet:
        """The monthly and quarterly indicators whose last complete period has no figure yet."""
        return self.with_due_figure(today).filter(frequency__in=DUE_FREQUENCIES, due_figure_entered=False)


class Indicator(models.Model):
    """A key performance indicator the partnership has agreed to track and report to its boards and
    to scrutiny: what it measures in plain English, which way is better, how often it is reported,
    where the figure comes from and which partner organisation answers for it.

    Officers of the owning organisation enter its values and targets; everyone in the partnership
    reads it. It may be tied to a published DfE measure, so its benchmarking page compares the area
    with England, its region and chosen authorities.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted, in plain English, as a parent carer would read it.")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField("Which way is better", max_length=10, choices=Polarity.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    source = models.CharField(max_length=300, help_text="Where the figure comes from, e.g. the case management system.")
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="The partner organisation that answers for this indicator; its officers enter the values.",
    )
    priority_areas = models.ManyToManyField(PriorityArea, blank=True, related_name="indicators")
    actions = models.ManyToManyField(Action, blank=True, related_name="indicators")
    dfe_measure = models.CharField(
        "DfE published measure",
        max_length=40,
        choices=DfeMeasure.choices,
        blank=True,
        help_text="The DfE's published measure to benchmark this indicator against, if there is one.",
    )
    is_public = models.BooleanField(
        default=False, help_text="Show this indicator's figures and trend on the public transparency page."
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["created_at"])

    class Meta:
        ordering = ["partnership", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="indicator_unique_name_in_partnership"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kpis:detail", args=[self.pk])

    def clean(self) -> None:
        if self.owner is not None and self.partnership_id and self.owner.partnership_id != self.partnership_id:
            raise ValidationError({"owner": "The owner must be an organisation of this partnership."})

    def can_be_changed_by(self, user: AnyUser) -> bool:
        return access.may_change_owned_by(user, self.partnership_id, self.owner_id)

    @property
    def has_targets(self) -> bool:
        return self.polarity != Polarity.NEITHER

    def period_starting(self, start: object) -> Period:
        return period_starting(self.frequency, start)  # type: ignore[arg-type]

    def format(self, value: Decimal | None) -> str:
        return format_figure(value, self.unit)

    def figure_due(self, today: datetime.date, starts: Collection[datetime.date] | None = None) -> Period | None:
        """The last complete period, while its figure is not in: the figure is "due" from the day
        after the period ends until it is entered. None for a yearly indicator (DUE_FREQUENCIES).

        Whether it is in is read from IndicatorQuerySet.with_due_figure's annotation, or from
        `starts`, the period starts of every figure the caller has read, or else asked."""
        period = last_complete_period(self.frequency, today)
        if period is None:
            return None
        entered = getattr(self, "due_figure_entered", None)
        if entered is None:
            entered = (
                period.start in starts if starts is not None else self.values.filter(period_start=period.start).exists()
            )
        return None if entered else period


class TargetQuerySet(PartnershipScopedQuerySet):
    partnership_path = "indicator__partnership"

    def covering(self, day: object) -> TargetQuerySet:
        return self.filter(first_period_start__lte=day, last_period_end__gte=day)


class Target(models.Model):
    """The level the partnership has committed to reach on an indicator over a run of periods (for
    example 60% of plans within 20 weeks, every month from April 2024 to March 2025), and the
    tolerance: how far short a figure may fall and still be "within tolerance" rather than missed.

    Targets of one indicator never overlap, so every value is rated against at most one target.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    first_period_start = models.DateField(help_text="The first day of the first period the target applies to.")
    last_period_end = models.DateField(help_text="The last day of the last period the target applies to.")
    value = models.DecimalField(max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES)
    tolerance = models.DecimalField(
        max_digits=FIGURE_DIGITS,
        decimal_places=FIGURE_PLACES,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="How far short of the target, in the indicator's units, still counts as within tolerance.",
    )
    note = models.TextField(
        blank=True, help_text="Where the target comes from: a board decision, a national benchmark."
    )
    is_demo = models.BooleanField(default=False, help_text="Invented to show how the tracker works; not a real target.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_by_label = models.CharField(max_length=200, blank=True, help_text="Who set it, kept if the user goes.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["indicator", "first_period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "first_period_start"], name="target_unique_start"),
            models.CheckConstraint(
                condition=Q(last_period_end__gte=models.F("first_period_start")), name="target_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(tolerance__gte=0), name="target_tolerance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.indicator.format(self.value)} ({self.periods_label})"

    @property
    def first_period(self) -> Period:
        return self.indicator.period_starting(self.first_period_start)

    @property
    def last_period(self) -> Period:
        return self.indicator.period_starting(self.last_period_end)

    @property
    def periods_label(self) -> str:
        return periods_label(self.first_period, self.last_period)

    @property
    def formatted(self) -> str:
        return self.indicator.format(self.value)

    @property
    def tolerance_formatted(self) -> str:
        return format_tolerance(self.tolerance, self.indicator.unit) if self.tolerance else "none"

    def rate(self, value: Decimal) -> str:
        """Met, within tolerance or missed, reading the target in the indicator's better direction."""
        polarity = self.indicator.polarity
        if polarity == Polarity.HIGHER_IS_BETTER:
            shortfall = self.value - value
        elif polarity == Polarity.LOWER_IS_BETTER:
            shortfall = value - self.value
        else:  # A context measure cannot miss; Indicator.has_targets stops such targets being set.
            return Rating.MET
        if shortfall <= 0:
            return Rating.MET
        if shortfall <= self.tolerance:
            return Rating.WITHIN_TOLERANCE
        return Rating.MISSED


class IndicatorValueQuerySet(PartnershipScopedQuerySet):
    partnership_path = "indicator__partnership"

    def latest_of_each(self) -> IndicatorValueQuerySet:
        """Each indicator's latest figure: the alerts are about these, never an earlier period's."""
        latest = IndicatorValue.objects.filter(indicator=models.OuterRef("indicator")).order_by("-period_end")
        return self.filter(period_end=models.Subquery(latest.values("period_end")[:1]))

    def asking_for_exception_note(self) -> IndicatorValueQuerySet:
        """Each indicator's latest figure, where it missed its target beyond tolerance and has no
        exception note (IndicatorValue.asks_for_exception_note, in SQL)."""
        return self.latest_of_each().filter(rating=Rating.MISSED, exception_note__isnull=True)


class IndicatorValue(models.Model):
    """One period's figure for an indicator, as a board paper would report it: the value, the
    numerator and denominator behind it where there are any, a note, who entered it and from what
    source, and its rating against the target for the period (met, within tolerance or missed).

    Every change is kept in the history with who made it and why, so a revised figure never
    silently replaces the one a board was shown.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES)
    numerator = models.DecimalField(max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES, null=True, blank=True)
    denominator = models.DecimalField(max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES, null=True, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=ValueSource.choices, default=ValueSource.FORM)
    source_detail = models.CharField(max_length=300, blank=True, help_text="E.g. the uploaded file's name and line.")
    is_demo = models.BooleanField(default=False, help_text="Invented to show how the tracker works; not a real figure.")
    target = models.ForeignKey(Target, on_delete=models.SET_NULL, null=True, blank=True, related_name="rated_values")
    rating = models.CharField(max_length=20, choices=Rating.choices, null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_by_label = models.CharField(max_length=200, blank=True, help_text="Who entered it, kept if the user goes.")
    entered_at = models.DateTimeField(auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor])

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="indicator_value_unique_period"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="indicator_value_denominator_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period.label} {self.indicator.format(self.value)}"

    @property
    def period(self) -> Period:
        return self.indicator.period_starting(self.period_start)

    @property
    def formatted(self) -> str:
        return self.indicator.format(self.value)

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label if self.rating else NO_TARGET

    @property
    def note_for_exception(self) -> ExceptionNote | None:
        """The owner's exception note on this figure, if one was given (select_related it)."""
        try:
            return self.exception_note
        except ExceptionNote.DoesNotExist:
            return None

    @property
    def asks_for_exception_note(self) -> bool:
        """Missed its target beyond tolerance with no exception note yet. Only an indicator's latest
        figure is asked for one (kpis.alerts, kpis.reports): an earlier miss is history."""
        return self.rating == Rating.MISSED and self.note_for_exception is None


class ExceptionNoteQuerySet(PartnershipScopedQuerySet):
    partnership_path = "value__indicator__partnership"


class ExceptionNote(models.Model):
    """The owner's account of a figure that missed its target beyond tolerance, as a board asks of
    an indicator's owner: why it was missed, what is being done about it, and when the figure
    should be back on target. Shown with the figure on the KPI pages and in the board pack.

    One per figure; revised in place, every version kept in the history with who and why.
    """

    value = models.OneToOneField(IndicatorValue, on_delete=models.CASCADE, related_name="exception_note")
    reason = models.TextField("Why the target was missed")
    action = models.TextField("What is being done")
    recovery_date = models.DateField("When it should be back on target")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    given_by_label = models.CharField(max_length=200, blank=True, help_text="Who gave it, kept if the user goes.")
    given_at = models.DateTimeField(auto_now=True)

    objects = ExceptionNoteQuerySet.as_manager()
    history = HistoricalRecords(bases=[ChangeActor], excluded_fields=["given_at"])

    class Meta:
        ordering = ["value"]

    def __str__(self) -> str:
        return f"Exception note: {self.value}"


class EhcpTimelinessQuerySet(models.QuerySet):
    def local_authorities(self) -> EhcpTimelinessQuerySet:
        return self.filter(level=GeographicLevel.LOCAL_AUTHORITY)


class EhcpTimeliness(models.Model):
    """The DfE's published figures for new EHC plans issued within the 20 weeks the SEND Regulations
    2014 allow, for England, a region or a local authority in one calendar year: how many plans were
    issued, how many within 20 weeks, the percentages and (from 2026) the average weeks taken, each
    both including and excluding the exceptions regulation 13(3) allows.

    This is public reference data, not any partnership's own: every signed-in user reads all of it.
    A figure the DfE marked x (not available) or z (not applicable) is NULL here with the reason in
    `missing`, never 0. A later release revises a year in place (unique on level, area and year).
    """

    # The fields a partner API exposes, named as that API names them.
    FIGURE_FIELDS = (
        "plans_issued",
        "plans_issued_ex",
        "within_20_weeks",
        "within_20_weeks_ex",
        "pc_within_20_weeks",
        "pc_within_20_weeks_ex",
        "avg_weeks",
        "avg_weeks_ex",
    )
    COUNT_FIELDS = ("plans_issued", "plans_issued_ex", "within_20_weeks", "within_20_weeks_ex")

    level = models.CharField(max_length=20, choices=GeographicLevel.choices)
    area_code = models.CharField(
        max_length=12, help_text="ONS code: E92000001 England, E12… regions, E06/E08/E09/E10… LAs."
    )
    area_name = models.CharField(max_length=200)
    old_la_code = models.CharField(max_length=6, blank=True, help_text="The DfE's three-digit LA number, e.g. 931.")
    new_la_code = models.CharField(max_length=12, blank=True)
    region_code = models.CharField(max_length=12, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(help_text="The calendar year the plans were issued in.")
    plans_issued = models.PositiveIntegerField(
        null=True, blank=True, help_text="New plans issued, including exceptions."
    )
    plans_issued_ex = models.PositiveIntegerField(
        null=True, blank=True, help_text="New plans issued, excluding exceptions."
    )
    within_20_weeks = models.PositiveIntegerField(null=True, blank=True)
    within_20_weeks_ex = models.PositiveIntegerField(null=True, blank=True)
    pc_within_20_weeks = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    pc_within_20_weeks_ex = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    avg_weeks = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    avg_weeks_ex = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    missing = models.JSONField(
        default=dict,
        blank=True,
        help_text="For each figure left blank, why: x not available, z not applicable, c confidential, "
        "or not_published (the release had no such column).",
    )
    source_release = models.CharField(max_length=200, help_text="The file and layout the figures were read from.")
    imported_at = models.DateTimeField()

    objects = EhcpTimelinessQuerySet.as_manager()

    class Meta:
        verbose_name = "EHC plan timeliness (DfE published)"
        verbose_name_plural = "EHC plan timeliness (DfE published)"
        ordering = ["year", "level", "area_name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "area_code", "year"], name="ehcp_timeliness_unique_area_year"),
        ]
        indexes = [
            models.Index(fields=["area_code", "year"]),
            models.Index(fields=["old_la_code", "year"]),
            models.Index(fields=["level", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.area_name} {self.year}"

    def missing_reason(self, field: str) -> str | None:
        """The label of the reason a figure is absent, or None if it is there."""
        code = (self.missing or {}).get(field)
        if code is None:
            return None
        return MissingReason(code).label if code in MissingReason.values else str(code)


def direction_of_travel(polarity: str, latest: Decimal | None, previous: Decimal | None) -> tuple[str, str]:
    """(words, arrow) for the change from the previous period's figure. The words carry the
    meaning; the arrow is decoration, hidden from screen readers in the templates."""
    if latest is None or previous is None:
        return ("No earlier figure", "")
    if latest == previous:
        return ("No change", "→")
    went_up = latest > previous
    arrow = "↑" if went_up else "↓"
    if polarity == Polarity.HIGHER_IS_BETTER:
        return ("Improving" if went_up else "Getting worse", arrow)
    if polarity == Polarity.LOWER_IS_BETTER:
        return ("Getting worse" if went_up else "Improving", arrow)
    return ("Up" if went_up else "Down", arrow)
