"""The whole board pack: its sections in order in Word, Excel and CSV, each with the figures the
meeting's page shows; the indicators and recommendations as they stood at the meeting; nothing of
another partnership; and the same number of queries however long the history."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import docx
import lxml.html  # type: ignore[import-untyped]
import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.forum import give_view, reply_to_view
from governance import packs
from governance.meeting_figures import read_meeting_figures
from kpis.models import ExceptionNote, IndicatorValue
from kpis.services import record_value
from tests.governance.conftest import at, rate
from tests.kpis.conftest import target

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Headline figures",
    "Changed since the last meeting",
    "Key: the BRAG ratings the DfE instructs",
    "PAP highlight report",
    "Since sign-off",
    "Indicators against target",
    "Recommendations awaiting a response",
    "Risk register",
    "The parent carer forum's views",
]
SHEETS = [
    "Cover",
    "Headline figures",
    "Changes",
    "Key",
    "Highlight report",
    "Since sign-off",
    "Indicators",
    "Recommendations",
    "Risk register",
    "Forum views",
]


@pytest.fixture
def full_history(history, indicator, officer, make_report, make_indicator, other_partnership, elsewhere_world):
    """The governance `history` (meetings of 17 January and 17 April 2024) with an indicator and a
    scrutiny report around them, and another partnership's indicator that must never show."""
    with time_machine.travel(at(2023, 12, 1), tick=False):
        target(indicator, officer, value="60", tolerance="5", first="2023-10", last="2024-12")
        record_value(indicator_id=indicator.pk, user=officer, period="2023-11", value="52")
        record_value(indicator_id=indicator.pk, user=officer, period="2023-12", value="58")
    with time_machine.travel(at(2024, 2, 5), tick=False):
        record_value(indicator_id=indicator.pk, user=officer, period="2024-01", value="61")
    with time_machine.travel(at(2024, 4, 5), tick=False):
        record_value(indicator_id=indicator.pk, user=officer, period="2024-02", value="57")
        record_value(indicator_id=indicator.pk, user=officer, period="2024-03", value="48")
    # After the second meeting: a new month and a correction, which its pack must not show.
    with time_machine.travel(at(2024, 4, 25), tick=False):
        record_value(indicator_id=indicator.pk, user=officer, period="2024-04", value="70")
        record_value(indicator_id=indicator.pk, user=officer, period="2024-03", value="66")
    with time_machine.travel(at(2024, 3, 1), tick=False):
        report = make_report(
            title="=Update on the \u201cPlan\u201d \u2013 March", received_on=datetime.date(2024, 3, 1)
        )
        report.recommendations.create(number="1", position=1, text="That the voice of children is heard.")
        report.recommendations.create(number="2", position=2, text="+That waiting times are published.")
    make_indicator(name="Elsewhere: never in this pack", partnership=other_partnership)
    return history


def page_table(html: bytes, table_id: str) -> list[list[str]]:
    tree = lxml.html.fromstring(html)
    [table] = tree.xpath(f"//table[@id='{table_id}']")
    return [
        [re.sub(r"\s+", " ", cell.text_content()).strip() for cell in row.xpath("./th|./td")]
        for row in table.xpath(".//tbody/tr")
    ]


