"""Writes to the KPI framework. Views, commands, the demo loader and any API call these functions.

Each validates first, then writes in one transaction with the indicator row locked, records who
and why in the history, and rates every value it writes against the target for its period.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from send_tracker.accounts import access
from send_tracker.accounts.models import Organisation
from send_tracker.alerts.choices import AlertKind
from send_tracker.alerts.services import alerts_about, withdraw
from send_tracker.history import person, stamp
from send_tracker.numbers import NumberError, decimal_number
from send_tracker.spreadsheets import WorkbookError, open_workbook

from .choices import DfeMeasure, Frequency, Polarity, Rating, Unit, ValueSource
from .models import FIGURE_DIGITS, FIGURE_PLACES, ExceptionNote, Indicator, IndicatorValue, Target
from .periods import Period, PeriodError, parse_period

if TYPE_CHECKING:
    from send_tracker.accounts.access import AnyUser

CSV_COLUMNS = ("period", "value", "numerator", "denominator", "note")
# One upload for all of a partnership's indicators: each line names its indicator.
BULK_COLUMNS = ("indicator", *CSV_COLUMNS)
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_UPLOAD_ROWS = 5000
NOTE_MAX_LENGTH = 2000
# A percentage typed from a report is rounded to one place; a value further than this from its
# numerator and denominator is a typing error, not rounding.
RATE_TOLERANCE = Decimal("0.1")


class CsvUploadError(Exception):
    """The uploaded file was refused; nothing was written. `problems` are "line N: ..." messages."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class ValueEntry:
    """A checked figure for one period, ready to write."""

    period: Period
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    note: str


@dataclass(frozen=True)
class WriteResult:
    created: int
    updated: int
    unchanged: int

    @property
    def summary(self) -> str:
        return f"{self.created} new, {self.updated} revised, {self.unchanged} unchanged"


def _require_change(indicator: Indicator, user: AnyUser | None) -> None:
    # user=None is a management command or the demo loader, run by someone with the server's keys.
    if user is not None:
        access.require(
            indicator.can_be_changed_by(user),
            "Only officers of the organisation that owns this indicator, or an administrator, can change it.",
        )


def _number(text: object, label: str) -> Decimal | None:
    """A figure as typed or pasted (send_tracker.numbers.decimal_number), for a figure column; blank
    is None. Figures are counts, rates and amounts, so none is negative."""
    try:
        number = decimal_number(text, label=label, max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES)
    except NumberError as exc:
        raise ValidationError(str(exc)) from None
    if number is not None and number < 0:
        raise ValidationError(f"The {label} cannot be negative.")
    return number


