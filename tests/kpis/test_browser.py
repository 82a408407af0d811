"""The KPI and benchmarking pages in a real browser: Debian's Chromium through Playwright.
axe-core checks every page as every role in tests/test_accessibility_walk.py."""

from __future__ import annotations

import pytest

from kpis.dfe_timeliness import import_timeliness_file
from kpis.models import IndicatorValue
from tests.conftest import sign_in_by_session
from tests.kpis.conftest import REAL_2025

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_benchmark_page_shows_oxfordshire_against_england_the_south_east_and_hertfordshire(
    page, oxfordshire_area, officer
):
    import_timeliness_file(REAL_2025)
    sign_in_by_session(page, officer)

    page.goto("/kpis/benchmark/")

    table = page.locator("#benchmark-table")
    headers = table.locator("thead th").all_inner_texts()
    assert headers == ["Year", "Oxfordshire", "England", "South East (region)", "Hertfordshire (comparator)"]
    row_2022 = table.locator("tbody tr", has_text="2022")
    assert row_2022.locator("td").first.inner_text().startswith("4.0%")
    assert "49.2%" in row_2022.inner_text()
    assert page.get_by_role("heading", name="EHC plans issued within 20 weeks, excluding exceptions (%)").is_visible()
    chart = page.get_by_role(
        "img", name="Line chart of the percentage of EHC plans issued within 20 weeks", exact=False
    )
    assert chart.is_visible()


def test_a_reader_chooses_another_comparator_without_javascript_help(page, oxfordshire_area, scrutiny_member):
    import_timeliness_file(REAL_2025)
    sign_in_by_session(page, scrutiny_member)
    page.goto("/kpis/benchmark/")

    page.get_by_label("Authority 2").select_option(label="Kingston upon Hull, City of")
    page.get_by_label("EHC plans issued within 20 weeks, including exceptions (%)").check()
    page.get_by_role("button", name="Show the comparison").click()

    headers = page.locator("#benchmark-table thead th").all_inner_texts()
    assert headers[-1] == "Kingston upon Hull, City of (comparator)"
    assert page.get_by_role("heading", name="EHC plans issued within 20 weeks, including exceptions (%)").is_visible()


def test_an_officer_enters_a_value_and_sees_its_rating(page, rated, officer):
    sign_in_by_session(page, officer)
    page.goto(rated.get_absolute_url())
    page.get_by_role("button", name="Enter a value").click()

    page.get_by_label("Period").fill("2024-06")
    page.get_by_label("Numerator").fill("62")
    page.get_by_label("Denominator").fill("100")
    page.get_by_role("button", name="Save value").click()

    page.wait_for_url(f"**{rated.get_absolute_url()}")
    assert page.get_by_text("June 2024 saved as 62.0% (Met)").is_visible()
    assert IndicatorValue.objects.get(indicator=rated, period_start__month=6).entered_by == officer
