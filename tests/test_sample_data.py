"""The sample case as data: every file checked before anything is written, loaded the same way every time.

What one load writes is pinned below, row counts and history reasons per model, taken from the
loader the data files replaced (which wrote each board twice: once without and once with how
often it meets). A change to the files or the loader that changes what is loaded shows here.

The demo's own days are relative to the day of loading; the clock is frozen for every load that
looks at them.
"""

from __future__ import annotations

import datetime
import io
import json
import shutil
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models, transaction

from actions.models import Action, ParentCarerView, Plan, RatingUpdate
from governance.models import ActionArising, InspectionEvent, Meeting, Risk
from kpis.models import Indicator, Target
from recommendations.models import Report
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
    "actions.RatingUpdate": 42,
    "actions.ParentCarerView": 2,
    "governance.Board": 9,
    "governance.BoardMember": 31,
    "governance.Meeting": 14,
    "governance.AgendaItem": 34,
    "governance.Decision": 8,
    "governance.ActionArising": 6,
    "governance.InspectionEvent": 9,
    "governance.Risk": 7,
    "governance.RiskReview": 17,
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
        "Demo rating history": 42,
    },
    "actions.Objective": {"Imported from the published plan": 13},
    "actions.ParentCarerView": {
        "Demo view of the parent carer forum": 2,
        "Demo reply to the parent carer forum's view": 1,
    },
    "actions.Plan": {"": 1},
    "actions.PriorityArea": {"Imported from the published plan": 5},
    "governance.ActionArising": {"Action arising recorded": 6, "Done.": 4},
    "governance.AgendaItem": {"Agenda item added": 34},
    "governance.Board": {"": 9, "Update rounds changed": 1},
    "governance.BoardMember": {"": 31},
    "governance.Decision": {"Decision recorded": 8},
    "governance.InspectionEvent": {"": 9},
    "governance.Meeting": {"Meeting added": 14},
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
        "Reviewed: scores confirmed.": 3,
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


@contextmanager
def on(day: datetime.date) -> Iterator[None]:
    """The clock stopped at nine in the morning of `day`."""
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False):
        yield


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


def test_a_load_writes_the_whole_case_and_a_second_the_next_day_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # it reads the project's own files, wherever it is run from

    rows, history = row_counts(), history_counts()
    with on(datetime.date(2026, 12, 7)):
        load()
    first = every_row()
    with on(datetime.date(2026, 12, 8)):  # the demo would be dated a day later: it is not written again
        second_output = load()

    assert every_row() == first
    assert dict(added(row_counts(), rows)) == LOADED_ROWS
    assert by_model(added(history_counts(), history)) == LOADED_HISTORY
    assert "(added 0 reports, 0 recommendations, 0 responses, 0 links to PAP actions)" in second_output
    assert "demo rating history already present" in second_output
    assert "the forum has given views of the plan's ratings, so no demo forum views" in second_output


def test_the_demo_ratings_are_dated_on_their_days_through_the_one_rating_writer():
    with on(datetime.date(2024, 10, 2)):  # the day on which the demo falls on its first version's days
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


