"""Figures as people type them and as Excel writes them, into the KPI value and target forms and the
values CSV upload: each is saved as the number it says, or refused with a sentence on the field or
the line, with nothing written. Never a 500, whatever the number (1e999, NaN, thirty digits).

One reader, send_tracker.numbers.decimal_number, serves the forms and the upload.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kpis.choices import Unit
from kpis.models import FIGURE_DIGITS, FIGURE_PLACES, IndicatorValue, Target
from send_tracker.numbers import NumberError, decimal_number
from tests.as_people_write import TYPED_NUMBERS
from tests.conftest import need_postgres

WHOLE_DIGITS = FIGURE_DIGITS - FIGURE_PLACES
LARGEST = Decimal(10) ** WHOLE_DIGITS - Decimal(1).scaleb(-FIGURE_PLACES)  # 999999999999.99

# The numbers people type, and figures at, just inside and just past the columns' limits, and as
# spreadsheets and Word write them.
TYPED = st.sampled_from(
    [
        *TYPED_NUMBERS,
        "\u00a063\u00a0",
        "12.340",
        "1,234,567.89",
        "1\u00a0234.5",
        "12,5",
        "1.23457E+11",
        "9" * 12,
        "9" * 13,
        f"{LARGEST}",
        f"{LARGEST + Decimal('0.01')}",
        "0." + "0" * 30 + "1",
        "sNaN",
        "£5",
    ]
)
DIGITS = st.integers(1, 35).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))
FIGURES = TYPED | DIGITS | st.decimals(allow_nan=True, allow_infinity=True).map(str)


def expected(text: str) -> Decimal | None | NumberError:
    try:
        return decimal_number(text, label="value", max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES)
    except NumberError as exc:
        return exc


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo an example's writes, so every example starts from the same rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def state() -> tuple[int, ...]:
    return (
        IndicatorValue.objects.count(),
        IndicatorValue.history.model.objects.count(),
        Target.objects.count(),
        Target.history.model.objects.count(),
    )


def refused(response: Any) -> str:
    page = response.content.decode()
    assert response.status_code == 400, page[:500]
    assert "There is a problem" in page
    return page


# As many examples as the profile's (tests/conftest.py); the limits are given as @example.
PROPERTY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


# ---------------------------------------------------------------------------------------------
# The reader


@given(FIGURES | st.text(max_size=60))
def test_the_reader_gives_a_number_the_column_holds_or_says_why_not(text):
    try:
        number = decimal_number(text, label="value", max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES)
    except NumberError as exc:
        assert str(exc).startswith(("The value ", "Write the value in full"))
        return
    if number is not None:
        assert number.is_finite()
        assert abs(number) <= LARGEST
        assert number == number.quantize(Decimal("0.01"))
        assert len(number.as_tuple().digits) <= FIGURE_DIGITS


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("45.3", Decimal("45.3")),
        (" 1,234.5 ", Decimal("1234.5")),
        ("1\u00a0234\u00a0567", Decimal("1234567")),
        ("12%", Decimal("12")),
        ("\u22122.5", Decimal("-2.5")),
        ("999999999999.99", LARGEST),
        ("", None),
        ("  ", None),
    ],
)
def test_numbers_as_excel_and_word_write_them_are_read(text, number):
    assert decimal_number(text, label="value", max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES) == number


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e999", "Write the value in full, like 1250000, not as “1e999”."),
        ("1E+50", "Write the value in full, like 1250000, not as “1E+50”."),
        ("9" * 30, "The value can have at most 12 digits before the decimal point."),
        ("1000000000000", "The value can have at most 12 digits before the decimal point."),
        ("NaN", "The value must be a number, like 45.3; “NaN” is not."),
        ("Infinity", "The value must be a number, like 45.3; “Infinity” is not."),
        ("12.345", "The value can have at most 2 decimal places."),
        ("12,5", "commas only between thousands, like 1,234.5; “12,5” is not."),
        ("٤٢", "The value must be a number, like 45.3; “٤٢” is not."),
    ],
)
def test_numbers_no_column_holds_are_refused_in_words(text, message):
    with pytest.raises(NumberError) as refusal:
        decimal_number(text, label="value", max_digits=FIGURE_DIGITS, decimal_places=FIGURE_PLACES)
    assert message in str(refusal.value)


# ---------------------------------------------------------------------------------------------
# The forms and the upload, on PostgreSQL


@pytest.fixture
def count_indicator(make_indicator):
    """A count, so any size of figure up to the column's is allowed."""
    return make_indicator("Requests for an EHC needs assessment", unit=Unit.NUMBER)