def word_table_after(document: Any, heading: str) -> list[list[str]]:
    """The rows (without the header) of the first table after the Heading 1 `heading`."""
    body = document.element.body
    seen = False
    for child in body.iterchildren():
        tag = child.tag.split("}")[1]
        if tag == "p":
            style = child.xpath("./w:pPr/w:pStyle/@w:val")
            text = "".join(child.xpath(".//w:t/text()"))
            if style and style[0] == "Heading1":
                seen = text == heading
        elif tag == "tbl" and seen:
            table = next(t for t in document.tables if t._tbl is child)
            return [[cell.text for cell in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table under {heading}")


def download(client, meeting, fmt: str):
    response = client.get(reverse("governance:board_pack", args=[meeting.pk, fmt]))
    assert response.status_code == 200, response.content[:300]
    return response


def test_the_word_pack_has_every_section_in_order_with_the_figures_of_the_meeting_page(
    full_history, scrutiny_member, client_for
):
    client = client_for(scrutiny_member)
    meeting = full_history.second
    page = client.get(meeting.get_absolute_url())
    response = download(client, meeting, "docx")

    assert "siab-2024-04-17-board-pack.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Contents", *SECTIONS]
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Board pack as at 17 April 2024"
    cover = [p.text for p in document.paragraphs[:8]]
    assert (
        "Meeting of 17 April 2024" in cover and "As at the end of 17 April 2024, from the tracker's history." in cover
    )
    xml = document.element.xml
    assert 'TOC \\o "1-2"' in xml
    footer = document.sections[0].footer
    assert footer.paragraphs[0].text.startswith("Testshire Local Area Partnership. ")
    assert "meeting of 17 April 2024. Page " in footer.paragraphs[0].text
    assert "PAGE" in footer._element.xml and "NUMPAGES" in footer._element.xml

    headline = word_table_after(document, "Headline figures")
    assert headline == page_table(page.content, "headline-figures")
    as_words = {row[0]: row[1:] for row in headline}
    assert as_words["Actions rated Green"] == ["1", "1", "No change (was 1)"]
    assert as_words["Actions rated Amber"] == ["2", "1", "Up 1 (was 1)"]
    assert as_words["Actions overdue"] == ["2", "1", "Up 1 (was 1)"]
    assert as_words["Recommendations awaiting a response"] == ["2", "0", "Up 2 (was 0)"]
    assert as_words["Indicators off target"] == ["1", "0", "Up 1 (was 0)"]

    indicators = word_table_after(document, "Indicators against target")
    on_page = page_table(page.content, "meeting-indicators")
    assert [row[:7] for row in indicators] == on_page
    [row] = indicators
    # March's 48%, as it stood on 17 April; not April's figure nor the later correction to 66%.
    assert row[1:6] == ["March 2024", "48.0%", "60.0%", "Missed", "Getting worse"]
    assert (
        row[6] == "November 2023 52.0%; December 2023 58.0%; January 2024 61.0%; February 2024 57.0%; March 2024 48.0%"
    )

    recommendations = word_table_after(document, "Recommendations awaiting a response")
    assert [r[0] for r in recommendations] == ["Recommendation 1", "Recommendation 2"]
    assert [r[5] for r in recommendations] == ["13 days left", "13 days left"]
    on_page = page_table(page.content, "meeting-recommendations")
    assert [r[2:] for r in on_page] == [r[4:] for r in recommendations]
    assert all(mine[0].startswith(f"{theirs[0]} ") for mine, theirs in zip(on_page, recommendations, strict=True))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Elsewhere" not in text and all("Elsewhere" not in c.text for t in document.tables for c in t._cells)


def test_the_pack_shows_the_forums_views_and_the_exception_notes_as_they_stood_at_the_meeting(
    full_history, indicator, officer, partnership, scrutiny_member, client_for, forum_officer
):
    fran = forum_officer
    march = IndicatorValue.objects.get(indicator=indicator, period_start=datetime.date(2024, 3, 1))
    disagreement = '=HYPERLINK("http://example.com","Families say \u201cplans\u201d still arrive late \u2013 click")'
    client = client_for(scrutiny_member)
    empty = docx.Document(io.BytesIO(download(client, full_history.second, "docx").content))
    assert "The parent carer forum had given no view of a rating by 17 April 2024." in [
        p.text for p in empty.paragraphs
    ]
    with time_machine.travel(at(2024, 4, 8), tick=False):
        view = give_view(
            action_id=full_history.actions["3A1"].pk, user=fran, position="disagree", commentary=disagreement
        )
        reply_to_view(view_id=view.pk, user=officer, reply="Two caseworkers start in May.")
        # March's 48% missed then (it was corrected to 66% after the meeting, so the service would
        # now refuse a note on it): the note as the owner gave it that day.
        ExceptionNote.objects.create(
            value=march, reason="Staff left.", action="Agency cover.", recovery_date=datetime.date(2024, 9, 30)
        )
    with time_machine.travel(at(2024, 4, 20), tick=False):  # after the meeting: not in its pack
        give_view(action_id=full_history.actions["3A3"].pk, user=fran, position="agree", commentary="")
        note = ExceptionNote.objects.get(value=march)
        note.reason = "Revised after the meeting."
        note.save()

    document = docx.Document(io.BytesIO(download(client, full_history.second, "docx").content))
    [forum_row] = word_table_after(document, "The parent carer forum's views")
    assert forum_row[:2] == ["3A1", "Green"] and "8 April 2024" in forum_row[2]
    assert forum_row[3:] == [disagreement, "Two caseworkers start in May."]
    [indicator_row] = word_table_after(document, "Indicators against target")
    assert indicator_row[7] == "Why: Staff left. What is being done: Agency cover. Back on target by 30 September 2024."
    first = docx.Document(io.BytesIO(download(client, full_history.first, "docx").content))
    assert [row[7] for row in word_table_after(first, "Indicators against target")] == [""]

    rows = list(csv.reader(io.StringIO(download(client, full_history.second, "csv").content.decode("utf-8-sig"))))
    [csv_row] = [row for row in rows if row[:1] == ["3A1"] and len(row) == 5]
    assert csv_row[3] == "'" + disagreement  # a spreadsheet shows it as text, never runs it


def test_the_excel_pack_has_a_sheet_per_section_and_the_csv_each_section_in_turn(
    full_history, scrutiny_member, client_for
):
    client = client_for(scrutiny_member)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, full_history.second, "xlsx").content))
    assert workbook.sheetnames == SHEETS
    headline = [row for row in workbook["Headline figures"].iter_rows(values_only=True)]
    assert ("Actions overdue", 2, 1, "Up 1 (was 1)") in headline
    indicator_rows = list(workbook["Indicators"].iter_rows())
    feb = next(cells for cells in indicator_rows if cells[1].value == "March 2024")
    assert feb[4].value == "Missed" and feb[4].fill.start_color.rgb.endswith("F4CDC6")
    report_cell = next(
        cells for cells in workbook["Recommendations"].iter_rows() if cells[0].value == "Recommendation 2"
    )
    # Text that a spreadsheet would run as a formula stays text.
    assert report_cell[1].value == "+That waiting times are published." and report_cell[1].data_type == "s"
    assert report_cell[1].quotePrefix and report_cell[2].quotePrefix

    rows = list(csv.reader(io.StringIO(download(client, full_history.second, "csv").content.decode("utf-8-sig"))))
    titles = [row[0] for index, row in enumerate(rows) if len(row) == 1 and (index == 0 or rows[index - 1] == [])]
    assert titles == [f"{full_history.second.board.full_name}: board pack", *SECTIONS]
    recommendation = next(row for row in rows if row[:1] == ["Recommendation 2"])
    assert recommendation[1] == "'+That waiting times are published."
    assert recommendation[2].startswith("'=Update on the \u201cPlan\u201d \u2013 March")
    assert not any("Elsewhere" in cell for row in rows for cell in row)


