"""Reporting periods: a month, a calendar quarter, a calendar year or an academic year.

A period is stored as its first and last day, so values and targets of any frequency compare as
dates; it is written and read in one canonical form per frequency (`2024-03`, `2024-Q1`, `2024`,
`2022/23`), which is what the CSV upload and the entry form accept and what the pages show beside
a plain-English label.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from .choices import Frequency

MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_NAMES.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTH_NAMES["sept"] = 9

PERIOD_HINTS: dict[str, str] = {
    Frequency.MONTHLY: "A month, for example 2024-03 or March 2024",
    Frequency.QUARTERLY: "A calendar quarter, for example 2024-Q1 (January to March 2024)",
    Frequency.CALENDAR_YEAR: "A calendar year, for example 2024",
    Frequency.ACADEMIC_YEAR: "An academic year, for example 2022/23 (September 2022 to August 2023)",
}


class PeriodError(ValueError):
    """A period written in a way this indicator's frequency does not accept."""


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    frequency: str

    @property
    def key(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.frequency == Frequency.QUARTERLY:
            return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
        if self.frequency == Frequency.CALENDAR_YEAR:
            return f"{self.start.year:04d}"
        return f"{self.start.year:04d}/{(self.start.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return self.start.strftime("%B %Y")
        if self.frequency == Frequency.QUARTERLY:
            return f"{self.start:%B} to {self.end:%B %Y}"
        if self.frequency == Frequency.CALENDAR_YEAR:
            return str(self.start.year)
        return f"{self.key} academic year"

    @property
    def short_label(self) -> str:
        """For chart axes, where space is short."""
        if self.frequency == Frequency.MONTHLY:
            return self.start.strftime("%b %y")
        if self.frequency == Frequency.QUARTERLY:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        return self.key

    def __str__(self) -> str:
        return self.label


def _month(year: int, month: int, frequency: str = Frequency.MONTHLY) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(datetime.date(year, month, 1), datetime.date(year, month, last), frequency)


def _check_year(year: int) -> int:
    # Nothing the partnership tracks predates the 2014 reforms by much; a typo like 0224 is caught.
    if not 2000 <= year <= 2100:
        raise PeriodError(f"the year {year} is outside 2000 to 2100")
    return year


def period_starting(frequency: str, start: datetime.date) -> Period:
    """The period of this frequency that starts on `start` (as stored in the database)."""
    if frequency == Frequency.MONTHLY:
        return _month(start.year, start.month)
    if frequency == Frequency.QUARTERLY:
        first_month = (start.month - 1) // 3 * 3 + 1
        end = _month(start.year, first_month + 2).end
        return Period(datetime.date(start.year, first_month, 1), end, frequency)
    if frequency == Frequency.CALENDAR_YEAR:
        return Period(datetime.date(start.year, 1, 1), datetime.date(start.year, 12, 31), frequency)
    year = start.year if start.month >= 9 else start.year - 1
    return Period(datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31), frequency)


def parse_period(text: str, frequency: str) -> Period:
    """Read a period as written in the form or a CSV file; PeriodError says what was expected."""
    raw = (text or "").strip()
    if not raw:
        raise PeriodError(f"Enter the period: {_lower_first(PERIOD_HINTS[frequency])}")
    lowered = raw.lower()
    try:
        if day := _day(lowered):
            # A day in the period, as Excel writes a date cell in CSV (31/03/2025) or people type it
            # (31/3/25): the period that holds it.
            return period_starting(frequency, day)
        if frequency == Frequency.MONTHLY:
            return _parse_month(lowered)
        if frequency == Frequency.QUARTERLY:
            return _parse_quarter(lowered)
        if frequency == Frequency.CALENDAR_YEAR:
            if re.fullmatch(r"\d{4}", lowered):
                year = _check_year(int(lowered))
                return period_starting(frequency, datetime.date(year, 1, 1))
        elif frequency == Frequency.ACADEMIC_YEAR:
            return _parse_academic_year(lowered)
    except PeriodError as exc:
        raise PeriodError(
            f"“{raw}” is not a valid period ({exc}). Enter {_lower_first(PERIOD_HINTS[frequency])}"
        ) from None
    raise PeriodError(f"“{raw}” is not a valid period. Enter {_lower_first(PERIOD_HINTS[frequency])}")