def read_value_entry(
    indicator: Indicator,
    *,
    period: str,
    value: object = None,
    numerator: object = None,
    denominator: object = None,
    note: str = "",
) -> ValueEntry:
    """Check one period's figure. ValidationError maps each problem to the field it is about."""
    errors: dict[str, str] = {}
    parsed_period: Period | None = None
    try:
        parsed_period = parse_period(period, indicator.frequency)
    except PeriodError as exc:
        errors["period"] = str(exc)
    numbers: dict[str, Decimal | None] = {}
    for name, raw, label in (
        ("value", value, "value"),
        ("numerator", numerator, "numerator"),
        ("denominator", denominator, "denominator"),
    ):
        try:
            numbers[name] = _number(raw, label)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"The note must be {NOTE_MAX_LENGTH} characters or fewer."
    elif "\x00" in note:  # A CSV cell can hold one; PostgreSQL cannot store it.
        errors["note"] = "The note contains a null character, which cannot be saved. Remove it and try again."
    figure, top, bottom = numbers.get("value"), numbers.get("numerator"), numbers.get("denominator")
    if "numerator" not in errors and "denominator" not in errors:
        if (top is None) != (bottom is None):
            missing = "denominator" if bottom is None else "numerator"
            errors[missing] = f"Enter the {missing} too, or leave both the numerator and the denominator blank."
        elif bottom is not None and bottom == 0:
            errors["denominator"] = (
                "The denominator is 0, so there is no rate to report: leave the numerator and denominator "
                "blank and say why in the note."
            )
    is_rate = indicator.unit in (Unit.PERCENT, Unit.RATE_PER_100)
    if not errors and top is not None and bottom is not None and is_rate:
        if indicator.unit == Unit.PERCENT and top > bottom:
            errors["numerator"] = "The numerator cannot be more than the denominator for a percentage."
        else:
            computed = (top / bottom * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if computed >= Decimal(10) ** (FIGURE_DIGITS - FIGURE_PLACES):
                errors["value"] = (
                    f"{top.normalize():f} of {bottom.normalize():f} is {computed:f} per 100, more than a value can "
                    f"hold ({FIGURE_DIGITS - FIGURE_PLACES} digits before the decimal point). Check the figures."
                )
            elif figure is None:
                figure = computed
            elif abs(figure - computed) > RATE_TOLERANCE:
                errors["value"] = (
                    f"The value {figure} does not match the numerator and denominator: "
                    f"{top.normalize():f} of {bottom.normalize():f} is {computed}. Check the figures."
                )
    if figure is None and not {"value", "numerator", "denominator"} & errors.keys():
        errors["value"] = (
            "Enter the value, or the numerator and denominator to work it out." if is_rate else "Enter the value."
        )
    if figure is not None and "value" not in errors and indicator.unit == Unit.PERCENT and figure > 100:
        errors["value"] = "A percentage cannot be more than 100."
    if errors:
        raise ValidationError(errors)
    if parsed_period is None or figure is None:  # unreachable: both are errors above
        raise ValidationError({"value": "Enter the period and the value."})
    return ValueEntry(period=parsed_period, value=figure, numerator=top, denominator=bottom, note=note)


def _rate(value: IndicatorValue, targets: Iterable[Target]) -> None:
    value.target = next((t for t in targets if t.first_period_start <= value.period_start <= t.last_period_end), None)
    value.rating = value.target.rate(value.value) if value.target else None


def _write_entries(
    indicator: Indicator,
    entries: Iterable[ValueEntry],
    *,
    user: AnyUser | None,
    source: str,
    source_detail: Mapping[Period, str] | None = None,
    is_demo: bool = False,
    reason: str,
    published: Callable[[Period], datetime.datetime] | None = None,
) -> WriteResult:
    """Insert or revise values, with history. Call inside a transaction holding the indicator lock.
    `published` dates each figure's history row (a load of figures published on earlier days)."""
    existing = {v.period_start: v for v in IndicatorValue.objects.filter(indicator=indicator)}
    targets = list(indicator.targets.all())
    created = updated = unchanged = 0
    for entry in entries:
        current = existing.get(entry.period.start)
        detail = (source_detail or {}).get(entry.period, "")
        if current is not None and (
            current.value,
            current.numerator,
            current.denominator,
            current.note,
            current.is_demo,
        ) == (entry.value, entry.numerator, entry.denominator, entry.note, is_demo):
            unchanged += 1
            continue
        row: IndicatorValue = current or IndicatorValue(indicator=indicator, period_start=entry.period.start)
        row.period_end = entry.period.end
        row.value, row.numerator, row.denominator, row.note = (
            entry.value,
            entry.numerator,
            entry.denominator,
            entry.note,
        )
        row.source, row.source_detail, row.is_demo = source, detail[:300], is_demo
        row.entered_by = person(user)
        row.entered_by_label = stamp(
            row,
            by=user,
            reason=reason if current is None else f"Revised: {reason}",
            when=published(entry.period) if published else None,
        )
        _rate(row, targets)
        row.save()
        if current is None:
            created += 1
        else:
            updated += 1
    if created or updated:
        withdraw_answered_asks(indicator)
    return WriteResult(created=created, updated=updated, unchanged=unchanged)


def withdraw_answered_asks(indicator: Indicator) -> None:
    """Withdraw the indicator's alerts that have been answered: "figure due" for a period whose
    figure is now in, and "exception note asked for" on a figure that has its note, is no longer
    missed, or is no longer the latest (a newer figure has come in)."""
    values = IndicatorValue.objects.filter(indicator=indicator)
    withdraw(
        alerts_about(Indicator, [indicator.pk], AlertKind.FIGURE_DUE).filter(due_date__in=values.values("period_end"))
    )
    latest = values.select_related("exception_note").order_by("-period_start").first()
    asking = [latest.pk] if latest is not None and latest.asks_for_exception_note else []
    withdraw(alerts_about(IndicatorValue, values.exclude(pk__in=asking).values("pk"), AlertKind.EXCEPTION_NOTE_DUE))


def record_value(
    *,
    indicator_id: int,
    user: AnyUser | None,
    period: str,
    value: object = None,
    numerator: object = None,
    denominator: object = None,
    note: str = "",
) -> IndicatorValue:
    """Enter (or revise) one period's figure from the indicator page.

    ValidationError for bad input, PermissionDenied for a reader who may not change the indicator;
    either way nothing is written. A revision keeps the old figure in the history.
    """
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator_id)
        _require_change(indicator, user)
        entry = read_value_entry(
            indicator, period=period, value=value, numerator=numerator, denominator=denominator, note=note
        )
        _write_entries(
            indicator, [entry], user=user, source=ValueSource.FORM, reason=entry.note or "Entered on the indicator page"
        )
    return IndicatorValue.objects.get(indicator=indicator, period_start=entry.period.start)


