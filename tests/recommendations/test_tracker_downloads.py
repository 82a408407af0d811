"""The recommendations tracker downloads as CSV and Excel with the page's filters applied;
another partnership's rows never appear; text that a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import lxml.html  # type: ignore[import-untyped]
import pytest
from django.urls import reverse

from recommendations.list_cells import TRACKER_COLUMNS
from tests.test_list_downloads import csv_body, xlsx_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(make_recommendation, make_report, hosc):
    owed = make_recommendation("1", text="+That waiting times are published \u2013 monthly.")
    make_recommendation("2", text="That the voice of children is heard.")
    health = make_report(title="@Health report", committee=hosc)
    health.recommendations.create(number="1", position=1, text="That the ICB answers.")
    return owed


def test_the_tracker_downloads_the_rows_its_filters_show(tracked, hosc, scrutiny_member, client_for):
    client = client_for(scrutiny_member)
    page = client.get(reverse("recommendations:tracker"), {"committee": hosc.pk})
    links = lxml.html.fromstring(page.content).xpath("//a[contains(@href, '/download.')]/@href")
    assert links == [
        f"/recommendations/download.csv?committee={hosc.pk}",
        f"/recommendations/download.xlsx?committee={hosc.pk}",
    ]
    rows = csv_body(client.get(links[0]))
    assert rows[0] == TRACKER_COLUMNS
    assert [(row[0], row[2]) for row in rows[1:]] == [("Recommendation 1", "'@Health report")]

    everything = csv_body(client.get(reverse("recommendations:tracker_download", args=["csv"])))
    texts = [row[1] for row in everything[1:]]
    assert "'+That waiting times are published \u2013 monthly." in texts and len(texts) == 3
    assert not any("Elsewhere" in cell for row in everything for cell in row)
    owed = next(row for row in everything if row[1].startswith("'+That"))
    assert owed[7] == "Awaiting response" or owed[7] == "Response overdue"
    assert owed[10]  # the law that sets the deadline, in a few words

    cells = xlsx_cells(client.get(links[1]))
    header = next(index for index, row in enumerate(cells) if row[0].value == "Recommendation")
    [health] = cells[header + 1 :]
    assert health[2].value == "@Health report" and health[2].quotePrefix


def test_a_bad_tracker_filter_goes_back_to_the_page(tracked, scrutiny_member, client_for):
    response = client_for(scrutiny_member).get(
        reverse("recommendations:tracker_download", args=["xlsx"]), {"status": "nonsense"}
    )
    assert response.status_code == 302 and response["Location"] == "/recommendations/?status=nonsense"
