"""KPI values, targets and the values CSV upload with figures and notes as people write them.

Each example is saved whole (the figure as the product reads it: commas and a trailing % dropped;
the note stripped) or refused with a clear message, on the field or the file's line, and nothing
is written: no value, target or history row. Never a 500.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given
from hypothesis import strategies as st

from kpis.models import Indicator, IndicatorValue, Target
from kpis.services import NOTE_MAX_LENGTH, record_value
from tests.as_people_write import NUMBERS, counts, fits, refused_on_the_page, rolled_back, text_near, was_saved
from tests.conftest import need_postgres

pytestmark = pytest.mark.django_db

PERIODS = st.sampled_from(
    [
        "2024-01",
        "2024-1",
        "1/2024",
        "01/2024",
        "January 2024",
        "Jan 2024",
        "sept. 2024",
        "Sept 2024",
        " 2024-03 ",
        "2024-13",
        "13/2024",
        "Jan 24",
        "2024/01",
        "31/01/2024",
        "٢٠٢٤-٠٢",
        "",
        "1066-01",
        "9999-12",
    ]
)
PLAIN_PERIODS = {"2024-01", "2024-1", "1/2024", "01/2024", "January 2024", "Jan 2024", "Sept 2024"}
PLAIN_FIGURES = {"41.5", " 63 ", "0", "100", "1,234.5", "50%", "1e2", ".5", "5."}


def read_figure(text: str) -> Decimal | None:
    """The figure the product reads from what was typed, or None where it is no plain number."""
    cleaned = text.strip().replace(",", "").removesuffix("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def state(indicator: Indicator) -> dict[str, Any]:
    return {
        "values": list(IndicatorValue.objects.filter(indicator=indicator).order_by("period_start").values()),
        "targets": list(Target.objects.filter(indicator=indicator).values()),
        **counts(IndicatorValue, IndicatorValue.history.model, Target, Target.history.model),
    }


@given(
    period=PERIODS,
    value=NUMBERS,
    numerator=st.just("") | NUMBERS,
    denominator=st.just("") | NUMBERS,
    note=text_near(NOTE_MAX_LENGTH),
)
@example(period="2024-01", value="1e999", numerator="", denominator="", note="")
@example(period="2024-01", value="9" * 30, numerator="", denominator="", note="")
@example(period="2024-01", value="41.5", numerator="", denominator="", note="“Provisional” – see note\u00a0🙂")
def test_a_value_is_saved_whole_or_refused_and_nothing_is_written(
    indicator: Indicator,
    officer: Any,
    client_for: Any,
    period: str,
    value: str,
    numerator: str,
    denominator: str,
    note: str,
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = state(indicator)
        response = client.post(
            f"/kpis/{indicator.pk}/values/new/",
            {"period": period, "value": value, "numerator": numerator, "denominator": denominator, "note": note},
        )
        if was_saved(response):
            saved = IndicatorValue.objects.get(indicator=indicator)
            if value.strip() and not numerator.strip():
                assert saved.value == read_figure(value)
            assert saved.note == note.strip()
            assert saved.history.count() == 1
        else:
            figure = read_figure(value)
            assert not (
                period in PLAIN_PERIODS
                and value in PLAIN_FIGURES
                and figure is not None
                and figure <= 100
                and not numerator
                and not denominator
                and fits(note, NOTE_MAX_LENGTH, required=False)
            ), "a plain, valid figure was refused"
            assert refused_on_the_page(response)
            assert state(indicator) == before


@given(
    first=PERIODS,
    last=PERIODS,
    value=NUMBERS,
    tolerance=st.just("") | NUMBERS,
    note=text_near(NOTE_MAX_LENGTH),
)
@example(first="Apr 2024", last="2025-3", value="60%", tolerance="2.5", note="“Agreed” – in full,\u00a0with thanks 🙂")
@example(first="2024-04", last="2025-03", value="1E+50", tolerance="", note="")
def test_a_target_is_saved_whole_or_refused_and_nothing_is_written(
    indicator: Indicator, officer: Any, client_for: Any, first: str, last: str, value: str, tolerance: str, note: str
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        # A figure already entered, which a new target re-rates.
        record_value(indicator_id=indicator.pk, user=officer, period="2024-01", value="41.5")
        before = state(indicator)
        response = client.post(
            f"/kpis/{indicator.pk}/targets/new/",
            {"first_period": first, "last_period": last, "value": value, "tolerance": tolerance, "note": note},
        )
        if was_saved(response):
            target = Target.objects.get(indicator=indicator)
            assert target.value == read_figure(value)
            assert target.tolerance == (read_figure(tolerance) if tolerance.strip() else 0)
            assert target.note == note.strip()
        else:
            figure = read_figure(value)
            assert not (
                first in PLAIN_PERIODS
                and last == first
                and value in PLAIN_FIGURES
                and figure is not None
                and figure <= 100
                and not tolerance
                and fits(note, NOTE_MAX_LENGTH, required=False)
            ), "a plain, valid target was refused"
            assert refused_on_the_page(response)
            assert state(indicator) == before


ROWS = st.lists(st.tuples(PERIODS, NUMBERS, text_near(NOTE_MAX_LENGTH)), min_size=1, max_size=4)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])


@given(
    rows=ROWS,
    encoding=ENCODINGS,
    header=st.sampled_from(["period,value,note", "Period, Value ,NOTE", "period;value;note"]),
)
@example(rows=[("2024-01", "41.5", "a\x00b")], encoding="utf-8", header="period,value,note")
@example(rows=[("2024-01", "1E+50", "")], encoding="utf-8", header="period,value,note")
@example(
    rows=[("Jan 2024", "41.5", "=cmd|' /C calc'!A0"), ("Feb 2024", "63%", "")],
    encoding="cp1252",
    header="period,value,note",
)
def test_a_values_csv_is_saved_whole_or_refused_line_by_line_and_nothing_is_written(
    indicator: Indicator, officer: Any, client_for: Any, rows: list[tuple[str, str, str]], encoding: str, header: str
) -> None:
    need_postgres()
    out = io.StringIO()
    out.write(header + "\r\n")
    csv.writer(out).writerows(rows)
    raw = out.getvalue().encode(encoding, errors="replace")
    client = client_for(officer)
    with rolled_back():
        before = state(indicator)
        response = client.post(
            f"/kpis/{indicator.pk}/values/upload/", {"file": SimpleUploadedFile("figures.csv", raw, "text/csv")}
        )
        if was_saved(response):
            assert encoding in ("utf-8", "utf-8-sig", "cp1252") and ";" not in header
            saved = IndicatorValue.objects.filter(indicator=indicator)
            assert saved.count() == len(rows)
            assert sorted(row.value for row in saved) == sorted(read_figure(value) for _, value, _ in rows)  # type: ignore[type-var]
            if encoding.startswith("utf-8"):
                assert sorted(row.note for row in saved) == sorted(note.strip() for _, _, note in rows)
            assert all(value.history.count() == 1 for value in saved)
        else:
            page = response.content.decode()
            assert refused_on_the_page(response)
            assert "line " in page or "The file" in page
            assert state(indicator) == before
