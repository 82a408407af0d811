"""Reading a sample-data file: each value checked as it is read, a bad one named by file and entry.

The loader reads TOML tables and CSV rows through `Entry`, which knows where it came from
("boards.toml, boards[3] 'Cabinet'"), so an error says exactly what to mend: a missing key, a value
of the wrong type, a choice the product does not have, a key nobody reads (a typo).
"""

from __future__ import annotations

import calendar
import csv
import datetime
import re
import tomllib
from pathlib import Path
from typing import Any

from django.db.models import TextChoices


class SampleDataError(Exception):
    """A sample-data file is missing, unreadable or holds a bad value; the message says where."""


_MISSING: Any = object()

# A demo's day, written relative to the day it is loaded: "today", "in 12 days", "3 weeks ago",
# "1 month ago", "2 quarters ago". A month back from 31 March is the last day of February.
RELATIVE_DAY = re.compile(
    r"today|in (?P<ahead>[0-9]{1,3}) (?P<unit>day|week|month|quarter)s?|(?P<back>[0-9]{1,3}) (?P<unit_back>day|week|month|quarter)s? ago"
)
RELATIVE_EXAMPLE = "a day relative to the load, like '3 weeks ago', 'in 12 days' or 'today'"


def relative_day(text: str, today: datetime.date) -> datetime.date | None:
    """The day `text` names relative to `today`, or None when it is not written that way."""
    match = RELATIVE_DAY.fullmatch(text.strip())
    if match is None:
        return None
    if text.strip() == "today":
        return today
    ahead = match["ahead"] is not None
    count = int(match["ahead"] if ahead else match["back"]) * (1 if ahead else -1)
    unit = match["unit"] or match["unit_back"]
    if unit in ("day", "week"):
        return today + datetime.timedelta(days=count * (7 if unit == "week" else 1))
    months = today.year * 12 + today.month - 1 + count * (3 if unit == "quarter" else 1)
    year, month = divmod(months, 12)
    return datetime.date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def read_toml(path: Path) -> Entry:
    """The whole file as one entry."""
    try:
        with path.open("rb") as file:
            return Entry(tomllib.load(file), path.name)
    except FileNotFoundError:
        raise SampleDataError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as error:
        raise SampleDataError(f"{path.name}: not valid TOML: {error}") from None


def read_csv(path: Path, columns: tuple[str, ...]) -> list[Entry]:
    """Each row as an entry, named by its line number; the header must be exactly `columns`."""
    try:
        with path.open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            if tuple(reader.fieldnames or ()) != columns:
                raise SampleDataError(f"{path.name}: the header must be {','.join(columns)}")
            return [Entry(dict(row), f"{path.name}, line {reader.line_num}") for row in reader]
    except FileNotFoundError:
        raise SampleDataError(f"{path}: no such file") from None


class Entry:
    """One table of a TOML file, or one row of a CSV file, read key by key.

    Every reader takes the key and an optional default; without a default the key is required.
    `done()` refuses keys that were never read, so a misspelt key is an error, not ignored.
    """

    def __init__(self, values: dict[str, Any], where: str) -> None:
        self.values = values
        self.where = where
        self._read: set[str] = set()

    def error(self, message: str) -> SampleDataError:
        return SampleDataError(f"{self.where}: {message}")

    def _get(self, key: str, default: Any, kinds: tuple[type, ...], kind_name: str) -> Any:
        self._read.add(key)
        if key not in self.values:
            if default is _MISSING:
                raise self.error(f"'{key}' is missing")
            return default
        value = self.values[key]
        # bool is an int to Python; never to the reader of a data file.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self.error(f"'{key}' must be {kind_name}, not {value!r}")
        return value

    def text(self, key: str, default: str = _MISSING, *, max_length: int | None = None) -> str:
        value: str = self._get(key, default, (str,), "text")
        if max_length is not None and len(value) > max_length:
            raise self.error(f"'{key}' is longer than {max_length} characters")
        return value

    def flag(self, key: str, default: bool = _MISSING) -> bool:
        value: bool = self._get(key, default, (bool,), "true or false")
        return value

    def number(self, key: str, default: int = _MISSING) -> int:
        value: int = self._get(key, default, (int,), "a whole number")
        return value

    def day(
        self, key: str, default: datetime.date | None = _MISSING, *, today: datetime.date | None = None
    ) -> datetime.date | None:
        """A date; with `today`, a demo's day may also be written relative to it ("3 weeks ago")."""
        expected = "a date like 2024-01-31" + (f" or {RELATIVE_EXAMPLE}" if today else "")
        value = self._get(key, default, (str, datetime.date), expected)
        if key not in self.values:
            return default
        if isinstance(value, str):  # from a CSV file, or relative
            relative = relative_day(value, today) if today else None
            if relative is not None:
                return relative
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise self.error(f"'{key}' must be {expected}, not {value!r}") from None
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise self.error(f"'{key}' must be {expected}, not {value!r}")
        return value

    def required_day(self, key: str, *, today: datetime.date | None = None) -> datetime.date:
        value = self.day(key, today=today)
        if value is None:  # day() refuses a missing key without a default; this is for mypy
            raise self.error(f"'{key}' is missing")
        return value

    def choice(self, key: str, choices: type[TextChoices], default: str = _MISSING) -> str:
        value = self.text(key, default)
        if value not in choices.values and not (value == "" and default == ""):
            allowed = ", ".join(repr(v) for v in choices.values)
            raise self.error(f"'{key}' is {value!r}, which is not one of {allowed}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, [], (list,), "a list of text")
        if not all(isinstance(value, str) for value in values):
            raise self.error(f"'{key}' must be a list of text, not {values!r}")
        return tuple(values)

    def numbers(self, key: str, *, length: int | None = None) -> tuple[int, ...]:
        values = self._get(key, [], (list,), "a list of whole numbers")
        if not all(isinstance(value, int) and not isinstance(value, bool) for value in values) or (
            length is not None and len(values) != length
        ):
            count = f"{length} " if length is not None else ""
            raise self.error(f"'{key}' must be a list of {count}whole numbers, not {values!r}")
        return tuple(values)

    def table(self, key: str) -> Entry:
        return Entry(self._get(key, _MISSING, (dict,), "a table"), f"{self.where} [{key}]")

    def tables(self, key: str, *, name: str = "") -> list[Entry]:
        """An array of tables, each named by its position and, when it has one, its `name` key."""
        values = self._get(key, [], (list,), "a list of tables")
        entries = []
        for index, value in enumerate(values):
            label = f" '{value[name]}'" if name and isinstance(value, dict) and name in value else ""
            where = f"{self.where}, {key}[{index}]{label}"
            if not isinstance(value, dict):
                raise SampleDataError(f"{where}: must be a table")
            entries.append(Entry(value, where))
        return entries

    def done(self) -> None:
        unknown = sorted(set(self.values) - self._read)
        if unknown:
            raise self.error(f"unknown key {', '.join(repr(key) for key in unknown)}")
