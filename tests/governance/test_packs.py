"""Board packs: the PAP highlight report and the risk register as at a meeting, in Word, Excel and CSV."""

from __future__ import annotations

import csv
import datetime
import io

import docx
import openpyxl
import pytest
import time_machine
from django.urls import reverse

from governance.packs import PLAN_COLUMNS, PLAN_SHEET, RISK_COLUMNS, RISK_SHEET

pytestmark = pytest.mark.django_db


def download(client, meeting, what: str, fmt: str):
    name = "governance:plan_pack" if what == "plan" else "governance:risk_pack"
    response = client.get(reverse(name, args=[meeting.pk, fmt]))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response


def docx_rows(content: bytes, table: int) -> list[list[str]]:
    document = docx.Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for row in document.tables[table].rows]


def xlsx_rows(content: bytes, sheet: str) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [row for row in workbook[sheet].iter_rows(values_only=True)]


def from_header(rows: list, header: list[str]) -> list[list[object]]:
    start = next(index for index, row in enumerate(rows) if list(row[: len(header)]) == header)
    return [list(row) for row in rows[start + 1 :]]


EXPECTED_FIRST = [
    ["3A", "Needs identified in time.", "", "", "", "", ""],
    ["3A1", "Action 3A1: process map all EHCP timelines.", "", "", "Amber on 10 January 2024.", "Apr 24", "Amber"],
    ["3A2", "Action 3A2: process map all EHCP timelines.", "", "", "Red on 10 January 2024.", "Mar 24", "Red"],
    ["3A3", "Action 3A3: process map all EHCP timelines.", "", "", "Green on 10 January 2024.", "TBC", "Green"],
    ["3A4", "Action 3A4: process map all EHCP timelines.", "", "", "", "Dec 23", "Not yet rated"],
    ["3A5", "Action 3A5: process map all EHCP timelines.", "", "", "Grey on 10 January 2024.", "Apr 24", "Grey"],
]


def test_the_word_pack_is_the_appendix_b_table_as_at_the_meeting(history, scrutiny_member, client_for):
    response = download(client_for(scrutiny_member), history.first, "plan", "docx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "siab-2024-01-17-pap-highlight-report.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "PAP highlight report as at 17 January 2024"
    assert any("Testshire Priority Action Plan" in p and "meeting of 17 January 2024" in p for p in paragraphs)
    key = docx_rows(response.content, 0)
    assert key[1] == ["Red", "Actions delayed and impact not being delivered"]
    assert key[-1][0] == "Not yet rated"
    rows = docx_rows(response.content, 1)
    assert rows[0] == PLAN_COLUMNS
    assert rows[1:] == EXPECTED_FIRST


def test_the_excel_pack_has_the_same_rows_with_the_rating_named_and_shaded(history, scrutiny_member, client_for):
    response = download(client_for(scrutiny_member), history.second, "plan", "xlsx")

    rows = xlsx_rows(response.content, PLAN_SHEET)
    assert rows[0][0] == "PAP highlight report"
    assert rows[1][0].endswith("(SIAB), meeting of 17 April 2024.")
    body = from_header(rows, PLAN_COLUMNS)
    assert [(row[0], row[6]) for row in body] == [
        ("3A", None),
        ("3A1", "Green"),
        ("3A2", "Red"),
        ("3A3", "Amber"),
        ("3A4", "Red"),
        ("3A5", "Amber"),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[PLAN_SHEET]
    green = next(row for row in sheet.iter_rows() if row[0].value == "3A1")[6]
    assert green.fill.start_color.rgb.endswith("CCE2D8")


def test_the_csv_pack_opens_in_excel_and_matches(history, scrutiny_member, client_for):
    response = download(client_for(scrutiny_member), history.first, "plan", "csv")

    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The sections one after another, each opening with a row of its title: the key, the report.
    assert rows[0] == ["Key: the BRAG ratings the DfE instructs"]
    start = rows.index(["PAP highlight report"])
    header = rows.index(PLAN_COLUMNS, start)
    highlight = header + len(EXPECTED_FIRST) + 1
    assert rows[header + 1 : highlight] == EXPECTED_FIRST
    # Below it, after a blank row, the "Since sign-off" section (tests/actions/test_since_sign_off.py).
    assert rows[highlight : highlight + 2] == [[], ["Since sign-off"]]


def test_text_that_looks_like_a_formula_stays_text(history, officer, scrutiny_member, client_for):
    from tests.governance.conftest import at, rate

    action = history.actions["3A1"]
    action.refresh_from_db()
    from actions.models import Action

    Action.objects.filter(pk=action.pk).update(themes_text='=HYPERLINK("http://evil")')
    rate(action, officer, "amber", at(2024, 5, 1))
    meeting = history.second.board.meetings.create(date=datetime.date(2024, 5, 22))
    client = client_for(scrutiny_member)

    csv_rows = list(csv.reader(io.StringIO(download(client, meeting, "plan", "csv").content.decode("utf-8-sig"))))
    assert next(row for row in csv_rows if row[:1] == ["3A1"])[2] == '\'=HYPERLINK("http://evil")'
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, meeting, "plan", "xlsx").content))[PLAN_SHEET]
    cell = next(row for row in sheet.iter_rows() if row[0].value == "3A1")[2]
    assert cell.data_type == "s"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"], ids=repr)