Cells = list[object] | csv.Error


def _cell_text(cell: object) -> str:
    """A cell as text: a date cell (Excel's own) as a UK date, which parse_period reads."""
    if isinstance(cell, datetime.date):
        return f"{cell.day}/{cell.month}/{cell.year}"
    return "" if cell is None else str(cell)


def _csv_lines(raw: bytes) -> Iterator[tuple[int, Cells]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252 unless told otherwise.
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text))
    try:
        for cells in reader:
            yield reader.line_num, list(cells)
    except csv.Error as exc:
        yield reader.line_num, exc


def _xlsx_lines(raw: bytes) -> Iterator[tuple[int, Cells]]:
    """The first sheet's rows, as many columns as the upload has; a row is an Excel line number."""
    try:
        book = open_workbook(raw)
    except WorkbookError as error:
        raise CsvUploadError([f"{str(error)[:1].upper()}{str(error)[1:]}."]) from None
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(max_col=len(BULK_COLUMNS) + 4, values_only=True), start=1):
            cells: list[object] = list(row)
            while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
                cells.pop()
            yield number, cells
            if number > MAX_UPLOAD_ROWS + 1:
                break
    finally:
        book.close()


def _read_lines(
    lines: Iterator[tuple[int, Cells]], columns: tuple[str, ...], indicator_for: Callable[[dict[str, str]], Indicator]
) -> list[tuple[int, Indicator, ValueEntry]]:
    """Every line checked; CsvUploadError lists all the problems by line. The first line names the
    columns; `indicator_for` finds each line's indicator (ValidationError if it cannot)."""
    try:
        _, first = next(lines)
    except StopIteration:
        raise CsvUploadError(["The file is empty. The first line must be: " + ",".join(columns)]) from None
    if isinstance(first, csv.Error):
        raise CsvUploadError([f"line 1: not a CSV file ({first})"])
    header = [_cell_text(name).strip().lower() for name in first]
    unknown = [name for name in header if name not in columns]
    absent = [name for name in ("indicator", "period", "value") if name in columns and name not in header]
    if unknown or absent or len(set(header)) != len(header):
        problem = "line 1: the header must name the columns " + ",".join(columns)
        if absent:
            problem += f"; it has no {' or '.join(absent)} column"
        if unknown:
            problem += f"; it has columns this upload does not know: {', '.join(unknown)}"
        raise CsvUploadError([problem])
    problems: list[str] = []
    entries: list[tuple[int, Indicator, ValueEntry]] = []
    seen: dict[tuple[int, Period], int] = {}
    for line, cells in lines:
        if isinstance(cells, csv.Error):
            problems.append(f"line {line}: not valid CSV ({cells})")
            break
        if not any(_cell_text(cell).strip() for cell in cells):
            continue
        if len(entries) + len(problems) >= MAX_UPLOAD_ROWS:
            problems.append(f"line {line}: the file has more than {MAX_UPLOAD_ROWS} rows; split it")
            break
        if len(cells) > len(header):
            problems.append(f"line {line}: {len(cells)} columns where the header has {len(header)}")
            continue
        row = dict(
            zip(header, [_cell_text(cell) for cell in [*cells, *[""] * (len(header) - len(cells))]], strict=True)
        )
        try:
            indicator = indicator_for(row)
            entry = read_value_entry(
                indicator,
                period=row.get("period", ""),
                value=row.get("value"),
                numerator=row.get("numerator"),
                denominator=row.get("denominator"),
                note=row.get("note", ""),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.extend(f"line {line}: {field}: {message}" for message in messages)
            continue
        if (indicator.pk, entry.period) in seen:
            problems.append(
                f"line {line}: period {entry.period.key} is already on line {seen[indicator.pk, entry.period]}"
            )
            continue
        seen[indicator.pk, entry.period] = line
        entries.append((line, indicator, entry))
    if problems:
        raise CsvUploadError(problems)
    if not entries:
        raise CsvUploadError(["The file has a header but no values."])
    return entries


def read_values_csv(indicator: Indicator, raw: bytes) -> list[tuple[int, ValueEntry]]:
    """Every line of an uploaded CSV checked; CsvUploadError lists all the problems by line."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise CsvUploadError([f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB."])
    checked = _read_lines(_csv_lines(raw), CSV_COLUMNS, lambda row: indicator)
    return [(line, entry) for line, _, entry in checked]


def upload_values_csv(*, indicator_id: int, user: AnyUser | None, raw: bytes, filename: str) -> WriteResult:
    """All or nothing: every line is checked before any is written; the errors name their lines."""
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator_id)
        _require_change(indicator, user)
        return _write_uploaded(indicator, read_values_csv(indicator, raw), user=user, filename=filename)


def _write_uploaded(
    indicator: Indicator, checked: list[tuple[int, ValueEntry]], *, user: AnyUser | None, filename: str
) -> WriteResult:
    """An upload's checked lines of one indicator written, each value saying its file and line."""
    name = filename.rsplit("/", 1)[-1][:200] or "upload.csv"
    return _write_entries(
        indicator,
        [entry for _, entry in checked],
        user=user,
        source=ValueSource.CSV_UPLOAD,
        source_detail={entry.period: f"{name}, line {line}" for line, entry in checked},
        reason=f"Uploaded in {name}",
    )


def load_demo_values(
    indicator: Indicator,
    rows: Iterable[Mapping[str, object]],
    *,
    published: Callable[[Period], datetime.datetime] | None = None,
) -> WriteResult:
    """Demo figures for the Oxfordshire example, flagged is_demo so every page labels them;
    `published` says when each period's figure was published, for its history row."""
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        entries = [
            read_value_entry(
                locked,
                period=str(row["period"]),
                value=row.get("value"),
                numerator=row.get("numerator"),
                denominator=row.get("denominator"),
                note=str(row.get("note", "")),
            )
            for row in rows
        ]
        return _write_entries(
            locked,
            entries,
            user=None,
            source=ValueSource.DEMO,
            is_demo=True,
            reason="Demo figure loaded",
            published=published,
        )


def set_target(
    *,
    indicator_id: int,
    user: AnyUser | None,
    first_period: str,
    last_period: str,
    value: object,
    tolerance: object = "0",
    note: str = "",
    is_demo: bool = False,
) -> Target:
    """Set the target for a run of periods, and re-rate the values already entered for them.

    Setting a target for exactly the same periods again revises it (the old one stays in the
    history); a target that would overlap a different run of periods is refused.
    """
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator_id)
        _require_change(indicator, user)
        errors: dict[str, str] = {}
        if indicator.polarity == Polarity.NEITHER:
            raise ValidationError("This is a context measure: neither higher nor lower is better, so it has no target.")
        periods: dict[str, Period] = {}
        for name, text in (("first_period", first_period), ("last_period", last_period)):
            try:
                periods[name] = parse_period(text, indicator.frequency)
            except PeriodError as exc:
                errors[name] = str(exc)
        numbers: dict[str, Decimal | None] = {}
        for name, raw in (("value", value), ("tolerance", tolerance)):
            try:
                numbers[name] = _number(raw, "target" if name == "value" else "tolerance")
            except ValidationError as exc:
                errors[name] = exc.messages[0]
        if "value" not in errors and numbers.get("value") is None:
            errors["value"] = "Enter the target."
        elif indicator.unit == Unit.PERCENT and (numbers.get("value") or 0) > 100:
            errors["value"] = "A percentage target cannot be more than 100."
        first, last = periods.get("first_period"), periods.get("last_period")
        if first and last and last.start < first.start:
            errors["last_period"] = "The last period must be the same as or after the first."
        note = (note or "").strip()
        if len(note) > NOTE_MAX_LENGTH:
            errors["note"] = f"The note must be {NOTE_MAX_LENGTH} characters or fewer."
        if not errors and first and last:
            overlapping = (
                indicator.targets.filter(first_period_start__lte=last.end, last_period_end__gte=first.start)
                .exclude(first_period_start=first.start, last_period_end=last.end)
                .first()
            )
            if overlapping:
                errors["first_period"] = (
                    f"These periods overlap the target already set for {overlapping.periods_label}. "
                    "Choose periods that do not overlap, or set that target again for the same periods to change it."
                )
        if errors:
            raise ValidationError(errors)
        target_value = numbers["value"]
        if first is None or last is None or target_value is None:  # unreachable: each is an error above
            raise ValidationError({"value": "Enter the periods and the target."})
        existing = indicator.targets.filter(first_period_start=first.start, last_period_end=last.end).first()
        created = existing is None
        target: Target = existing or Target(
            indicator=indicator, first_period_start=first.start, last_period_end=last.end
        )
        target.value = target_value
        target.tolerance = numbers.get("tolerance") or Decimal("0")
        target.note = note
        target.is_demo = is_demo
        target.set_by = person(user)
        target.set_by_label = stamp(target, by=user, reason=note or ("Target set" if created else "Target revised"))
        target.save()
        _rerate(indicator, target, user)
    return target