def test_the_demo_forum_views_are_dated_from_the_day_of_loading_through_the_forums_writers():
    """A disagreement with 2B1's Green rating given after the board's last demo meeting (so the
    dashboard has one more since then), its owner's reply, and a partial agreement before it."""
    from actions.forum import forum_disagreements

    with on(datetime.date(2026, 12, 7)):
        load()

    views = {view.action.ref: view for view in ParentCarerView.objects.select_related("action")}
    assert sorted(views) == ["2B1", "3A4"]
    disagreement, partly = views["2B1"], views["3A4"]
    assert (disagreement.position, disagreement.on_rating, disagreement.is_public) == ("disagree", "green", True)
    assert disagreement.given_at.date() == datetime.date(2026, 12, 1)
    assert disagreement.on_rated_at == disagreement.action.rated_at < disagreement.given_at
    assert disagreement.commentary.startswith("The Local Offer pages for 0 to 4 and 5 to 16 are live")
    assert disagreement.replied_at.date() == datetime.date(2026, 12, 4) and disagreement.reply_is_public
    assert disagreement.reply.startswith("We accept that launching the pages is not the end of the work.")
    assert (partly.position, partly.given_at.date(), partly.reply) == ("partly_agree", datetime.date(2026, 11, 2), "")
    last_meeting = Meeting.objects.filter(is_demo=True, date__lt=datetime.date(2026, 12, 7)).latest("date")
    assert partly.given_at.date() < last_meeting.date < disagreement.given_at.date()
    assert forum_disagreements(disagreement.action.plan) == 1
    rows = ParentCarerView.history.filter(id=disagreement.pk).order_by("history_date")
    assert [(row.history_change_reason, row.history_actor, row.history_date) for row in rows] == [
        ("Demo view of the parent carer forum", "System (data load)", disagreement.given_at),
        ("Demo reply to the parent carer forum's view", "System (data load)", disagreement.replied_at),
    ]


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
            "29 weeks ago,3A1,green,",
            "29 weeks ago,3A1,purple,",
            "demo_ratings.csv, line 20: 'brag' is 'purple', which is not one of",
        ),
        (
            "demo_ratings.csv",
            "25 weeks ago,1.2,blue,Definition embedded across the programme.,Co-production definition in every "
            "workstream's terms of reference; Co-production Charter agreed.",
            "25 weeks ago,1.2,blue,Definition embedded across the programme.,",
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
            "camhs-wait,25 months ago,24.5,,",
            "camhs-wait,2023-13,24.5,,",
            "indicator_values.csv, line 82: the period '2023-13' is not a monthly period",
        ),
        (
            "indicator_values.csv",
            "camhs-wait,25 months ago,24.5,,",
            "camhs-wait,25 months back,24.5,,",
            "indicator_values.csv, line 82: the period '25 months back' is not a monthly period",
        ),
        (
            "demo_ratings.csv",
            "3 weeks ago,3A2,red,",
            "in 3 weeks,3A2,red,",
            "demo_ratings.csv, line 39: 'on' is ",
        ),
        (
            "demo_ratings.csv",
            "3 weeks ago,3A2,red,",
            "3 wks ago,3A2,red,",
            "demo_ratings.csv, line 39: 'on' must be a date like 2024-01-31 or a day relative to the load, like "
            "'3 weeks ago', 'in 12 days' or 'today', not '3 wks ago'",
        ),
        (
            "indicators.toml",
            '["1 quarter ago", "in 2 quarters", "45", "5"]',
            '["1 quarter ago", "in 2 quarter time", "45", "5"]',
            "indicators.toml, indicators[6] 'parent-carers-needs-met': the period 'in 2 quarter time' is not a "
            "quarterly period",
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
            'date = "32 weeks ago"',
            'date = "21 February 2024"',
            "demo_meetings.toml, meetings[1] '21 February 2024': 'date' must be a date like 2024-01-31 or a day "
            "relative to the load",
        ),
        (
            "demo_meetings.toml",
            'date = "32 weeks ago"',
            'date = "in 32 weeks"',
            "demo_meetings.toml, meetings[1] 'in 32 weeks': a meeting on or after the day of loading",
        ),
        (
            "demo_meetings.toml",
            'date = "in 12 days"',
            'date = "12 days ago"',
            "demo_meetings.toml, meetings[8] '12 days ago': a meeting before the day of loading",
        ),
        (
            "demo_meetings.toml",
            'due = "34 weeks ago"\n  done_on = "240 days ago"',
            'due = "34 weeks ago"\n  done_on = "in 2 days"',
            "demo_meetings.toml, meetings[0] '37 weeks ago', actions_arising[0] 'Circulate the PAP highlight report "
            "template to every workstream lead.': 'done_on' is ",
        ),
        (
            "demo_forum_views.toml",
            'position = "partly_agree"\ncommentary = """',
            'position = "partly_agree"\ncommentary = """  """\nx = """',
            "demo_forum_views.toml, views[1] '3A4': Enter the forum's commentary: why it does not agree.",
        ),
        (
            "demo_forum_views.toml",
            'position = "disagree"',
            'position = "disagrees"',
            "demo_forum_views.toml, views[0] '2B1': 'position' is 'disagrees', which is not one of",
        ),
        (
            "demo_forum_views.toml",
            'given = "6 days ago"',
            'given = "today"',
            "demo_forum_views.toml, views[0] '2B1': 'given' is ",
        ),
        (
            "demo_forum_views.toml",
            'replied = "3 days ago"',
            'replied = "7 days ago"',
            "demo_forum_views.toml, views[0] '2B1': 'replied' is ",
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

    with pytest.raises(CommandError, match=r"demo_meetings.toml, meeting of \d{4}-\d\d-\d\d: Enter what is to be done"):
        load("--from", str(case_copy))

    assert not Partnership.objects.filter(slug="oxfordshire").exists()


def test_the_files_are_the_projects_own_and_read_from_the_repository():
    assert OXFORDSHIRE == Path(settings.BASE_DIR) / "send_tracker" / "sample_data" / "oxfordshire"
    case = read_case(OXFORDSHIRE)
    assert [partner.short_name for partner in case.partners] == ["OCC", "BOB ICB", "Oxford Health", "OUH", "PCF"]
    assert case.plan.paper.name == "2024-05-20-eyp-scrutiny-pap-update.txt"


def published_days() -> dict[str, list[object]]:
    """The real papers' days as loaded: the plan's, its target dates and published ratings, the
    recorded meetings', the inspection events' and the scrutiny reports'."""
    oxfordshire = {"partnership__slug": "oxfordshire"}
    imported = Action.history.filter(
        plan__partnership__slug="oxfordshire", history_change_reason__startswith="Imported"
    )
    return {
        "plan": list(Plan.objects.filter(**oxfordshire).values_list("approved_date", "inspection_report_date")),
        "target dates": sorted(
            Action.objects.filter(plan__partnership__slug="oxfordshire").values_list("ref", "due_date")
        ),
        "published ratings": sorted(imported.values_list("ref", "brag", "history_date")),
        "recorded meetings": sorted(
            Meeting.objects.filter(board__partnership__slug="oxfordshire", is_demo=False).values_list(
                "board__name", "date"
            )
        ),
        "events": sorted(InspectionEvent.objects.filter(**oxfordshire).values_list("title", "date", "end_date")),
        "reports": sorted(
            Report.objects.filter(**oxfordshire).values_list("title", "received_on", "response_due_date")
        ),
    }


def demo_days() -> dict[str, object]:
    siab = Meeting.objects.filter(board__partnership__slug="oxfordshire", is_demo=True).order_by("date")
    values = {
        indicator.name: indicator.values.order_by("-period_start").values_list("period_start", flat=True).first()
        for indicator in Indicator.objects.filter(partnership__slug="oxfordshire", frequency="monthly")
    }
    return {
        "meetings": [(m.date.isoformat(), m.status) for m in siab],
        "open actions arising": sorted(
            ActionArising.objects.filter(meeting__in=siab, done_on=None).values_list("due_date", flat=True)
        ),
        "latest rating": RatingUpdate.objects.filter(action__plan__partnership__slug="oxfordshire")
        .latest("created_at")
        .created_at.date(),
        "latest monthly figures": values,
        "targets run to": sorted(
            set(
                Target.objects.filter(indicator__partnership__slug="oxfordshire").values_list(
                    "last_period_end", flat=True
                )
            )
        )[-1],
        "risk reviews due": sorted(
            Risk.objects.filter(**{"partnership__slug": "oxfordshire"}).values_list("next_review_date", flat=True)
        ),
    }


def test_the_demo_is_dated_from_the_day_it_is_loaded_and_the_papers_as_published():
    """Loaded on two days (each rolled back), the demo's meetings, actions arising, ratings, figures
    and reviews fall relative to each day; the real papers' days are the same both times."""
    loaded: dict[datetime.date, tuple[dict[str, list[object]], dict[str, object]]] = {}
    for day in (datetime.date(2026, 12, 7), datetime.date(2027, 6, 30)):
        with transaction.atomic(), on(day):
            load()
            loaded[day] = (published_days(), demo_days())
            transaction.set_rollback(True)
    (published, december), (published_later, june) = loaded.values()

    assert published == published_later
    assert ("Cabinet", datetime.date(2023, 10, 17)) in published["recorded meetings"]
    assert ("3A2", datetime.date(2024, 9, 30)) in published["target dates"]
    assert published["plan"] == [(datetime.date(2023, 12, 12), datetime.date(2023, 9, 15))]
    assert len(published["published ratings"]) == 34

    held, scheduled = "held", "scheduled"
    # Monday 7 December 2026: every 4 or 5 weeks on Mondays, the one on the Spring bank holiday
    # (25 May) the next day; the next two on Saturdays, so on the Mondays after.
    assert december == {
        "meetings": [
            ("2026-03-23", held),
            ("2026-04-27", held),
            ("2026-05-26", held),
            ("2026-06-22", held),
            ("2026-07-27", held),
            ("2026-08-24", held),
            ("2026-09-21", held),
            ("2026-11-23", held),
            ("2026-12-21", scheduled),
            ("2027-01-18", scheduled),
        ],
        # One two weeks overdue, one due at the next meeting (carried with it to the Monday).
        "open actions arising": [datetime.date(2026, 11, 23), datetime.date(2026, 12, 21)],
        "latest rating": datetime.date(2026, 12, 5),
        # Last month's figures in, but CAMHS waits' (its figure for November is due).
        "latest monthly figures": {
            "New EHC plans issued within 20 weeks (excluding exceptions)": datetime.date(2026, 11, 1),
            "New EHC plans issued within 20 weeks (including exceptions)": datetime.date(2026, 11, 1),
            "Number of EHC plans maintained": datetime.date(2026, 11, 1),
            "CAMHS: median wait from referral to treatment": datetime.date(2026, 10, 1),
        },
        "targets run to": datetime.date(2027, 6, 30),
        # R1, last reviewed at the meeting of 22 June, was due at the one of 21 September; the rest
        # at the meetings ahead, or a quarter after the last one held.
        "risk reviews due": [
            datetime.date(2026, 9, 21),
            datetime.date(2026, 12, 21),
            datetime.date(2027, 1, 18),
            *[datetime.date(2027, 2, 22)] * 4,
        ],
    }
    # Wednesday 30 June 2027: on Wednesdays; the next two on Mondays.
    assert june["meetings"] == [
        ("2026-10-14", held),
        ("2026-11-18", held),
        ("2026-12-16", held),
        ("2027-01-13", held),
        ("2027-02-17", held),
        ("2027-03-17", held),
        ("2027-04-14", held),
        ("2027-06-16", held),
        ("2027-07-12", scheduled),
        ("2027-08-09", scheduled),
    ]
    assert june["open actions arising"] == [datetime.date(2027, 6, 16), datetime.date(2027, 7, 14)]
    assert june["latest rating"] == datetime.date(2027, 6, 28)
    assert june["latest monthly figures"]["CAMHS: median wait from referral to treatment"] == datetime.date(2027, 4, 1)
