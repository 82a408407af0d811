"""Each indicator's trend line on the KPI list and the dashboard: the figures it draws are the ones
its table lists, oldest first, and the line is described in words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpis.services import record_value
from tests.chart_reading import having, page_tree, table_rows


@pytest.mark.parametrize("url", ["/kpis/", "/"])
def test_the_trend_line_draws_the_figures_its_table_lists(url, indicator, officer, client_for, make_action):
    make_action("1A1")
    for month, value in [(3, "30"), (4, "70"), (5, "60"), (6, "45"), (7, "52.5")]:
        record_value(indicator_id=indicator.pk, user=officer, period=f"2024-{month:02d}", value=value)

    tree = page_tree(client_for(officer).get(url).content.decode())
    line = having(tree, "app-sparkline", "svg")[0]
    table = having(tree, "app-table--kpi-trends", "table")[0]
    (name, cells), *_ = table_rows(table)

    drawn = [Decimal(v) for v in line.get("data-values").split()]
    listed = [Decimal(li.get("data-value")) for li in table.xpath(".//li")]
    assert drawn == listed == [Decimal(v) for v in ("30", "70", "60", "45", "52.5")]
    assert name == indicator.name and cells[0].startswith("March 2024: 30.0%")
    assert "March 2024 30.0%" in line.get("aria-label") and "July 2024 52.5%" in line.get("aria-label")


def test_an_indicator_with_one_figure_has_no_line(indicator, officer, client_for):
    record_value(indicator_id=indicator.pk, user=officer, period="2024-03", value="30")

    page = client_for(officer).get("/kpis/").content.decode()

    assert "app-sparkline" not in page and "app-table--kpi-trends" not in page
