"""Oxfordshire's real plan, loaded from its published table, exported as Excel and CSV and put
beside itself again: every one of its 34 actions found by ref, and nothing to change."""

from __future__ import annotations

import datetime

import pytest

from actions.models import Plan
from actions.spreadsheet_export import plan_csv, plan_xlsx
from actions.spreadsheet_import import check_plan_import, read_plan_spreadsheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(oxfordshire_committed: None) -> Plan:
    return Plan.objects.get(partnership__slug="oxfordshire", is_current=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exported_plan_reads_back_as_it_is(plan: Plan, fmt: str) -> None:
    today = datetime.date(2025, 6, 1)
    raw = plan_csv(plan, today) if fmt == "csv" else plan_xlsx(plan, today)
    checked = check_plan_import(plan, read_plan_spreadsheet(f"oxfordshire.{fmt}", raw))
    assert checked.problems == []
    assert len(checked.rows) == plan.actions.open().count() == 34
    assert [(row.row.published_ref, row.changes) for row in checked.rows if row.changes or row.action is None] == []
    assert not checked.changes_anything
