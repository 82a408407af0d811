"""The sample case as data: every file checked before anything is written, loaded the same way every time.

What one load writes is pinned below, row counts and history reasons per model, taken from the
loader the data files replaced (which wrote each board twice: once without and once with how
often it meets). A change to the files or the loader that changes what is loaded shows here.
"""

from __future__ import annotations

import datetime
import io
import json
import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models

from actions.models import Action, RatingUpdate
from send_tracker.accounts.models import Partnership
from send_tracker.sample_data.loader import OXFORDSHIRE, SEED_DATA, SampleDataError, read_case

pytestmark = pytest.mark.django_db

CASE_APPS = ("accounts", "actions", "governance", "recommendations", "kpis")

LOADED_ROWS = {
    "accounts.Partnership": 1,
    "accounts.Organisation": 5,
    "actions.Plan": 1,
    "actions.PriorityArea": 5,
    "actions.Objective": 13,
    "actions.Theme": 6,
    "actions.Workstream": 13,
    "actions.AreaForImprovement": 4,
    "actions.RoadmapMilestone": 52,
    "actions.Action": 34,
    "actions.Action_themes": 35,
    "actions.Action_workstreams": 33,
    "actions.RatingUpdate": 39,
    "governance.Board": 9,
    "governance.BoardMember": 31,
    "governance.Meeting": 12,
    "governance.AgendaItem": 28,
    "governance.Decision": 8,
    "governance.ActionArising": 6,
    "governance.InspectionEvent": 9,
    "governance.Risk": 7,
    "governance.RiskReview": 14,
    "recommendations.Report": 2,
    "recommendations.Recommendation": 15,
    "recommendations.Recommendation_joint_with": 7,
    "recommendations.Recommendation_actions": 9,
    "recommendations.HistoricalRecommendation_actions": 9,
    "recommendations.Response": 2,
    "kpis.Indicator": 7,
    "kpis.Indicator_priority_areas": 7,
    "kpis.Indicator_actions": 18,
    "kpis.Target": 10,
    "kpis.IndicatorValue": 111,
    "kpis.EhcpTimeliness": 970,
}

# History rows per model and reason ("" for a row saved without one).
LOADED_HISTORY = {
    "accounts.Organisation": {"": 5},
    "actions.Action": {
        "Imported from the published plan": 34,
        "Owner assigned for the demo (the published plan names none)": 34,
        "Demo rating history": 39,
    },
    "actions.Objective": {"Imported from the published plan": 13},
    "actions.Plan": {"": 1},
    "actions.PriorityArea": {"Imported from the published plan": 5},
    "governance.ActionArising": {"Action arising recorded": 6, "Done.": 4},
    "governance.AgendaItem": {"Agenda item added": 28},
    "governance.Board": {"": 9},
    "governance.BoardMember": {"": 31},
    "governance.Decision": {"Decision recorded": 8},
    "governance.InspectionEvent": {"": 9},
    "governance.Meeting": {"Meeting added": 12},
    "governance.Risk": {
        "From the Written Statement of Action report to the Health and Wellbeing Board, March 2018; demo scores": 7,
        "Reviewed by the new Board: scores confirmed.": 7,
        "Restructure completed; SEND team and education leadership stabilised.": 1,
        "Waits for neurodevelopmental assessment still growing; psychologist vacancies.": 1,
        "Additional caseworkers in post; EHCP backlog falling.": 1,
        "Special school places full; more pupils waiting for a placement.": 1,
        "SEND Live conference and EHCP training well attended.": 1,
        "Didcot special school approved; Cherry Fields resource base open.": 1,
        "Integrated therapies contracts in place; waits starting to fall.": 1,
    },
    "kpis.Indicator": {"": 7},
    "kpis.IndicatorValue": {"Demo figure loaded": 111},
    "kpis.Target": {"Demo target: invented to show how the tracker works.": 10},
    "recommendations.Recommendation": {
        "Loaded from the HOSC report to Cabinet, 17 October 2023": 21,
        "Loaded from the EYP response pro forma, April 2024": 3,
    },
    "recommendations.Report": {
        "Loaded from the HOSC report to Cabinet, 17 October 2023": 1,
        "Loaded from the EYP response pro forma, April 2024": 1,
    },
    "recommendations.Response": {"Loaded from the EYP response pro forma, April 2024": 2},
}


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_oxfordshire", *args, stdout=out)
    return out.getvalue()