def _rerate(indicator: Indicator, target: Target, user: AnyUser | None) -> None:
    """Re-rate the values in the target's periods; each changed rating is a history row with why."""
    targets = list(indicator.targets.all())
    values = indicator.values.filter(
        period_start__gte=target.first_period_start, period_start__lte=target.last_period_end
    )
    for value in values:
        before = (value.target_id, value.rating)
        _rate(value, targets)
        if (value.target_id, value.rating) == before:
            continue
        stamp(value, by=user, reason=f"Rated against the target for {target.periods_label}")
        value.save(update_fields=["target", "rating"])
    withdraw_answered_asks(indicator)


# ---------------------------------------------------------------------------------------------
# The indicators themselves (administrators)

DEFINITION_MAX_LENGTH = 5000


@dataclass(frozen=True)
class IndicatorDetails:
    """What an administrator says about an indicator: its name, what it counts and how, which way
    is better, how often it is reported, where the figure comes from and who answers for it."""

    name: str
    definition: str
    unit: str
    polarity: str
    frequency: str
    source: str
    owner_id: int | None = None
    dfe_measure: str = ""
    is_public: bool = False

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorDetails:
        return cls(**{name.name: getattr(indicator, name.name) for name in fields(cls)})

    def checked(self, partnership_id: int) -> tuple[IndicatorDetails, dict[str, str]]:
        """The details stripped, and what is wrong with them by field."""
        errors: dict[str, str] = {}
        texts = {}
        for name, limit, missing in (
            ("name", 200, "Enter the indicator's name."),
            ("definition", DEFINITION_MAX_LENGTH, "Say what is counted, in plain English."),
            ("source", 300, "Say where the figure comes from."),
        ):
            texts[name] = (getattr(self, name) or "").strip()
            if not texts[name]:
                errors[name] = missing
            elif len(texts[name]) > limit:
                errors[name] = f"Keep it to {limit} characters or fewer."
        for name, choices, missing in (
            ("unit", Unit, "Choose what the figure counts."),
            ("polarity", Polarity, "Choose which way is better."),
            ("frequency", Frequency, "Choose how often it is reported."),
        ):
            if getattr(self, name) not in choices.values:
                errors[name] = missing
        if self.dfe_measure and self.dfe_measure not in DfeMeasure.values:
            errors["dfe_measure"] = "Choose a DfE measure from the list, or none."
        if (
            self.owner_id is not None
            and not Organisation.objects.filter(pk=self.owner_id, partnership_id=partnership_id).exists()
        ):
            errors["owner_id"] = "Choose an organisation of the partnership."
        return replace(self, name=texts["name"], definition=texts["definition"], source=texts["source"]), errors


