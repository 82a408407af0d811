"""The statutory clocks, against DOMAIN.md's examples and, by property, over centuries of dates.

The property tests check each rule against a brute-force oracle that walks the calendar a day at
a time, so a shortcut in the implementation cannot agree with itself by construction.
"""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from recommendations.deadlines import (
    RULES,
    Deadline,
    add_working_days,
    bank_holidays_in,
    due_date,
    is_working_day,
)
from recommendations.models import BankHoliday, statutory_due_date

D = datetime.date
HEALTH = "health_scrutiny_28_days"
TWO_MONTHS = "overview_scrutiny_two_months"
EHCP = "ehcp_20_weeks"
PAP = "pap_30_working_days"

any_day = st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 10, 31))
# Month ends and the days around them, where the corresponding date rule bites.
month_ends = st.builds(
    lambda year, month, back: D(year, month, calendar.monthrange(year, month)[1]) - datetime.timedelta(days=back),
    st.integers(1900, 2199),
    st.integers(1, 12),
    st.integers(0, 3),
)
# The working-day rule reads the `holidays` package, whose rules are kept for these years.
recent_day = st.dates(min_value=D(1980, 1, 1), max_value=D(2090, 12, 31))


# --- DOMAIN.md's examples and the seeds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "start", "due"),
    [
        # Health scrutiny: the day after the request is day 1; 29 March 2026 is a Sunday, and stays.
        (HEALTH, D(2026, 3, 1), D(2026, 3, 29)),
        # The HOSC report to Cabinet of 17 October 2023.
        (HEALTH, D(2023, 10, 17), D(2023, 11, 14)),
        # Overview and scrutiny: two months beginning with the day of receipt.
        (TWO_MONTHS, D(2026, 3, 15), D(2026, 5, 14)),
        # The EYP response requested 23 April 2024.
        (TWO_MONTHS, D(2024, 4, 23), D(2024, 6, 22)),
        (TWO_MONTHS, D(2026, 3, 1), D(2026, 4, 30)),
        # No 30 February: the period ends on the last day of February.
        (TWO_MONTHS, D(2025, 12, 30), D(2026, 2, 28)),
        (TWO_MONTHS, D(2025, 12, 31), D(2026, 2, 28)),
        (TWO_MONTHS, D(2025, 12, 29), D(2026, 2, 28)),  # 29 Feb 2026 does not exist either
        (TWO_MONTHS, D(2025, 12, 28), D(2026, 2, 27)),
        # Leap years: 29 February 2024 exists, 30 and 31 do not.
        (TWO_MONTHS, D(2023, 12, 29), D(2024, 2, 28)),
        (TWO_MONTHS, D(2023, 12, 30), D(2024, 2, 29)),
        (TWO_MONTHS, D(2023, 12, 31), D(2024, 2, 29)),
        # 1900 was not a leap year; 2000 was.
        (TWO_MONTHS, D(1899, 12, 29), D(1900, 2, 28)),
        (TWO_MONTHS, D(1999, 12, 30), D(2000, 2, 29)),
        # 30-day months: 31 September does not exist.
        (TWO_MONTHS, D(2026, 7, 31), D(2026, 9, 30)),
        (TWO_MONTHS, D(2026, 7, 30), D(2026, 9, 29)),
        (TWO_MONTHS, D(2026, 11, 30), D(2027, 1, 29)),
        # EHC plans: 20 calendar weeks, the same weekday; Christmas does not move the date.
        (EHCP, D(2024, 8, 7), D(2024, 12, 25)),
        (EHCP, D(2026, 1, 5), D(2026, 5, 25)),
        # The Priority Action Plan: Oxfordshire's report was published on Friday 15 September 2023.
        (PAP, D(2023, 9, 15), D(2023, 10, 27)),
        # Across Christmas, Boxing Day and New Year's Day 2024.
        (PAP, D(2023, 12, 1), D(2024, 1, 17)),
        # Across Easter 2024 (Good Friday 29 March, Easter Monday 1 April).
        (PAP, D(2024, 3, 1), D(2024, 4, 16)),
        # Across the coronation bank holiday, 8 May 2023, and the two May bank holidays.
        (PAP, D(2023, 4, 28), D(2023, 6, 14)),
    ],
)
def test_due_dates_of_the_examples(rule, start, due):
    assert due_date(rule, start) == due


def test_an_unknown_rule_is_refused_by_name():
    with pytest.raises(ValueError, match="not a deadline rule"):
        due_date("forty_days", D(2024, 1, 1))


def test_every_rule_names_its_legal_basis_and_counting():
    assert set(RULES) == {HEALTH, TWO_MONTHS, EHCP, PAP}
    assert "section 9FE" in RULES[TWO_MONTHS].legal_basis
    assert "Health and Social Care Act 2012" in RULES[HEALTH].legal_basis
    assert "regulation 13" in RULES[EHCP].legal_basis
    for rule in RULES.values():
        assert rule.label and rule.citation and rule.counting


