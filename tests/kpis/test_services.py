"""The KPI services: rating against targets, entering and uploading values, history with who and why."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kpis.choices import Frequency, Polarity, Rating, Unit, ValueSource
from kpis.models import IndicatorValue, Target, direction_of_travel
from kpis.periods import PeriodError, parse_period, periods_between
from kpis.services import CsvUploadError, record_value, upload_values_csv
from tests.kpis.conftest import target

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Ratings


TARGETS = {"indicator": ("60", "5"), "waiting_times": ("18", "2")}


@pytest.mark.parametrize(
    ("measure", "figure", "rating"),
    [
        # Higher is better (a percentage, target 60 ± 5): met at or above the target.
        ("indicator", "60", Rating.MET),
        ("indicator", "72.5", Rating.MET),
        ("indicator", "57", Rating.WITHIN_TOLERANCE),
        ("indicator", "55", Rating.WITHIN_TOLERANCE),
        ("indicator", "54.9", Rating.MISSED),
        ("indicator", "4", Rating.MISSED),
        # Lower is better (weeks waited, target 18 ± 2): met at or below the target.
        ("waiting_times", "18", Rating.MET),
        ("waiting_times", "12.5", Rating.MET),
        ("waiting_times", "19.5", Rating.WITHIN_TOLERANCE),
        ("waiting_times", "20", Rating.WITHIN_TOLERANCE),
        ("waiting_times", "20.1", Rating.MISSED),
    ],
)
def test_a_figure_is_met_on_the_better_side_of_the_target_or_within_tolerance_or_missed(
    request, officer, measure, figure, rating
):
    indicator = request.getfixturevalue(measure)
    goal, tolerance = TARGETS[measure]
    target(indicator, officer, value=goal, tolerance=tolerance)

    value = record_value(indicator_id=indicator.pk, user=officer, period="2024-06", value=figure)

    assert value.rating == rating


def test_a_value_outside_every_target_has_no_rating(indicator, officer):
    target(indicator, officer, first="2024-04", last="2025-03")

    value = record_value(indicator_id=indicator.pk, user=officer, period="2024-03", value="10")

    assert value.rating is None and value.target is None
    assert value.rating_label == "No target"


def test_a_context_measure_takes_no_target(make_indicator, officer):
    plans = make_indicator("Number of EHC plans", unit=Unit.NUMBER, polarity=Polarity.NEITHER)

    with pytest.raises(ValidationError, match="context measure"):
        target(plans, officer, value="7000")

    assert not Target.objects.filter(indicator=plans).exists()


def test_setting_a_target_rates_the_values_already_entered_and_says_why(indicator, officer, administrator):
    value = record_value(indicator_id=indicator.pk, user=officer, period="2024-05", value="57")
    assert value.rating is None

    target(indicator, administrator, value="60", tolerance="5", note="Agreed by the board, March 2024")

    value.refresh_from_db()
    assert value.rating == Rating.WITHIN_TOLERANCE
    latest = value.history.latest()
    assert latest.rating == Rating.WITHIN_TOLERANCE
    assert latest.history_user == administrator
    assert latest.history_change_reason == "Rated against the target for April 2024 to March 2025"
    target_row = Target.objects.get(indicator=indicator)
    assert target_row.set_by == administrator
    assert target_row.history.latest().history_change_reason == "Agreed by the board, March 2024"


def test_setting_the_same_periods_again_revises_the_target_and_re_rates(indicator, officer):
    target(indicator, officer, value="60", tolerance="5")
    value = record_value(indicator_id=indicator.pk, user=officer, period="2024-05", value="57")
    assert value.rating == Rating.WITHIN_TOLERANCE

    target(indicator, officer, value="55", tolerance="0")

    value.refresh_from_db()
    assert value.rating == Rating.MET
    assert Target.objects.filter(indicator=indicator).count() == 1
    assert [h.value for h in Target.objects.get(indicator=indicator).history.order_by("history_date")] == [
        Decimal("60"),
        Decimal("55"),
    ]


def test_an_overlapping_target_is_refused(indicator, officer):
    target(indicator, officer, first="2024-04", last="2025-03")

    with pytest.raises(ValidationError) as refused:
        target(indicator, officer, first="2025-01", last="2025-12")

    assert (
        "overlap the target already set for April 2024 to March 2025" in refused.value.message_dict["first_period"][0]
    )
    assert Target.objects.filter(indicator=indicator).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"first": "April"}, "first_period", "“April” is not a valid period (write it as year-month)"),
        ({"first": "2025-03", "last": "2024-04"}, "last_period", "same as or after the first"),
        ({"value": "sixty"}, "value", "must be a number"),
        ({"value": "101"}, "value", "cannot be more than 100"),
        ({"tolerance": "-1"}, "tolerance", "cannot be negative"),
    ],
)
def test_bad_targets_are_refused_with_the_field_named(indicator, officer, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        target(indicator, officer, **fields)

    assert message in refused.value.message_dict[field][0]
    assert not Target.objects.filter(indicator=indicator).exists()


# ---------------------------------------------------------------------------------------------
# Entering values


def test_a_value_is_kept_with_who_entered_it_the_source_and_the_history(indicator, officer):
    value = record_value(
        indicator_id=indicator.pk,
        user=officer,
        period="March 2024",
        numerator="27",
        denominator="667",
        note="From SEN2",
    )

    assert value.value == Decimal("4.0")  # worked out: 27 of 667 is 4.05%, to one place
    assert (value.numerator, value.denominator) == (27, 667)
    assert value.period_start == datetime.date(2024, 3, 1) and value.period_end == datetime.date(2024, 3, 31)
    assert (value.entered_by, value.source, value.is_demo) == (officer, ValueSource.FORM, False)
    assert value.entered_by_label == "Olivia Officer (TCC)"
    record = value.history.get()
    assert (record.history_user, record.history_change_reason) == (officer, "From SEN2")


def test_entering_a_period_again_revises_it_and_keeps_the_old_figure_in_the_history(indicator, officer, administrator):
    record_value(indicator_id=indicator.pk, user=officer, period="2024-03", value="40")

    record_value(indicator_id=indicator.pk, user=administrator, period="2024-03", value="42", note="Late returns added")

    value = IndicatorValue.objects.get(indicator=indicator)
    assert value.value == Decimal("42") and value.entered_by == administrator
    history = list(value.history.order_by("history_date"))
    assert [h.value for h in history] == [Decimal("40"), Decimal("42")]
    assert history[-1].history_change_reason == "Revised: Late returns added"
    assert history[-1].history_user == administrator


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"period": "2024-13", "value": "4"}, "period", "there is no month 13"),
        ({"period": "Q1 2024", "value": "4"}, "period", "Enter a month, for example 2024-03"),
        ({"period": "2024-03", "value": "abc"}, "value", "must be a number"),
        ({"period": "2024-03", "value": "101"}, "value", "cannot be more than 100"),
        ({"period": "2024-03", "value": "-1"}, "value", "cannot be negative"),
        ({"period": "2024-03", "value": "4.123"}, "value", "at most 2 decimal places"),
        ({"period": "2024-03"}, "value", "Enter the value, or the numerator and denominator"),
        ({"period": "2024-03", "numerator": "27"}, "denominator", "Enter the denominator too"),
        ({"period": "2024-03", "numerator": "0", "denominator": "0"}, "denominator", "The denominator is 0"),
        (
            {"period": "2024-03", "numerator": "30", "denominator": "20"},
            "numerator",
            "cannot be more than the denominator",
        ),
        ({"period": "2024-03", "value": "45", "numerator": "27", "denominator": "667"}, "value", "27 of 667 is 4.0"),
    ],
)
def test_bad_values_are_refused_with_the_field_named_and_nothing_saved(indicator, officer, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        record_value(indicator_id=indicator.pk, user=officer, **fields)

    assert message in refused.value.message_dict[field][0]
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


@pytest.mark.parametrize("persona", ["scrutiny_member", "partner_user", "other_officer", "outsider"])
def test_only_the_owning_organisation_and_administrators_enter_values(indicator, persona, request):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        record_value(indicator_id=indicator.pk, user=user, period="2024-03", value="40")
    with pytest.raises(PermissionDenied):
        target(indicator, user)

    assert (
        not IndicatorValue.objects.filter(indicator=indicator).exists()
        and not Target.objects.filter(indicator=indicator).exists()
    )


# ---------------------------------------------------------------------------------------------
# Uploading a CSV


def upload(indicator, user, text: str, name: str = "values.csv"):
    return upload_values_csv(indicator_id=indicator.pk, user=user, raw=text.encode("utf-8-sig"), filename=name)


def test_an_upload_writes_every_line_rated_with_its_source(indicator, officer):
    target(indicator, officer, value="60", tolerance="5")
    record_value(indicator_id=indicator.pk, user=officer, period="2024-04", value="30")

    result = upload(
        indicator,
        officer,
        "Period,Value,Numerator,Denominator,Note\r\n"
        "2024-04,58,,,Corrected after audit\r\n"
        "2024-05,,46,80,\r\n"
        "June 2024,61.5,,,\r\n",
        "april-june.csv",
    )

    assert (result.created, result.updated) == (2, 1)
    values = {v.period_start.month: v for v in IndicatorValue.objects.filter(indicator=indicator)}
    assert (values[4].value, values[4].rating) == (Decimal("58"), Rating.WITHIN_TOLERANCE)
    assert (values[5].value, values[5].numerator, values[5].rating) == (Decimal("57.5"), 46, Rating.WITHIN_TOLERANCE)
    assert values[6].rating == Rating.MET
    assert values[5].source == ValueSource.CSV_UPLOAD and values[5].source_detail == "april-june.csv, line 3"
    assert values[4].history.latest().history_change_reason == "Revised: Uploaded in april-june.csv"
    assert values[4].history.latest().history_user == officer


def test_an_upload_with_bad_lines_writes_nothing_and_names_each_line(indicator, officer):
    record_value(indicator_id=indicator.pk, user=officer, period="2024-04", value="30")

    with pytest.raises(CsvUploadError) as refused:
        upload(
            indicator,
            officer,
            "period,value,numerator,denominator,note\n"
            "2024-04,58,,,\n"
            "2024-05,lots,,,\n"
            "2024-06,61.5,,,\n"
            "2024-14,40,,,\n"
            "2024-07,,5,,\n"
            "2024-06,50,,,\n",
        )

    problems = refused.value.problems
    assert problems[0] == "line 3: value: The value must be a number, like 45.3; “lots” is not."
    assert problems[1].startswith("line 5: period: “2024-14” is not a valid period (there is no month 14)")
    assert problems[2].startswith("line 6: denominator: Enter the denominator too")
    assert problems[3] == "line 7: period 2024-06 is already on line 4"
    assert len(problems) == 4
    assert [v.value for v in IndicatorValue.objects.filter(indicator=indicator)] == [Decimal("30")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("period,value\n", "The file has a header but no values."),
        (
            "month,figure\n2024-03,4\n",
            "line 1: the header must name the columns period,value,numerator,denominator,note",
        ),
        ("period,value,colour\n2024-03,4,red\n", "columns this upload does not know: colour"),
    ],
)
def test_an_upload_with_a_bad_header_is_refused(indicator, officer, text, message):
    with pytest.raises(CsvUploadError) as refused:
        upload(indicator, officer, text)

    assert message in refused.value.problems[0]
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


def test_an_upload_from_a_read_only_user_is_refused(indicator, scrutiny_member):
    with pytest.raises(PermissionDenied):
        upload(indicator, scrutiny_member, "period,value\n2024-03,4\n")

    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


# ---------------------------------------------------------------------------------------------
# Periods and direction of travel


@pytest.mark.parametrize(
    ("text", "frequency", "start", "end", "key"),
    [
        ("2024-03", Frequency.MONTHLY, "2024-03-01", "2024-03-31", "2024-03"),
        ("Sept 2024", Frequency.MONTHLY, "2024-09-01", "2024-09-30", "2024-09"),
        ("2024-Q1", Frequency.QUARTERLY, "2024-01-01", "2024-03-31", "2024-Q1"),
        ("q4 2024", Frequency.QUARTERLY, "2024-10-01", "2024-12-31", "2024-Q4"),
        ("2024", Frequency.CALENDAR_YEAR, "2024-01-01", "2024-12-31", "2024"),
        ("2022/23", Frequency.ACADEMIC_YEAR, "2022-09-01", "2023-08-31", "2022/23"),
        ("202223", Frequency.ACADEMIC_YEAR, "2022-09-01", "2023-08-31", "2022/23"),
    ],
)
def test_periods_are_read_in_the_forms_officers_write(text, frequency, start, end, key):
    period = parse_period(text, frequency)

    assert (period.start.isoformat(), period.end.isoformat(), period.key) == (start, end, key)


@pytest.mark.parametrize(
    ("text", "frequency"), [("2022/24", Frequency.ACADEMIC_YEAR), ("1924", Frequency.CALENDAR_YEAR)]
)
def test_impossible_periods_are_refused(text, frequency):
    with pytest.raises(PeriodError):
        parse_period(text, frequency)


def test_a_chart_runs_through_every_period_so_a_gap_shows():
    first, last = parse_period("2023-11", Frequency.MONTHLY), parse_period("2024-02", Frequency.MONTHLY)

    assert [p.key for p in periods_between(first, last)] == ["2023-11", "2023-12", "2024-01", "2024-02"]


@pytest.mark.parametrize(
    ("polarity", "latest", "previous", "words"),
    [
        (Polarity.HIGHER_IS_BETTER, "50", "40", "Improving"),
        (Polarity.HIGHER_IS_BETTER, "30", "40", "Getting worse"),
        (Polarity.LOWER_IS_BETTER, "16", "18", "Improving"),
        (Polarity.LOWER_IS_BETTER, "20", "18", "Getting worse"),
        (Polarity.NEITHER, "7000", "6900", "Up"),
        (Polarity.HIGHER_IS_BETTER, "40", "40", "No change"),
        (Polarity.HIGHER_IS_BETTER, "40", None, "No earlier figure"),
    ],
)
def test_direction_of_travel_reads_the_better_direction(polarity, latest, previous, words):
    assert direction_of_travel(polarity, Decimal(latest), Decimal(previous) if previous else None)[0] == words