def case_models() -> list[type[models.Model]]:
    people = ("accounts.User", "accounts.HistoricalUser", "accounts.ApiKey", "accounts.HistoricalApiKey")
    return [
        model
        for label in CASE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.label.startswith(people)
    ]


def is_history(model: type[models.Model]) -> bool:
    return "history_change_reason" in {field.name for field in model._meta.fields}


def row_counts() -> Counter[str]:
    return Counter(
        {model._meta.label: model._default_manager.count() for model in case_models() if not is_history(model)}
    )


def history_counts() -> Counter[tuple[str, str]]:
    counted: Counter[tuple[str, str]] = Counter()
    for model in filter(is_history, case_models()):
        for reason in model._default_manager.values_list("history_change_reason", flat=True):
            counted[(model._meta.label.replace("Historical", ""), reason or "")] += 1
    return counted


def added(after: Counter, before: Counter) -> Counter:
    """What a load added to the rows the test database already holds (a second partnership)."""
    return after - before


def by_model(counted: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    grouped: dict[str, dict[str, int]] = {}
    for (model, reason), count in counted.items():
        grouped.setdefault(model, {})[reason] = count
    return grouped


def every_row() -> dict[str, list[str]]:
    """Every row of the case's models, each field as text, sorted: ids left out, as they depend on
    the order rows were written, and so are the history's own ids."""
    rows: dict[str, list[str]] = {}
    for model in case_models():
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name != "id"]
        rows[model._meta.label] = sorted(
            json.dumps([str(getattr(row, f.attname)) for f in fields]) for row in model._default_manager.all()
        )
    return rows


def test_a_load_writes_the_whole_case_and_a_second_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # it reads the project's own files, wherever it is run from

    rows, history = row_counts(), history_counts()
    load()
    first = every_row()
    second_output = load()

    assert every_row() == first
    assert dict(added(row_counts(), rows)) == LOADED_ROWS
    assert by_model(added(history_counts(), history)) == LOADED_HISTORY
    assert "(added 0 reports, 0 recommendations, 0 responses, 0 links to PAP actions)" in second_output
    assert "demo rating history already present" in second_output


def test_the_demo_ratings_are_dated_on_their_days_through_the_one_rating_writer():
    load()

    update = RatingUpdate.objects.get(action__ref="1.2", brag="blue")
    assert update.created_at.date() == datetime.date(2024, 4, 10) and update.previous_brag == "green"
    assert update.evidence_text.startswith("Co-production definition in every workstream's terms of reference")
    row = Action.history.get(ref="1.2", version=update.version)
    assert (row.history_date, row.history_change_reason, row.history_actor) == (
        update.created_at,
        "Demo rating history",
        "System (data load)",
    )
    assert Action.objects.get(ref="1.2").rated_at == update.created_at


def test_every_paper_in_seed_data_is_in_the_index_and_every_indexed_file_exists():
    with (SEED_DATA / "INDEX.toml").open("rb") as file:
        index = tomllib.load(file)
    listed = {entry["file"] for entry in index["papers"] + index["datasets"]}
    present = {path.name for path in SEED_DATA.iterdir() if path.suffix in (".txt", ".csv")}

    assert listed == present
    for entry in index["papers"]:
        assert entry["file"].startswith(entry["date"].isoformat()[:7]), entry["file"]
        assert entry["title"] and entry["what"] and entry["published"], entry["file"]