def test_bank_holidays_are_england_and_wales_not_scotland():
    holidays_2024 = bank_holidays_in(2024)
    assert D(2024, 8, 26) in holidays_2024  # the late summer bank holiday in England and Wales
    assert D(2024, 8, 5) not in holidays_2024  # Scotland's summer bank holiday
    assert D(2024, 1, 2) not in holidays_2024  # Scotland's 2 January
    assert D(2024, 3, 17) not in holidays_2024  # St Patrick's Day is Northern Ireland's
    assert D(2022, 9, 19) in bank_holidays_in(2022)  # the state funeral of Queen Elizabeth II


def test_an_administrators_bank_holiday_moves_a_working_day_deadline():
    start = D(2031, 6, 2)
    ordinary = due_date(PAP, start)
    extra = frozenset({D(2031, 6, 10)})

    assert due_date(PAP, start, extra) == add_working_days(ordinary, 1)
    # The calendar-day rules do not move for a bank holiday.
    assert due_date(HEALTH, start, extra) == due_date(HEALTH, start)


@pytest.mark.django_db
def test_statutory_due_date_reads_the_bank_holidays_administrators_add():
    start = D(2031, 6, 2)
    before = statutory_due_date(PAP, start)
    BankHoliday.objects.create(date=D(2031, 6, 10), name="A proclaimed bank holiday")

    assert statutory_due_date(PAP, start) == add_working_days(before, 1)


@pytest.mark.parametrize(
    ("today", "text", "overdue"),
    [
        (D(2024, 6, 1), "21 days left", False),
        (D(2024, 6, 21), "1 day left", False),
        (D(2024, 6, 22), "Due today", False),
        (D(2024, 6, 23), "1 day overdue", True),
        (D(2024, 7, 2), "10 days overdue", True),
    ],
)
def test_a_deadline_says_how_long_is_left(today, text, overdue):
    deadline = Deadline(D(2024, 6, 22), TWO_MONTHS)

    assert deadline.describe(today) == text
    assert deadline.is_overdue(today) is overdue
    assert deadline.rule.citation == "Local Government Act 2000, s. 9FE"


# --- Properties -------------------------------------------------------------------------------


def two_months_oracle(start: D) -> D:
    """Walk forward a day at a time to the corresponding date two months on, or past the end of
    that month where it has none; the period ends the day before."""
    target_month = (start.year * 12 + start.month - 1) + 2
    day = start
    while True:
        day += datetime.timedelta(days=1)
        month_index = day.year * 12 + day.month - 1
        if month_index == target_month and day.day == start.day:
            return day - datetime.timedelta(days=1)
        if month_index > target_month:
            return day - datetime.timedelta(days=1)


@settings(max_examples=600)
@given(st.one_of(any_day, month_ends))
@example(D(2024, 2, 29))
@example(D(2023, 12, 31))
def test_two_months_beginning_with_receipt_matches_the_calendar_walk(start):
    due = due_date(TWO_MONTHS, start)

    assert due == two_months_oracle(start)
    # Day 1 is the day of receipt: the period is always between 59 and 62 days long.
    assert 59 <= (due - start).days + 1 <= 62


@settings(max_examples=400)
@given(st.one_of(any_day, month_ends))
def test_two_months_never_ends_earlier_for_a_later_receipt(start):
    assert due_date(TWO_MONTHS, start + datetime.timedelta(days=1)) >= due_date(TWO_MONTHS, start)


@settings(max_examples=400)
@given(st.one_of(any_day, month_ends))
def test_calendar_day_and_week_rules_never_move_for_weekends_or_holidays(start):
    assert due_date(HEALTH, start) - start == datetime.timedelta(days=28)
    assert due_date(EHCP, start) - start == datetime.timedelta(days=140)
    assert due_date(EHCP, start).weekday() == start.weekday()


@settings(max_examples=300)
@given(recent_day, st.sets(st.dates(min_value=D(1980, 1, 1), max_value=D(2091, 3, 31)), max_size=5))
def test_thirty_working_days_counts_exactly_thirty_working_days(start, extra):
    extra_holidays = frozenset(extra)
    due = due_date(PAP, start, extra_holidays)

    assert is_working_day(due, extra_holidays)
    days = [start + datetime.timedelta(days=n) for n in range(1, (due - start).days + 1)]
    working = [day for day in days if day.weekday() < 5 and day not in bank_holidays_in(day.year) | extra_holidays]
    assert len(working) == 30
    # Six weeks less a weekend at least; never more than about ten, even with Christmas, Easter and extras.
    assert 40 <= (due - start).days <= 70


@settings(max_examples=200)
@given(recent_day)
def test_an_extra_holiday_after_the_due_date_changes_nothing(start):
    due = due_date(PAP, start)
    assert due_date(PAP, start, frozenset({due + datetime.timedelta(days=1), start})) == due