def _name_taken(partnership_id: int, name: str, errors: dict[str, str], exclude: int | None = None) -> None:
    if name and Indicator.objects.filter(partnership_id=partnership_id, name__iexact=name).exclude(pk=exclude).exists():
        errors["name"] = f"The partnership already has an indicator called {name}."


def _apply(indicator: Indicator, details: IndicatorDetails) -> list[str]:
    """Set the details on the indicator; the labels of the fields that changed."""
    changed = []
    for name, value in asdict(details).items():
        if getattr(indicator, name) != value:
            model_field = Indicator._meta.get_field(name.removesuffix("_id"))
            changed.append(str(getattr(model_field, "verbose_name", name)))
            setattr(indicator, name, value)
    return changed


def create_indicator(*, partnership_id: int, user: AnyUser | None, details: IndicatorDetails) -> Indicator:
    """Add an indicator to the partnership's framework (administrators), after the others."""
    if user is not None:
        access.require(
            access.may_change_in_partnership(user, partnership_id), "Only an administrator can add an indicator."
        )
    details, errors = details.checked(partnership_id)
    with transaction.atomic():
        _name_taken(partnership_id, details.name, errors)
        if errors:
            raise ValidationError(errors)
        last = Indicator.objects.filter(partnership_id=partnership_id).order_by("-position").first()
        indicator = Indicator(partnership_id=partnership_id, position=(last.position + 1) if last else 0)
        _apply(indicator, details)
        stamp(indicator, by=user, reason="Indicator added")
        indicator.save()
    return indicator


