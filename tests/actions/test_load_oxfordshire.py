"""load_oxfordshire: the whole real case from the project's own files, idempotently."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from actions.models import Action, AreaForImprovement, Objective, Plan, PriorityArea, RoadmapMilestone
from governance.models import Board
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.sample_data.loader import oxfordshire

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_oxfordshire", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    return {
        "partnerships": Partnership.objects.filter(slug="oxfordshire").count(),
        "organisations": Organisation.objects.filter(partnership__slug="oxfordshire").count(),
        "boards": Board.objects.filter(partnership__slug="oxfordshire").count(),
        "board history": Board.history.filter(partnership__slug="oxfordshire").count(),
        "plans": Plan.objects.filter(partnership__slug="oxfordshire").count(),
        "priority areas": PriorityArea.objects.filter(plan__partnership__slug="oxfordshire").count(),
        "objectives": Objective.objects.filter(priority_area__plan__partnership__slug="oxfordshire").count(),
        "actions": Action.objects.filter(plan__partnership__slug="oxfordshire").count(),
        "action history": Action.history.filter(plan__partnership__slug="oxfordshire").count(),
        "areas for improvement": AreaForImprovement.objects.filter(plan__partnership__slug="oxfordshire").count(),
        "milestones": RoadmapMilestone.objects.filter(plan__partnership__slug="oxfordshire").count(),
    }


def test_loads_the_real_case_from_anywhere_and_a_second_run_adds_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # it reads the project's own copy, wherever it is run from

    first = load()
    after_first = snapshot()
    second = load()

    assert snapshot() == after_first
    assert first.strip().splitlines()[-1] == "Oxfordshire loaded: 1 partnership, 5 organisations, 9 boards, 34 actions"
    assert second.strip().splitlines()[-1] == "Oxfordshire loaded: 1 partnership, 5 organisations, 9 boards, 34 actions"
    assert "actions: 34 (created 0, updated 0, unchanged 34)" in second
    assert {key: after_first[key] for key in ("priority areas", "objectives", "areas for improvement")} == {
        "priority areas": 5,
        "objectives": 13,
        "areas for improvement": 4,
    }


def test_the_partnership_its_partners_and_its_plan(oxfordshire_loaded):
    partnership = Partnership.objects.get(slug="oxfordshire")
    assert (partnership.name, partnership.slug, partnership.area_name, partnership.area_code, partnership.region) == (
        "Oxfordshire Local Area Partnership",
        "oxfordshire",
        "Oxfordshire",
        "E10000025",
        "South East",
    )
    assert dict(Organisation.objects.filter(partnership__slug="oxfordshire").values_list("short_name", "kind")) == {
        "OCC": "council",
        "BOB ICB": "icb",
        "Oxford Health": "nhs_trust",
        "OUH": "nhs_trust",
        "PCF": "parent_carer_forum",
    }
    plan = Plan.objects.get(partnership__slug="oxfordshire")
    assert (plan.title, plan.kind, plan.is_current) == ("Oxfordshire SEND Priority Action Plan", "pap", True)
    assert (plan.inspection_report_date.isoformat(), plan.approved_date.isoformat()) == ("2023-09-15", "2023-12-12")
    assert plan.milestones.dates("quarter_start", "month").count() == 6


def test_the_boards_and_committees(oxfordshire_loaded):
    boards = {board.name: board for board in Board.objects.filter(partnership__slug="oxfordshire")}
    siab = boards["Oxfordshire SEND Strategic Improvement and Assurance Board"]
    assert (siab.short_name, siab.kind, siab.independently_chaired, siab.is_active) == (
        "SIAB",
        "improvement_board",
        True,
        True,
    )
    assert boards["Partnership Delivery Group"].short_name == "PDG"
    assert not boards["SEND Programme Board"].is_active
    assert boards["Joint Health Overview and Scrutiny Committee"].kind == "scrutiny_committee"
    assert boards["Education and Young People Overview and Scrutiny Committee"].short_name == "EYP"
    assert boards["SEND Task and Finish Group"].kind == "task_and_finish"
    assert {"Health and Wellbeing Board", "Cabinet", "People Overview and Scrutiny Committee"} <= set(boards)
    assert [name for name, board in boards.items() if board.independently_chaired] == [siab.name]


def test_owners_are_assigned_as_documented_and_a_reassignment_survives_a_rerun(oxfordshire_loaded):
    owners = dict(Action.objects.filter(plan__partnership__slug="oxfordshire").values_list("ref", "owner__short_name"))

    assert owners["4B1"] == owners["4C1"] == owners["4C2"] == "BOB ICB"
    assert owners["4C3"] == "Oxford Health"
    assert owners["1.2"] == "PCF"
    assert {ref for ref, owner in owners.items() if owner == "OCC"} == set(owners) - set(oxfordshire().owners_by_ref)
    assert len(owners) == 34

    Action.objects.filter(plan__partnership__slug="oxfordshire").filter(ref="3A1").update(
        owner=Organisation.objects.filter(partnership__slug="oxfordshire").get(short_name="OUH")
    )
    history = Action.history.filter(plan__partnership__slug="oxfordshire").count()
    load()

    assert Action.objects.filter(plan__partnership__slug="oxfordshire").get(ref="3A1").owner.short_name == "OUH"
    assert Action.history.filter(plan__partnership__slug="oxfordshire").count() == history


def test_an_administrators_change_to_a_board_survives_a_rerun(oxfordshire_loaded):
    Board.objects.filter(partnership__slug="oxfordshire").filter(name="Cabinet").update(short_name="Cab")

    load()

    assert Board.objects.filter(partnership__slug="oxfordshire").get(name="Cabinet").short_name == "Cab"
