"""The statutory clocks: when a response, a plan or an EHC plan is due, and under which law.

Pure functions of dates, so they can be tested over centuries of calendars without a database.
Bank holidays come from the `holidays` package's rules for England (England and Wales share
their bank holidays), computed offline and never fetched; dates proclaimed since the package was
released are passed in as `extra_holidays` (recommendations.models.BankHoliday, which an
administrator adds, reads them from the database).

Every deadline shown in the product names its rule and legal basis: see RULES.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays

from .choices import DeadlineRule

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    """One statutory period: how it is named, which law sets it, and how its days are counted."""

    name: str
    label: str
    legal_basis: str
    citation: str  # the legal basis in a few words, for tables
    counting: str

    def __str__(self) -> str:
        return self.label


RULES: dict[str, Rule] = {
    DeadlineRule.HEALTH_SCRUTINY_28_DAYS: Rule(
        name=DeadlineRule.HEALTH_SCRUTINY_28_DAYS,
        label="Within 28 days of the request",
        legal_basis=(
            "Health and Social Care Act 2012; the Local Authority (Public Health, Health and Wellbeing Boards "
            "and Health Scrutiny) Regulations 2013"
        ),
        citation="Health and Social Care Act 2012; Health Scrutiny Regulations 2013",
        counting=(
            "Calendar days. The day after the request is day 1 and day 28 is the last day. A weekend or a bank "
            "holiday does not move the date."
        ),
    ),
    DeadlineRule.OVERVIEW_SCRUTINY_TWO_MONTHS: Rule(
        name=DeadlineRule.OVERVIEW_SCRUTINY_TWO_MONTHS,
        label="Within two months beginning with the date the report was received",
        legal_basis="Local Government Act 2000, section 9FE",
        citation="Local Government Act 2000, s. 9FE",
        counting=(
            "Calendar months. The day of receipt is day 1, so the period ends the day before the same date two "
            "months on; where that month has no such date, it ends on the last day of that month."
        ),
    ),
    DeadlineRule.EHCP_20_WEEKS: Rule(
        name=DeadlineRule.EHCP_20_WEEKS,
        label="Within 20 weeks of the request for an EHC needs assessment",
        legal_basis="Special Educational Needs and Disability Regulations 2014, regulation 13",
        citation="SEND Regulations 2014, reg. 13",
        counting=(
            "Calendar weeks. The day after the request is day 1 and day 140 is the last day, the same weekday as "
            "the request. A bank holiday does not move the date."
        ),
    ),
    DeadlineRule.PAP_30_WORKING_DAYS: Rule(
        name=DeadlineRule.PAP_30_WORKING_DAYS,
        label="Within 30 working days of the inspection report's publication",
        legal_basis=(
            "Ofsted and CQC area SEND inspection framework (2023): after a finding of widespread and/or systemic "
            "failings, the partnership submits a priority action plan"
        ),
        citation="Ofsted and CQC area SEND inspection framework",
        counting=(
            "Working days: not a Saturday, a Sunday or a bank holiday in England and Wales. The first working day "
            "after publication is day 1."
        ),
    ),
}


def rule_for(name: str) -> Rule:
    try:
        return RULES[name]
    except KeyError:
        raise ValueError(f"{name!r} is not a deadline rule; the rules are {', '.join(RULES)}.") from None


@lru_cache(maxsize=512)
def bank_holidays_in(year: int) -> frozenset[datetime.date]:
    """England and Wales bank holidays in a year, from the `holidays` package's offline rules."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date, extra_holidays: frozenset[datetime.date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in bank_holidays_in(day.year) and day not in extra_holidays


def add_working_days(
    start: datetime.date, count: int, extra_holidays: frozenset[datetime.date] = frozenset()
) -> datetime.date:
    """The `count`th working day after `start` (start itself is never counted)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = start
    counted = 0
    while counted < count:
        day += ONE_DAY
        if is_working_day(day, extra_holidays):
            counted += 1
    return day


def add_months_corresponding(start: datetime.date, months: int) -> tuple[datetime.date | None, datetime.date]:
    """The corresponding date `months` on (None where that month has no such day), and that
    month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    month_end = datetime.date(year, month, last)
    corresponding = datetime.date(year, month, start.day) if start.day <= last else None
    return corresponding, month_end


def end_of_months_beginning_with(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of `months` calendar months beginning with `start`.

    The corresponding date rule (Dodds v Walker [1981]): the period ends the day before the
    corresponding date; where the end month has no corresponding date (30 December to February),
    it ends on the last day of that month.
    """
    corresponding, month_end = add_months_corresponding(start, months)
    return corresponding - ONE_DAY if corresponding is not None else month_end


def due_date(rule: str, start: datetime.date, extra_holidays: frozenset[datetime.date] = frozenset()) -> datetime.date:
    """The last day on which something is in time under `rule`, counting from `start`.

    `start` is the day of the request (28 days, 20 weeks), of receipt (two months) or of
    publication (30 working days). `extra_holidays` are bank holidays the `holidays` package
    does not know of; only the working-day rule reads them.
    """
    rule_for(rule)
    if rule == DeadlineRule.HEALTH_SCRUTINY_28_DAYS:
        return start + datetime.timedelta(days=28)
    if rule == DeadlineRule.OVERVIEW_SCRUTINY_TWO_MONTHS:
        return end_of_months_beginning_with(start, 2)
    if rule == DeadlineRule.EHCP_20_WEEKS:
        return start + datetime.timedelta(weeks=20)
    return add_working_days(start, 30, extra_holidays)


@dataclass(frozen=True)
class Deadline:
    """A computed due date with the rule that produced it, ready to be shown with its law."""

    due: datetime.date
    rule_name: str

    @property
    def rule(self) -> Rule:
        return rule_for(self.rule_name)

    def days_left(self, today: datetime.date) -> int:
        """Days from today to the due date: 0 on the day itself, negative once it has passed."""
        return (self.due - today).days

    def is_overdue(self, today: datetime.date) -> bool:
        return today > self.due

    def describe(self, today: datetime.date) -> str:
        """'12 days left', 'Due today', '1 day overdue'."""
        left = self.days_left(today)
        if left == 0:
            return "Due today"
        if left > 0:
            return f"{left} day{'s' if left != 1 else ''} left"
        return f"{-left} day{'s' if left != -1 else ''} overdue"