def test_risk_text_beginning_a_formula_character_is_text_and_scores_stay_numbers(
    start, make_risk, make_meeting, scrutiny_member, client_for
):
    from tests.governance.conftest import at

    mitigations = f"{start}cmd|' /C calc'!A0"
    with time_machine.travel(at(2024, 1, 5), tick=False):
        make_risk("R1", (4, 4, 3, 2), mitigations=mitigations, cause=f"{start}2+5")
    meeting = make_meeting(datetime.date(2024, 1, 17))
    client = client_for(scrutiny_member)

    [row] = from_header(
        list(csv.reader(io.StringIO(download(client, meeting, "risks", "csv").content.decode("utf-8-sig")))),
        RISK_COLUMNS,
    )
    assert (row[2], row[13]) == (f"'{start}2+5", f"'{mitigations}")
    assert row[5:8] == ["4", "4", "16"]
    sheet = openpyxl.load_workbook(io.BytesIO(download(client, meeting, "risks", "xlsx").content))[RISK_SHEET]
    cells = next(cells for cells in sheet.iter_rows() if cells[0].value == "R1")
    assert (cells[2].value, cells[13].value) == (f"{start}2+5", mitigations)
    assert {cells[2].data_type, cells[13].data_type} == {"s"}
    assert cells[2].quotePrefix and cells[13].quotePrefix
    assert (cells[5].value, cells[7].value, cells[7].data_type) == (4, 16, "n")


def test_the_risk_register_pack_as_at_the_meeting(history, scrutiny_member, client_for):
    client = client_for(scrutiny_member)

    word = docx_rows(download(client, history.first, "risks", "docx").content, 0)
    assert [row[0] for row in word] == ["Ref", "R1", "R2"]
    assert word[1][4] == "Likelihood 4 (Likely) × impact 4 (Major) = 16, Very high"
    excel = from_header(xlsx_rows(download(client, history.second, "risks", "xlsx").content, RISK_SHEET), RISK_COLUMNS)
    assert [(row[0], row[11], row[12], row[14]) for row in excel] == [
        ("R1", 12, "High", "Falling"),
        ("R2", 6, "Medium", "New"),
        ("R3", 2, "Low", "New"),
    ]
    rows = list(csv.reader(io.StringIO(download(client, history.second, "risks", "csv").content.decode("utf-8-sig"))))
    assert rows[0] == ["Risk register"]
    assert [row[0] for row in from_header(rows, RISK_COLUMNS)] == ["R1", "R2", "R3"]


@pytest.mark.parametrize("what", ["plan", "risks"])
@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_an_empty_plan_and_register_still_download(what, fmt, meeting, officer, client_for):
    response = download(client_for(officer), meeting, what, fmt)

    assert len(response.content) > 0
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
        assert "There were no" in text


def test_a_meeting_of_a_partnership_without_a_plan_downloads_too(board, meeting, officer, client_for):
    from actions.models import Plan

    Plan.objects.filter(partnership=board.partnership).delete()
    for fmt in ["docx", "xlsx", "csv"]:
        download(client_for(officer), meeting, "plan", fmt)


def test_packs_are_not_downloadable_outside_the_partnership(history, outsider, client_for):
    client = client_for(outsider)

    for name in ["governance:plan_pack", "governance:risk_pack"]:
        for fmt in ["docx", "xlsx", "csv"]:
            assert client.get(reverse(name, args=[history.first.pk, fmt])).status_code == 404
    assert client_for(None).get(reverse("governance:plan_pack", args=[history.first.pk, "docx"])).status_code == 302