def update_indicator(
    *, indicator_id: int, user: AnyUser | None, details: IndicatorDetails, reason: str = ""
) -> Indicator:
    """Change an indicator's details (administrators). Its unit and frequency are how its figures
    were entered, so they stay once it has figures or targets; and a measure with targets keeps a
    better direction. The history says which details changed, and why when given."""
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().get(pk=indicator_id)
        if user is not None:
            access.require(
                access.may_change_in_partnership(user, indicator.partnership_id),
                "Only an administrator can change an indicator's details.",
            )
        details, errors = details.checked(indicator.partnership_id)
        _name_taken(indicator.partnership_id, details.name, errors, exclude=indicator.pk)
        reason = (reason or "").strip()
        if len(reason) > NOTE_MAX_LENGTH:
            errors["reason"] = f"Keep the reason to {NOTE_MAX_LENGTH} characters or fewer."
        has_figures = indicator.values.exists() or indicator.targets.exists()
        for name, what in (("unit", "unit"), ("frequency", "frequency")):
            if has_figures and getattr(details, name) != getattr(indicator, name) and name not in errors:
                errors[name] = (
                    f"The indicator already has figures or targets entered by this {what}, so it cannot change. "
                    "Add a new indicator instead."
                )
        becomes_context = details.polarity == Polarity.NEITHER and indicator.polarity != Polarity.NEITHER
        if becomes_context and indicator.targets.exists():
            errors["polarity"] = "The indicator has targets, so it needs a better direction: higher or lower."
        if errors:
            raise ValidationError(errors)
        changed = _apply(indicator, details)
        if not changed:
            return indicator
        summary = "Changed " + ", ".join(changed)
        stamp(indicator, by=user, reason=f"{summary}: {reason}" if reason else summary)
        indicator.save()
    return indicator


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def upload_partnership_values(*, partnership_id: int, user: AnyUser, raw: bytes, filename: str) -> WriteResult:
    """Figures for any of the partnership's indicators in one file (CSV, or an Excel workbook's first
    sheet), each line naming its indicator. All or nothing, as the per-indicator upload: every line is
    checked, against its own indicator, before any is written. Only the partnership's own indicators
    are matched, and only those the person may change (its owner's officers, an administrator)."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise CsvUploadError([f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB."])
    is_workbook = filename.lower().endswith(".xlsx") or raw[:2] == b"PK"
    with transaction.atomic():
        indicators = {
            _name_key(indicator.name): indicator
            for indicator in Indicator.objects.select_for_update().filter(partnership_id=partnership_id).order_by("pk")
        }

        def indicator_for(row: dict[str, str]) -> Indicator:
            named = row.get("indicator", "").strip()
            if not named:
                raise ValidationError({"indicator": "Name the indicator, as it is named on the KPI list."})
            indicator = indicators.get(_name_key(named))
            if indicator is None:
                raise ValidationError({"indicator": f"“{named[:200]}” is not one of the partnership's indicators."})
            if not indicator.can_be_changed_by(user):
                raise ValidationError(
                    {"indicator": f"{indicator.name}: only officers of its owner, or an administrator, can change it."}
                )
            return indicator

        checked = _read_lines(_xlsx_lines(raw) if is_workbook else _csv_lines(raw), BULK_COLUMNS, indicator_for)
        created = updated = unchanged = 0
        for indicator in {indicator.pk: indicator for _, indicator, _ in checked}.values():
            mine = [(line, entry) for line, owner, entry in checked if owner.pk == indicator.pk]
            result = _write_uploaded(indicator, mine, user=user, filename=filename)
            created, updated, unchanged = (
                created + result.created,
                updated + result.updated,
                unchanged + result.unchanged,
            )
    return WriteResult(created=created, updated=updated, unchanged=unchanged)


# ---------------------------------------------------------------------------------------------
# Exception notes: the owner's account of a figure that missed its target beyond tolerance

EXCEPTION_TEXT_MAX_LENGTH = 2000
# A recovery date is a date in the plan's span, as an action's target date is.
EARLIEST_RECOVERY_DATE, LATEST_RECOVERY_DATE = datetime.date(2010, 1, 1), datetime.date(2099, 12, 31)


def _note_text(text: object, what: str, errors: dict[str, str], field: str) -> str:
    """A required paragraph as typed or pasted from Word, stripped; its problem put in `errors`."""
    cleaned = str(text or "").strip()
    if not cleaned:
        errors[field] = f"Enter {what}."
    elif len(cleaned) > EXCEPTION_TEXT_MAX_LENGTH:
        errors[field] = f"{what[0].upper()}{what[1:]} must be {EXCEPTION_TEXT_MAX_LENGTH:,} characters or fewer."
    elif "\x00" in cleaned:  # PostgreSQL cannot store it.
        errors[field] = "The text contains a null character, which cannot be saved. Remove it and try again."
    return cleaned


def give_exception_note(
    *,
    value_id: int,
    user: AnyUser | None,
    reason: object,
    action: object,
    recovery_date: datetime.date | None,
) -> ExceptionNote:
    """Give (or revise) the exception note on a figure that missed its target beyond tolerance: why,
    what is being done, and when it should be back on target. The ask is then withdrawn.

    ValidationError for bad input or a figure that did not miss; PermissionDenied for a reader who
    may not change the indicator; either way nothing is written. A revision keeps the old note in
    the history."""
    with transaction.atomic():
        value = IndicatorValue.objects.select_related("indicator").get(pk=value_id)
        indicator = Indicator.objects.select_for_update().get(pk=value.indicator_id)
        _require_change(indicator, user)
        value.refresh_from_db(fields=["rating"])
        if value.rating != Rating.MISSED:
            raise ValidationError(
                f"The figure for {value.period.label} did not miss its target beyond tolerance, "
                "so it needs no exception note."
            )
        errors: dict[str, str] = {}
        reason_text = _note_text(reason, "why the target was missed", errors, "reason")
        action_text = _note_text(action, "what is being done", errors, "action")
        if recovery_date is None:
            errors["recovery_date"] = "Enter the date the figure should be back on target, for example 31 3 2026."
        elif not EARLIEST_RECOVERY_DATE <= recovery_date <= LATEST_RECOVERY_DATE:
            errors["recovery_date"] = "The date it should be back on target must be between 2010 and 2099."
        elif recovery_date < value.period_start:
            errors["recovery_date"] = (
                f"The date it should be back on target must be after the figure's period began ({value.period.label})."
            )
        if errors:
            raise ValidationError(errors)
        note = value.note_for_exception or ExceptionNote(value=value)
        created = note.pk is None
        if not created and (note.reason, note.action, note.recovery_date) == (reason_text, action_text, recovery_date):
            return note
        note.reason, note.action, note.recovery_date = reason_text, action_text, recovery_date
        note.given_by = person(user)
        note.given_by_label = stamp(
            note,
            by=user,
            reason=f"Exception note {'given' if created else 'revised'} for {value.period.label}",
        )
        note.save()
        withdraw_answered_asks(indicator)
    return note