def test_the_first_meeting_has_nothing_to_compare(full_history, officer, client_for):
    client = client_for(officer)
    document = docx.Document(io.BytesIO(download(client, full_history.first, "docx").content))
    headline = word_table_after(document, "Headline figures")
    assert {row[3] for row in headline} == {"No earlier meeting to compare"}
    text = "\n".join(p.text for p in document.paragraphs)
    assert "This is the first meeting of" in text


def test_another_partnership_gets_no_pack(full_history, outsider, client_for):
    for fmt in ["docx", "xlsx", "csv"]:
        url = reverse("governance:board_pack", args=[full_history.second.pk, fmt])
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 302


def pack_queries(meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        packs.render(packs.build_pack(read_meeting_figures(meeting), "board-pack"), "docx")
    return len(queries)


def test_the_pack_costs_the_same_queries_however_long_the_history(full_history, indicator, officer):
    meeting = full_history.second
    before = pack_queries(meeting)
    # A year more of history before the meeting: monthly ratings of every action and figures.
    for month in range(1, 4):
        for action in full_history.actions.values():
            rate(action, officer, "amber" if month % 2 else "red", at(2024, month, 20))
    with time_machine.travel(at(2024, 4, 10), tick=False):
        for year, month in [(2023, 4), (2023, 5), (2023, 6), (2023, 7), (2023, 8), (2023, 9), (2023, 10)]:
            record_value(indicator_id=indicator.pk, user=officer, period=f"{year}-{month:02d}", value="50")

    assert pack_queries(meeting) == before
    # About twenty: the plan, register and changes from history, the baseline, the indicators and their
    # history, the recommendations, the update round, the exception notes and the forum's views.
    assert before <= 26
