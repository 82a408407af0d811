"""Importing the plan in Chromium: an administrator uploads the partnership's own workbook, sees the
problem a column the tracker could not place makes, matches the column, checks every row and saves;
nothing is written until then. The check page answers only an upload in the person's session, so
the accessibility walk cannot open it: axe-core and the 320-pixel reflow check run on it here."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from actions import spreadsheet_views
from actions.models import Action, Plan
from send_tracker.accounts.models import Organisation, User
from tests.conftest import axe_violations, screenshot, sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Any, name: str) -> None:
    """The page checked with axe-core and for sideways scrolling at 1280 and 320 pixels, and
    screenshots at the two widths into SHOTS when it is set (tests/conftest.py)."""
    assert axe_violations(page) == [], name
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"plan_import_{name}")


def workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "SEND plan 2025"
    rows: list[list[Any]] = [
        ["Testshire SEND Improvement Plan"],
        ["Agreed by the partnership board, May 2025"],
        [],
        ["PAP ref", "Priority area", "Activity", "Lead organisation", "Lead officer", "Due date", "RAG", "Update"],
        [
            "1.1",
            "PAP 1: Early help",
            "Publish the early help offer",
            "TCC",
            "Jo Bloggs",
            datetime.date(2025, 3, 31),
            "G",
            "Live",
        ],  # fmt: skip
        ["1.2", "PAP 1: Early help", "Train 200 practitioners \u2013 all agencies", "ICB", "", "Q2 2025/26", "A", ""],
        ["2.1", "PAP 2: Transitions", "Preparation for adulthood pathway", "TCC", "Kim Ward", "TBC", "", ""],
    ]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def upload_match_and_save(page: Any, plan: Plan, path: Path) -> None:
    """On the upload page: uploads the workbook `workbook` wrote at `path`, is told no column holds the action, says the
    "Activity" column does, checks the rows (nothing written yet) and saves the plan."""
    page.get_by_label("Your plan's spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    assert page.get_by_role("heading", name="Check the plan before it is saved").is_visible()
    assert page.get_by_text("SEND plan 2025, row 4: no column holds the action").first.is_visible()
    assert page.get_by_role("button", name="Save the plan").count() == 0
    shot(page, "unplaced_column")

    page.get_by_label("What does the column \u201cActivity\u201d hold?").select_option(label="Action")
    page.get_by_role("button", name="Use these columns").click()
    assert page.get_by_text("3 actions: 3 new, 0 changed, 0 unchanged.").is_visible()
    row = page.get_by_role("row").filter(has_text="Train 200 practitioners")
    assert "30 September 2025" in row.inner_text() and "Amber" in row.inner_text()
    assert not Action.objects.filter(plan=plan).exists()
    shot(page, "check")

    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    assert page.get_by_text("Testshire plan.xlsx imported: 3 new actions, 0 changed, 0 unchanged.").is_visible()


def test_an_administrator_uploads_the_plan_matches_a_column_and_saves_it(
    page: Any,
    plan: Plan,
    council: Organisation,
    icb: Organisation,
    administrator: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spreadsheet_views, "UPLOAD_DIR", tmp_path / "uploads")
    sign_in_by_session(page, administrator)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Import the plan from a spreadsheet").click()
    shot(page, "upload")
    page.get_by_role("button", name="Upload and check").click()
    assert page.get_by_role("link", name="Choose the plan's spreadsheet.").is_visible()

    upload_match_and_save(page, plan, workbook(tmp_path / "Testshire plan.xlsx"))
    shot(page, "plan_after_import")
    saved = Action.objects.get(plan=plan, ref="1.2")
    assert (saved.description, saved.owner, saved.brag, saved.due_date) == (
        "Train 200 practitioners \u2013 all agencies",
        icb,
        "amber",
        datetime.date(2025, 9, 30),
    )
    assert [area.title for area in plan.priority_areas.all()] == ["Early help", "Transitions"]
    assert list((tmp_path / "uploads").iterdir()) == []
