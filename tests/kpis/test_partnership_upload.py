"""KPI figures in bulk: one file (CSV or Excel) for all of a partnership's indicators, each line
naming its indicator; UK dates and Excel date cells for the period; all or nothing, with every
problem by line; only the partnership's own indicators, and only those the person may change."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kpis.choices import Frequency, Unit
from kpis.models import Indicator, IndicatorValue
from kpis.services import NOTE_MAX_LENGTH
from tests.as_people_write import NUMBERS, counts, refused_on_the_page, rolled_back, text_near, was_saved
from tests.conftest import need_postgres

pytestmark = pytest.mark.django_db

UPLOAD = reverse("kpis:partnership_upload")
TABLES = (IndicatorValue, IndicatorValue.history.model)


def csv_file(lines: list[list[str]], name: str = "figures.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([["indicator", "period", "value", "numerator", "denominator", "note"], *lines])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), "text/csv")


@pytest.fixture
def reviews(make_indicator: Any, icb: Any) -> Indicator:
    """A second indicator of the partnership: a quarterly count owned by the ICB."""
    return make_indicator("Annual reviews completed", unit=Unit.NUMBER, frequency=Frequency.QUARTERLY, owner=icb)


def test_an_administrator_uploads_figures_for_two_indicators_with_uk_dates(
    client_for: Any, administrator: Any, indicator: Indicator, reviews: Indicator, elsewhere_world: Any
) -> None:
    lines = [
        ["new ehc plans issued within 20 weeks  (excluding exceptions)", "31/3/25", "", "41", "100", "Two late"],
        [indicator.name, "2025-04", "57.5%", "", "", ""],
        ["Annual reviews completed", "31/03/2025", "1,234", "", "", "Q4 count"],
    ]
    response = client_for(administrator).post(UPLOAD, {"file": csv_file(lines, "Q4 figures.csv")})
    assert response.status_code == 302 and response["Location"] == reverse("kpis:list")
    march, april = IndicatorValue.objects.filter(indicator=indicator).order_by("period_start")
    assert (march.period_start, march.value, march.numerator, march.note) == (
        datetime.date(2025, 3, 1),
        Decimal("41.0"),
        Decimal("41"),
        "Two late",
    )
    assert (april.value, march.source_detail) == (Decimal("57.5"), "Q4 figures.csv, line 2")
    (quarter,) = IndicatorValue.objects.filter(indicator=reviews)
    assert (quarter.period_start, quarter.period_end, quarter.value) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 3, 31),
        Decimal("1234"),
    )
    assert quarter.history.get().history_change_reason == "Uploaded in Q4 figures.csv"
    assert not IndicatorValue.objects.filter(indicator=elsewhere_world.indicator, period_start__year=2025).exists()


def test_an_excel_workbook_with_date_and_number_cells_is_read(
    client_for: Any, administrator: Any, indicator: Indicator
) -> None:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["Indicator", "Period", "Value", "Numerator", "Denominator", "Note"])
    sheet.append([indicator.name, datetime.datetime(2025, 5, 31), 63, None, None, None])
    sheet.append([indicator.name, "31/6/25", 1, None, None, None])  # no 31 June
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("figures.xlsx", out.getvalue())
    response = client_for(administrator).post(UPLOAD, {"file": upload})
    assert refused_on_the_page(response)
    assert "line 3: period:" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()

    sheet.delete_rows(3)
    out = io.BytesIO()
    book.save(out)
    response = client_for(administrator).post(UPLOAD, {"file": SimpleUploadedFile("figures.xlsx", out.getvalue())})
    assert response.status_code == 302
    (may,) = IndicatorValue.objects.filter(indicator=indicator)
    assert (may.period_start, may.value) == (datetime.date(2025, 5, 1), Decimal("63"))


@pytest.mark.parametrize(
    ("content", "said"),
    [
        # A few kilobytes that unpack to 200 MB of zeros: refused before openpyxl reads a byte.
        ("bomb", "The workbook unpacks to more than 100 MB."),
        ("text", "The file is not an Excel workbook (.xlsx): save it from Excel as &#x27;Excel Workbook&#x27;."),
    ],
)
def test_a_workbook_that_unpacks_to_too_much_or_is_no_workbook_is_refused(
    client_for: Any, administrator: Any, indicator: Indicator, content: str, said: str
) -> None:
    raw = b"Indicator,Period,Value\n"
    if content == "bomb":
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"0" * 200_000_000)
        raw = packed.getvalue()
    before = counts(*TABLES)

    response = client_for(administrator).post(UPLOAD, {"file": SimpleUploadedFile("figures.xlsx", raw)})

    assert refused_on_the_page(response)
    assert said in response.content.decode()
    assert counts(*TABLES) == before


def test_another_partnership_s_indicator_is_never_matched_and_nothing_is_written(
    client_for: Any, administrator: Any, indicator: Indicator, elsewhere_world: Any
) -> None:
    before = counts(*TABLES)
    lines = [
        [indicator.name, "2025-01", "50", "", "", ""],
        [elsewhere_world.indicator.name, "2025-01", "50", "", "", ""],
    ]
    response = client_for(administrator).post(UPLOAD, {"file": csv_file(lines)})
    assert refused_on_the_page(response)
    page = response.content.decode()
    assert "line 3: indicator:" in page and "is not one of the partnership" in page
    assert counts(*TABLES) == before


def test_an_officer_uploads_only_for_indicators_their_organisation_owns(
    client_for: Any,
    officer: Any,
    other_officer: Any,
    scrutiny_member: Any,
    outsider: Any,
    indicator: Indicator,
    reviews: Indicator,
) -> None:
    before = counts(*TABLES)
    lines = [[indicator.name, "2025-01", "50", "", "", ""], [reviews.name, "2025-Q1", "7", "", "", ""]]
    response = client_for(officer).post(UPLOAD, {"file": csv_file(lines)})
    assert refused_on_the_page(response)
    assert "line 3: indicator: Annual reviews completed: only officers of its owner" in response.content.decode()
    assert counts(*TABLES) == before
    assert client_for(officer).post(UPLOAD, {"file": csv_file(lines[:1])}).status_code == 302
    # The ICB's officer owns `reviews`; the template lists only it.
    template = client_for(other_officer).get(reverse("kpis:partnership_template_csv")).content.decode("utf-8-sig")
    assert template.splitlines()[1:] == ["Annual reviews completed,,,,,"]
    assert client_for(scrutiny_member).get(UPLOAD).status_code == 403
    assert client_for(scrutiny_member).post(UPLOAD, {"file": csv_file(lines)}).status_code == 403
    # Elsewhere's officer names Testshire's indicator: not theirs to match.
    response = client_for(outsider).post(UPLOAD, {"file": csv_file(lines[:1])})
    assert refused_on_the_page(response) and "is not one of the partnership" in response.content.decode()
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1
    assert UPLOAD in client_for(officer).get(reverse("kpis:list")).content.decode()
    assert UPLOAD not in client_for(scrutiny_member).get(reverse("kpis:list")).content.decode()


def test_the_templates_list_the_partnership_s_indicators(
    client_for: Any, administrator: Any, indicator: Indicator, reviews: Indicator, elsewhere_world: Any
) -> None:
    client = client_for(administrator)
    client.post(UPLOAD, {"file": csv_file([[indicator.name, "2025-02", "50", "", "", ""]])})
    text = client.get(reverse("kpis:partnership_template_csv")).content.decode("utf-8-sig")
    assert text.splitlines() == [
        "indicator,period,value,numerator,denominator,note",
        "Annual reviews completed,,,,,",
        f"{indicator.name},2025-03,,,,",
    ]
    response = client.get(reverse("kpis:partnership_template_xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert [row[:2] for row in rows] == [
        ("indicator", "period"),
        ("Annual reviews completed", None),
        (indicator.name, "2025-03"),
    ]


@given(
    lines=st.lists(
        st.tuples(
            st.one_of(st.just("NAME"), text_near(200)),
            st.sampled_from(["2025-01", "31/1/25", "31/01/2025", "2025-01-31", "32/1/25", "Jan 2025", "", "2025-13"]),
            NUMBERS,
            text_near(NOTE_MAX_LENGTH),
        ),
        min_size=1,
        max_size=4,
    )
)
@example(lines=[("NAME", "31/1/25", "41.5", "x" * NOTE_MAX_LENGTH)])
@example(lines=[("NAME", "31/1/25", "41.5", "x" * (NOTE_MAX_LENGTH + 1))])
def test_lines_as_people_write_them_are_saved_whole_or_refused_by_line(
    client_for: Any, administrator: Any, indicator: Indicator, lines: list[tuple[str, str, str, str]]
) -> None:
    need_postgres()
    client = client_for(administrator)
    rows = [
        [indicator.name if name == "NAME" else name, period, value, "", "", note] for name, period, value, note in lines
    ]
    with rolled_back():
        before = counts(*TABLES)
        response = client.post(UPLOAD, {"file": csv_file(rows)})
        if was_saved(response):
            assert all(name == "NAME" for name, *_ in lines)
            assert IndicatorValue.objects.filter(indicator=indicator).count() == len(lines)
            assert all(len(note.strip()) <= NOTE_MAX_LENGTH for *_, note in lines)
        else:
            assert refused_on_the_page(response) and "line " in response.content.decode()
            assert counts(*TABLES) == before
