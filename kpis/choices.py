from django.db import models


class Unit(models.TextChoices):
    """What an indicator's figure counts. It decides how a figure is written on the page."""

    PERCENT = "percent", "Percentage"
    NUMBER = "number", "Number"
    WEEKS = "weeks", "Weeks"
    RATE_PER_100 = "rate_per_100", "Rate per 100 pupils"


class Polarity(models.TextChoices):
    """Which way is better. A context measure (the number of EHC plans) has no better direction and
    so no target: more plans is neither good nor bad news on its own."""

    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"
    NEITHER = "neither", "Neither: a context measure"


class Frequency(models.TextChoices):
    """How often a figure is reported, and so how its periods are written (see kpis.periods)."""

    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly (calendar quarters)"
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    ACADEMIC_YEAR = "academic_year", "Academic year (September to August)"


class Rating(models.TextChoices):
    """A value against its target. A value with no target for its period is "no target", not missed."""

    MET = "met", "Met"
    WITHIN_TOLERANCE = "within_tolerance", "Within tolerance"
    MISSED = "missed", "Missed"


NO_TARGET = "No target"


class ValueSource(models.TextChoices):
    """Where a figure came from, so a reader can judge it."""

    FORM = "form", "Entered on the indicator page"
    CSV_UPLOAD = "csv_upload", "Uploaded in a CSV file"
    DEMO = "demo", "Demo figure, invented to show how the tracker works"


class DfeMeasure(models.TextChoices):
    """A published DfE measure an indicator can be benchmarked on. Named exactly as the DfE names it:
    "excluding exceptions" and "including exceptions" give very different pictures."""

    PC_WITHIN_20_WEEKS_EX = (
        "pc_within_20_weeks_ex",
        "EHC plans issued within 20 weeks, excluding exceptions (%)",
    )
    PC_WITHIN_20_WEEKS = (
        "pc_within_20_weeks",
        "EHC plans issued within 20 weeks, including exceptions (%)",
    )


# For each published percentage: its numerator and denominator fields on EhcpTimeliness.
DFE_MEASURE_PARTS: dict[str, tuple[str, str]] = {
    DfeMeasure.PC_WITHIN_20_WEEKS_EX: ("within_20_weeks_ex", "plans_issued_ex"),
    DfeMeasure.PC_WITHIN_20_WEEKS: ("within_20_weeks", "plans_issued"),
}


class GeographicLevel(models.TextChoices):
    """The geography of a published DfE row."""

    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    LOCAL_AUTHORITY = "local_authority", "Local authority"


class MissingReason(models.TextChoices):
    """Why a published figure is absent. The DfE's own symbols, plus a column the release lacked.

    A missing figure is stored as NULL with one of these reasons, never as 0: a zero would read as
    "no plans issued on time", which is a claim the DfE did not make.
    """

    NOT_AVAILABLE = "x", "Not available (x)"
    NOT_APPLICABLE = "z", "Not applicable (z)"
    CONFIDENTIAL = "c", "Suppressed to protect confidentiality (c)"
    NOT_PUBLISHED = "not_published", "Not published in this release"