@pytest.fixture
def rate_indicator(make_indicator):
    return make_indicator("Permanent exclusions per 100 pupils", unit=Unit.RATE_PER_100)


@pytest.mark.django_db
@PROPERTY
@given(value=FIGURES)
@example(value="1e999")
@example(value="9" * 30)
@example(value="NaN")
def test_the_value_form_saves_the_number_or_refuses_on_the_field(count_indicator, officer, client_for, value):
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = state()
        response = client.post(
            reverse("kpis:value_new", args=[count_indicator.pk]), {"period": "2024-06", "value": value}
        )
        number = expected(value)
        if isinstance(number, Decimal) and number >= 0 and len(value.strip()) <= 40:
            assert response.status_code == 302, response.content.decode()[:500]
            assert IndicatorValue.objects.get(indicator=count_indicator).value == number
        else:
            page = refused(response)
            if isinstance(number, NumberError) and len(value.strip()) <= 40:
                assert html.escape(str(number)) in page
            assert state() == before


@pytest.mark.django_db
@PROPERTY
@given(numerator=FIGURES, denominator=FIGURES)
@example(numerator=str(LARGEST), denominator="0.01")
def test_a_rate_from_a_numerator_and_denominator_is_saved_or_refused(
    rate_indicator, officer, client_for, numerator, denominator
):
    need_postgres()
    indicator = rate_indicator
    client = client_for(officer)
    with rolled_back():
        before = state()
        response = client.post(
            reverse("kpis:value_new", args=[indicator.pk]),
            {"period": "2024-06", "numerator": numerator, "denominator": denominator},
        )
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            saved = IndicatorValue.objects.get(indicator=indicator)
            assert (saved.numerator, saved.denominator) == (expected(numerator), expected(denominator))
        else:
            refused(response)
            assert state() == before


@pytest.mark.django_db
@PROPERTY
@given(target=FIGURES, tolerance=FIGURES)
@example(target="1E+50", tolerance="0")
@example(target="1", tolerance="9" * 30)
def test_the_target_form_saves_the_number_or_refuses_on_the_field(
    count_indicator, officer, client_for, target, tolerance
):
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = state()
        response = client.post(
            reverse("kpis:target_new", args=[count_indicator.pk]),
            {"first_period": "2024-04", "last_period": "2025-03", "value": target, "tolerance": tolerance},
        )
        value, allowance = expected(target), expected(tolerance)
        fine = (
            isinstance(value, Decimal)
            and value >= 0
            and (allowance is None or (isinstance(allowance, Decimal) and allowance >= 0))
            and len(target.strip()) <= 40
            and len(tolerance.strip()) <= 40
        )
        if fine:
            assert response.status_code == 302, response.content.decode()[:500]
            saved = Target.objects.get(indicator=count_indicator)
            assert (saved.value, saved.tolerance) == (value, allowance or 0)
        else:
            refused(response)
            assert state() == before


@pytest.mark.django_db
@PROPERTY
@given(value=FIGURES)
@example(value="1e999")
@example(value="1E+50")
@example(value="9" * 30)
@example(value="Infinity")
def test_the_upload_saves_every_line_or_names_the_line_and_writes_nothing(count_indicator, officer, client_for, value):
    need_postgres()
    client = client_for(officer)
    cell = '"' + value.replace('"', '""') + '"'
    upload = SimpleUploadedFile("figures.csv", f"period,value\n2024-05,12\n2024-06,{cell}\n".encode())
    with rolled_back():
        before = state()
        response = client.post(reverse("kpis:values_upload", args=[count_indicator.pk]), {"file": upload})
        number = expected(value)
        if isinstance(number, Decimal) and number >= 0:
            assert response.status_code == 302, response.content.decode()[:500]
            saved = IndicatorValue.objects.get(indicator=count_indicator, period_start__month=6)
            assert saved.value == number
        else:
            page = refused(response)
            assert "line 3: value: " in page
            assert state() == before