@pytest.fixture
def case_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "case"
    shutil.copytree(OXFORDSHIRE, copy)
    return copy


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "boards.toml",
            'kind = "cabinet"',
            'kind = "cabinett"',
            "boards.toml, boards[4] 'Cabinet': 'kind' is 'cabinett', which is not one of",
        ),
        (
            "boards.toml",
            'name = "Lisa Lyons"\n  job_title',
            'name = "Lisa Lyons"\n  jobtitle',
            "boards.toml, boards[0] 'Oxfordshire SEND Strategic Improvement and Assurance Board', members[1] "
            "'Lisa Lyons': unknown key 'jobtitle'",
        ),
        (
            "risks.toml",
            'scores = [5, 4, 4, 4]\nmitigations = """\nAdditional staffing',
            'scores = [5, 4, 9, 4]\nmitigations = """\nAdditional staffing',
            "risks.toml, risks[0] 'R1': 'scores' must each be from 1 to 5",
        ),
        (
            "inspection.toml",
            'source = "{2024-05-20-eyp-scrutiny-pap-update}, paragraph 14"',
            'source = "{2024-05-20-eyp-update}, paragraph 14"',
            "cites {2024-05-20-eyp-update}, which is not a paper in seed_data/INDEX.toml",
        ),
        (
            "demo_ratings.csv",
            "2024-03-13,3A1,green,",
            "2024-03-13,3A1,purple,",
            "demo_ratings.csv, line 20: 'brag' is 'purple', which is not one of",
        ),
        (
            "demo_ratings.csv",
            "2024-04-10,1.2,blue,Definition embedded across the programme.,Co-production definition in every "
            "workstream's terms of reference; Co-production Charter agreed.",
            "2024-04-10,1.2,blue,Definition embedded across the programme.,",
            "demo_ratings.csv, line 24: a Blue rating needs evidence that the change is embedded",
        ),
        (
            "indicators.toml",
            'owner = "Oxford Health"',
            'owner = "Oxford Health NHS Foundation Trust"',
            "indicators.toml, indicators[4] 'camhs-wait': 'owner' is 'Oxford Health NHS Foundation Trust', which "
            "is not a partner's short name",
        ),
        (
            "indicator_values.csv",
            "camhs-wait,2023-04,24.5,,",
            "camhs-wait,2023-13,24.5,,",
            "indicator_values.csv, line 82: the period '2023-13' is not a monthly period",
        ),
        (
            "recommendations.toml",
            'outcome = "rejected"',
            'outcome = "refused"',
            "recommendations.toml, reports[1] 'Update on the Priority Action Plan', responses[1] '2': 'outcome' is "
            "'refused'",
        ),
        (
            "plan_aliases.toml",
            '"n/a" = []',
            '"n/a" = "none"',
            "partnership.toml [plan]: 'aliases': plan_aliases.toml [workstreams] 'n/a': must be a list of names",
        ),
        (
            "demo_meetings.toml",
            "date = 2024-02-21",
            'date = "21 February 2024"',
            "demo_meetings.toml, meetings[1] '21 February 2024': 'date' must be a date like 2024-01-31",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_its_file_and_entry_and_nothing_is_written(case_copy, file, old, new, message):
    replace(case_copy / file, old, new)

    with pytest.raises(SampleDataError) as refused:
        read_case(case_copy)
    with pytest.raises(CommandError, match="Nothing was loaded"):
        load("--from", str(case_copy))

    assert message in str(refused.value)
    assert not Partnership.objects.filter(slug="oxfordshire").exists()


def test_a_value_a_service_refuses_stops_the_load_naming_the_entry_and_nothing_is_written(case_copy):
    # Read as text, refused by the governance service: an action arising needs a description.
    replace(case_copy / "demo_meetings.toml", 'description = "Review vacancies', 'description = "  "\nx = "')
    replace(case_copy / "demo_meetings.toml", 'x = "', 'owner_note = "')
    with pytest.raises(SampleDataError, match="unknown key 'owner_note'"):
        read_case(case_copy)
    replace(case_copy / "demo_meetings.toml", 'owner_note = "', '# "')

    with pytest.raises(CommandError, match=r"demo_meetings.toml, meeting of 2024-07-17: Enter what is to be done"):
        load("--from", str(case_copy))

    assert not Partnership.objects.filter(slug="oxfordshire").exists()


def test_the_files_are_the_projects_own_and_read_from_the_repository():
    assert OXFORDSHIRE == Path(settings.BASE_DIR) / "send_tracker" / "sample_data" / "oxfordshire"
    case = read_case(OXFORDSHIRE)
    assert [partner.short_name for partner in case.partners] == ["OCC", "BOB ICB", "Oxford Health", "OUH", "PCF"]
    assert case.plan.paper.name == "2024-05-20-eyp-scrutiny-pap-update.txt"