UK_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?")


def _day(text: str) -> datetime.date | None:
    """31/3/25, 31/03/2025, 31.3.2025 or 2025-03-31 as a date; None for text of another form."""
    if match := UK_DATE.fullmatch(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        year = year + 2000 if len(match[3]) == 2 else year
    elif match := ISO_DATE.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        return None
    try:
        return datetime.date(_check_year(year), month, day)
    except ValueError:
        raise PeriodError(f"there is no day {text}") from None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _parse_month(text: str) -> Period:
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = int(match[1]), int(match[2])
    elif match := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
        month, year = int(match[1]), int(match[2])
    elif match := re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", text):
        if match[1] not in MONTH_NAMES:
            raise PeriodError(f"“{match[1]}” is not a month")
        month, year = MONTH_NAMES[match[1]], int(match[2])
    else:
        raise PeriodError("write it as year-month")
    if not 1 <= month <= 12:
        raise PeriodError(f"there is no month {month}")
    return _month(_check_year(year), month)


def _parse_quarter(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})\s*-?\s*q([1-4])", text) or re.fullmatch(r"q([1-4])\s*-?\s*(\d{4})", text)
    if not match:
        raise PeriodError("write it as year-Q and the quarter number")
    year, quarter = (int(match[1]), int(match[2])) if len(match[1]) == 4 else (int(match[2]), int(match[1]))
    start = datetime.date(_check_year(year), (quarter - 1) * 3 + 1, 1)
    return period_starting(Frequency.QUARTERLY, start)


def _parse_academic_year(text: str) -> Period:
    # 2022/23, 2022-23, 2022/2023, and the DfE's own 202223.
    match = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})", text) or re.fullmatch(r"(\d{4})(\d{2})", text)
    if not match:
        raise PeriodError("write it as the two years it spans")
    first = _check_year(int(match[1]))
    second = int(match[2])
    expected = first + 1 if len(match[2]) == 4 else (first + 1) % 100
    if second != expected:
        raise PeriodError(f"an academic year starting in {first} ends in {first + 1}")
    return period_starting(Frequency.ACADEMIC_YEAR, datetime.date(first, 9, 1))


def following(period: Period) -> Period:
    """The next period of the same frequency."""
    return period_starting(period.frequency, period.end + datetime.timedelta(days=1))


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from first to last inclusive, so a chart shows a missing month as a gap."""
    periods = [first]
    while periods[-1].start < last.start and len(periods) < 1000:
        periods.append(following(periods[-1]))
    return periods


def periods_label(first: Period, last: Period) -> str:
    """A run of periods in words: "April 2024 to March 2025", "2023/24 to 2024/25 academic years"."""
    if first == last:
        return first.label
    if first.frequency in (Frequency.MONTHLY, Frequency.QUARTERLY):
        return f"{first.start:%B %Y} to {last.end:%B %Y}"
    if first.frequency == Frequency.ACADEMIC_YEAR:
        return f"{first.key} to {last.key} academic years"
    return f"{first.key} to {last.key}"


# A figure falls due once its period is over: monthly and quarterly figures are reported to the
# board as the cycle turns. A yearly figure waits on publications (the DfE's, the census) whose
# dates the partnership does not set, so it is never "due".
DUE_FREQUENCIES = (Frequency.MONTHLY, Frequency.QUARTERLY)


def last_complete_period(frequency: str, today: datetime.date) -> Period | None:
    """The period of this frequency that ended most recently before `today`, whose figure is then
    due; None for a frequency whose figures never fall due (DUE_FREQUENCIES)."""
    if frequency not in DUE_FREQUENCIES:
        return None
    current = period_starting(frequency, today)
    return period_starting(frequency, current.start - datetime.timedelta(days=1))
