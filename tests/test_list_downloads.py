"""The action list downloads as CSV and Excel with the page's filters applied; another
partnership's rows never appear; text that a spreadsheet would run as a formula stays text. (The
tracker's downloads: tests/recommendations/test_tracker_downloads.py.)"""

from __future__ import annotations

import csv
import io

import lxml.html  # type: ignore[import-untyped]
import openpyxl
import pytest
from django.urls import reverse

from actions.models import Action

pytestmark = pytest.mark.django_db


def csv_body(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_cells(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows()]


@pytest.fixture
def listed(make_action):
    """Three actions: 3A1 Red with a description a spreadsheet would run, 3A2 Amber, 3A3 not rated."""
    first = make_action("3A1", description='=HYPERLINK("http://evil","Red one")', position=1)
    second = make_action("3A2", position=2)
    make_action("3A3", position=3)
    Action.objects.filter(pk=first.pk).update(brag="red", brag_commentary="@SUM(1+1) \u201cslow\u201d \u2013 late")
    Action.objects.filter(pk=second.pk).update(brag="amber")
    return first


def test_the_action_list_downloads_the_rows_its_filters_show(listed, scrutiny_member, client_for):
    client = client_for(scrutiny_member)
    page = client.get(reverse("actions:list"), {"rating": "red"})
    links = lxml.html.fromstring(page.content).xpath("//a[starts-with(@href, '/plan/actions/download.')]/@href")
    assert links == ["/plan/actions/download.csv?rating=red", "/plan/actions/download.xlsx?rating=red"]

    rows = csv_body(client.get(links[0]))
    assert rows[0][:2] == ["PAP Ref", "Action"]
    assert [row[0] for row in rows[1:]] == ["3A1"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil","Red one")'
    assert rows[1][9:11] == ["Red", "'@SUM(1+1) \u201cslow\u201d \u2013 late"]
    everything = csv_body(client.get(reverse("actions:list_download", args=["csv"])))
    assert [row[0] for row in everything[1:]] == ["3A1", "3A2", "3A3"]
    assert not any("Elsewhere" in cell for row in everything for cell in row)

    cells = xlsx_cells(client.get(links[1]))
    header = next(index for index, row in enumerate(cells) if row[0].value == "PAP Ref")
    [red] = cells[header + 1 :]
    assert red[1].value == '=HYPERLINK("http://evil","Red one")'
    assert red[1].data_type == "s" and red[1].quotePrefix


def test_a_bad_filter_goes_back_to_the_page_and_other_formats_and_plans_are_refused(
    listed, scrutiny_member, outsider, elsewhere_world, client_for
):
    client = client_for(scrutiny_member)
    response = client.get(reverse("actions:list_download", args=["csv"]), {"rating": "purple"})
    assert response.status_code == 302 and response["Location"] == "/plan/actions/?rating=purple"
    assert client.get("/plan/actions/download.pdf").status_code == 404
    other_plan = elsewhere_world.partnership.plans.get()
    assert client.get(reverse("actions:list_download", args=["csv"]), {"plan": other_plan.pk}).status_code == 404
    outsiders = csv_body(client_for(outsider).get(reverse("actions:list_download", args=["csv"])))
    assert not any("3A1" == row[0] and "HYPERLINK" in row[1] for row in outsiders)
    assert client_for(None).get(reverse("actions:list_download", args=["csv"])).status_code == 302
