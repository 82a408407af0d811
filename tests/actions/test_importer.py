"""The PAP importer on Oxfordshire's real published plan: every ref, every odd date, all or nothing."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models

from actions.importer import (
    IMPORT_REASON,
    ImportProblem,
    PlanImportError,
    canonical_ref,
    import_plan,
    parse_brag,
    parse_due_date,
    parse_plan_table,
    priority_area_title,
    read_aliases,
)
from actions.management.commands.import_pap import OXFORDSHIRE_ALIASES
from actions.models import (
    Action,
    AreaForImprovement,
    Objective,
    Plan,
    PriorityArea,
    RatingUpdate,
    RoadmapMilestone,
    Theme,
    Workstream,
)
from actions.services import record_rating_update
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import Organisation, Partnership, User

SEED = Path(settings.BASE_DIR) / "send_tracker" / "seed_data" / "2024-05-20-eyp-scrutiny-pap-update.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
ALIASES = read_aliases(OXFORDSHIRE_ALIASES)
HEADER = "PAP Ref\tObjective\tTheme\tProject(s)\tComment\tDate\tBRAG"

# Every action of the published plan: the ref as printed, and as stored.
REFS = {
    "1.1": "1.1", "1.2": "1.2", "1.3": "1.3", "1.4": "1.4", "1.5": "1.5", "2A1": "2A1", "2A2": "2A2",
    "2B:1": "2B1", "2B:2": "2B2", "2B:3": "2B3", "3A1": "3A1", "3A2": "3A2", "3A3": "3A3", "3A4": "3A4",
    "3B1": "3B1", "3B2": "3B2", "3B3": "3B3", "3B4": "3B4", "4A1": "4A1", "4A2": "4A2", "4A3": "4A3",
    "4B1": "4B1", "4B2": "4B2", "4B3": "4B3", "4C1": "4C1", "4C2": "4C2", "4C3": "4C3", "4D1": "4D1",
    "4D2": "4D2", "5A1": "5A1", "5B1": "5B1", "5B2": "5B2", "5C1": "5C1", "5D1": "5D1",
}  # fmt: skip
PLAN_MODELS: list[type[models.Model]] = [
    Plan,
    PriorityArea,
    Objective,
    Action,
    Theme,
    Workstream,
    AreaForImprovement,
    RoadmapMilestone,
    RatingUpdate,
]


@pytest.fixture
def oxfordshire(db: None) -> Partnership:
    return Partnership.objects.create(
        name="Oxfordshire Local Area Partnership", slug="oxfordshire", area_name="Oxfordshire"
    )


@pytest.fixture
def seed_plan() -> dict[str, object]:
    return {action.published_ref: action for action in parse_plan_table(SEED_TEXT, ALIASES).actions}


def counts() -> dict[str, int]:
    """Rows of every plan model, and history rows of every model the importer saves with history."""
    rows = {model.__name__: model._default_manager.count() for model in PLAN_MODELS}
    for model in (Plan, PriorityArea, Objective, Action):
        rows[f"{model.__name__} history"] = model.history.count()
    return rows


def import_file(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_pap", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path: Path, text: str, name: str = "pap.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def damaged(old: str, new: str) -> str:
    assert SEED_TEXT.count(old) == 1, f"{old!r} should be in the seed once"
    return SEED_TEXT.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), start=1) if fragment in line)


def problems_in(text: str) -> list[ImportProblem]:
    with pytest.raises(PlanImportError) as refused:
        parse_plan_table(text)
    return refused.value.problems


# ---------------------------------------------------------------------------------------------
# Reading the real published plan


def test_the_real_plan_has_34_actions_under_13_objectives():
    parsed = parse_plan_table(SEED_TEXT, ALIASES)

    assert len(parsed.actions) == 34
    assert [objective.code for objective in parsed.objectives] == [
        "1", "2A", "2B", "3A", "3B", "4A", "4B", "4C", "4D", "5A", "5B", "5C", "5D",
    ]  # fmt: skip
    assert [action.position for action in parsed.actions] == list(range(1, 35))
    assert parsed.objectives[2].text.startswith("Joint effective working across all services")


def test_the_five_priority_areas_get_short_titles_from_their_bold_words():
    parsed = parse_plan_table(SEED_TEXT, ALIASES)

    assert {area.number: area.title for area in parsed.priority_areas} == {
        1: "Voice and views",
        2: "Communication systems",
        3: "Timeliness and quality assurance of EHC plans",
        4: "Commissioning of services",
        5: "Impact of strategy and actions",
    }
    pap1 = parsed.priority_areas[0].description
    assert pap1.startswith("Systems to gather the voice and views of children and young people (CYP)")
    assert "**" not in pap1


def test_the_four_areas_for_improvement_are_read():
    parsed = parse_plan_table(SEED_TEXT, ALIASES)

    assert [afi.number for afi in parsed.areas_for_improvement] == [1, 2, 3, 4]
    assert parsed.areas_for_improvement[3].text.startswith("Address the long waiting times for CYP")


def test_the_roadmap_milestones_fall_in_six_quarters():
    parsed = parse_plan_table(SEED_TEXT, ALIASES)

    per_quarter = Counter(milestone.quarter_start for milestone in parsed.milestones)
    assert per_quarter == {
        datetime.date(2024, 1, 1): 7,
        datetime.date(2024, 4, 1): 10,
        datetime.date(2024, 7, 1): 12,
        datetime.date(2024, 10, 1): 8,
        datetime.date(2025, 1, 1): 7,
        datetime.date(2025, 4, 1): 8,
    }
    assert parsed.milestones[0].text == "Partnership definition of co-production agreed."
    assert parsed.milestones[-1].text == (
        "Planned opening of St Frideswide Primary School resource base, with eight additional places."
    )


@pytest.mark.parametrize(("published", "canonical"), REFS.items())
def test_every_published_ref_has_its_canonical_form(seed_plan, published, canonical):
    action = seed_plan[published]

    assert action.ref == canonical
    assert action.objective_code == canonical.rstrip("0123456789").rstrip(".")
    assert canonical_ref(published) == canonical


@pytest.mark.parametrize(
    ("ref", "date", "kind", "text"),
    [
        ("1.1", datetime.date(2024, 4, 30), "date", "Apr 24"),
        ("1.2", datetime.date(2024, 1, 31), "date", "Jan 24"),
        ("2A2", datetime.date(2024, 7, 31), "date", "July 24"),
        ("2B:2", datetime.date(2024, 7, 31), "date", "Jul 24"),
        ("3A2", datetime.date(2024, 9, 30), "date", "Sept 24"),
        ("1.5", datetime.date(2024, 10, 31), "date", "Oct 24"),
        ("4B3", datetime.date(2025, 1, 31), "date", "Jan 25"),
        ("2B:3", datetime.date(2025, 4, 30), "date", "Apr 25"),
        ("5B1", None, "tbc", "TBC"),
        ("5D1", None, "ongoing", "On go"),
    ],
)
def test_every_odd_date_becomes_the_end_of_its_month_beside_the_published_text(seed_plan, ref, date, kind, text):
    action = seed_plan[ref]

    assert (action.due_date, action.due_date_kind, action.due_date_text) == (date, kind, text)


def test_the_published_cells_are_kept_as_printed(seed_plan):
    assert seed_plan["4A3"].comment == ""
    assert seed_plan["2B:1"].published_ref == "2B:1"
    assert seed_plan["5D1"].comment == "Work underway in Right Support. Needs to be broader and deeper"
    assert all(action.brag is None for action in seed_plan.values())


def test_themes_and_projects_are_split_into_the_programmes_names(seed_plan):
    assert seed_plan["4A1"].themes == ("Right Support, Right Time", "Cross-cutting")
    assert seed_plan["4A1"].themes_text == "Right Support Cross-cutting"
    assert seed_plan["3B4"].workstreams == ("MAQA Framework", "EHCP Improvement")
    assert seed_plan["3B4"].workstreams_text == "MAQA Framework EHCP Improvement"
    assert seed_plan["4C2"].themes == ("Right Support, Right Provision",)
    assert seed_plan["4C2"].themes_text == "Right Support Right Provis'n"
    assert seed_plan["4C2"].workstreams == ("Specialist Service Pathway",)
    assert seed_plan["4C3"].workstreams == ("Specialist Service Pathway",)  # published "Specialist Service path"
    assert seed_plan["4C1"].themes == ("Right Support, Right Provision",)  # published "Right Support Provision"
    assert seed_plan["2B:1"].themes == seed_plan["4D1"].themes == ("Right Support, Right Time",)
    assert seed_plan["2B:1"].workstreams == seed_plan["4D1"].workstreams == ("Graduated Approach",)
    assert seed_plan["4A2"].workstreams == ("Commissioning",)
    assert seed_plan["2B:2"].workstreams == ()  # n/a


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Right Support Right Provis\u2019n", ("Right Support, Right Provision",)),
        ("  Early   Years ", ("Early Years",)),
        ("", ()),
    ],
)
def test_theme_cells_with_curly_quotes_or_unknown_names(cell, names):
    assert ALIASES.theme_names(cell) == names


def test_an_unknown_project_is_a_new_workstream_not_an_error():
    assert ALIASES.workstream_names("Post 16  pathways") == ("Post 16 pathways",)
    assert ALIASES.workstream_names("N/A") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sep 24", (datetime.date(2024, 9, 30), "date")),
        ("September 2024", (datetime.date(2024, 9, 30), "date")),
        ("Feb 28", (datetime.date(2028, 2, 29), "date")),
        ("feb 2027", (datetime.date(2027, 2, 28), "date")),
        ("Dec 24", (datetime.date(2024, 12, 31), "date")),
        ("Ongoing", (None, "ongoing")),
        ("On-going", (None, "ongoing")),
        ("tbc", (None, "tbc")),
        ("", (None, "none")),
    ],
)
def test_due_dates(text, expected):
    assert parse_due_date(text) == expected


@pytest.mark.parametrize("text", ["Septembre 24", "Q3 24", "30/04/2024", "Apr", "soon"])
def test_a_date_that_is_not_a_month_and_year_is_refused(text):
    with pytest.raises(ValueError, match=f"the date '{text}' is not a month and year, TBC or On go"):
        parse_due_date(text)


@pytest.mark.parametrize(
    ("cell", "brag"),
    [("", None), ("Amber", "amber"), ("GREEN", "green"), ("b", "blue"), ("R", "red"), ("grey", "grey")],
)
def test_brag_cells(cell, brag):
    assert parse_brag(cell) == brag


def test_a_brag_that_is_not_a_rating_is_refused():
    with pytest.raises(ValueError, match="'Purple' is not Blue, Red, Amber, Green or Grey"):
        parse_brag("Purple")


def test_a_title_without_bold_words_is_the_start_of_the_description():
    assert priority_area_title("improve the timeliness of plans.") == "Improve the timeliness of plans"


# ---------------------------------------------------------------------------------------------
# Problems: all of them, with their lines


def test_a_table_block_skips_furniture_before_its_first_row_and_ends_at_prose():
    text = "\n".join(
        [
            HEADER,
            "Page 3",  # between the header and the first row: skipped
            "1\tViews are sought",
            "1.1\tGather the views\tCross-cutting\tVoice, Views & Co-pro\t\tApr 24",  # trailing cell missing
            "",
            "Next heading",  # ends the block
            "NAME\tLisa Lyons",  # a tab-separated line outside any table: ignored
        ]
    )

    parsed = parse_plan_table(text)

    assert [action.ref for action in parsed.actions] == ["1.1"]
    assert parsed.actions[0].brag is None


def test_every_problem_is_collected_with_its_line():
    text = "\n".join(
        [
            "Preamble",
            HEADER,  # line 2
            "1.1\tAn action before any objective\t\t\t\tApr 24",  # 3
            "6A\tAn objective under no priority area",  # 4
            "1\tViews are sought",  # 5
            "1.2\tAction\tCross-cutting\tGovernance\tComment\tApr 24\t\textra",  # 6: eight columns
            "1.3\tAction\tCross-cutting\tGovernance\tComment\tSeptembre 24\tPurple",  # 7: two problems
            "1.4\tAction\t\t\t\tJan 24",  # 8
            "1:4\tThe same action again\t\t\t\tJan 24",  # 9
            "11\tNo dot: 1.1 or an eleventh area?",  # 10
            "2A1\tNot under objective 1\t\t\t\tJan 24",  # 11
            "X9\tNot a ref",  # 12
        ]
    )

    problems = problems_in(text)

    assert [str(problem) for problem in problems] == [
        "line 3: action '1.1' comes before any objective",
        "line 4: objective 6A is not under a priority area: they are numbered 1 to 5",
        "line 6: the row has 8 columns; the plan table has 7 (PAP Ref, Objective, Theme, Project(s), Comment, "
        "Date, BRAG)",
        "line 7: the date 'Septembre 24' is not a month and year, TBC or On go",
        "line 7: the BRAG rating 'Purple' is not Blue, Red, Amber, Green or Grey",
        "line 9: '1:4' appears twice: 1.4 is already on line 8",
        "line 10: objective 11 is not under a priority area: they are numbered 1 to 5",
        "line 11: '2A1' does not belong to objective 11",
        "line 12: 'X9' is not a PAP Ref like 2A (an objective) or 2A1, 2B:1, 1.1",
    ]


def test_a_file_without_the_table_is_refused():
    assert [str(problem) for problem in problems_in("Minutes of the meeting\nNo table here.\n")] == [
        "no table with a 'PAP Ref' header was found"
    ]


def test_a_row_after_a_page_break_without_its_header_is_not_silently_lost():
    text = damaged("\nPAP Ref\tObjective\tTheme\tProject(s)\tComment\tDate\tBRAG\n4A\t", "\nPage 4 of 6\n4A\t")

    problems = problems_in(text)

    assert problems[0].line_number == line_of(text, "4A\tPartners know")
    assert "no 'PAP Ref' header is above it" in problems[0].message


def test_line_numbers_are_an_editors_even_with_page_breaks_in_the_text():
    text = "\f\n" + HEADER + "\n1\tViews\n1.1\tGather\t\t\t\tSoonish"

    assert [problem.line_number for problem in problems_in(text)] == [4]


# ---------------------------------------------------------------------------------------------
# Importing: idempotent, all or nothing


@pytest.mark.django_db
def test_import_pap_loads_the_real_plan_into_the_partnerships_current_pap(oxfordshire):
    out = import_file(SEED)

    plan = Plan.objects.get(partnership__slug="oxfordshire")
    assert (plan.partnership, plan.title, plan.kind, plan.is_current) == (
        oxfordshire,
        "Priority Action Plan",
        "pap",
        True,
    )
    assert (
        out.strip()
        .splitlines()[-1]
        .startswith(
            "actions: 34 (created 34, updated 0, unchanged 0); objectives: 13 (created 13, updated 0, unchanged 0); "
            "priority areas: 5 (created 5, updated 0, unchanged 0)"
        )
    )
    assert (
        dict(Action.objects.filter(plan__partnership__slug="oxfordshire").values_list("published_ref", "ref")) == REFS
    )
    assert list(plan.priority_areas.values_list("number", "title")) == [
        (1, "Voice and views"),
        (2, "Communication systems"),
        (3, "Timeliness and quality assurance of EHC plans"),
        (4, "Commissioning of services"),
        (5, "Impact of strategy and actions"),
    ]
    assert plan.areas_for_improvement.count() == 4
    assert plan.milestones.dates("quarter_start", "month").count() == 6
    sept = Action.objects.filter(plan__partnership__slug="oxfordshire").get(ref="3A2")
    assert (sept.due_date, sept.due_date_kind, sept.objective.code) == (datetime.date(2024, 9, 30), "date", "3A")
    assert set(
        Action.objects.filter(plan__partnership__slug="oxfordshire")
        .get(ref="4A1")
        .themes.values_list("name", flat=True)
    ) == {
        "Right Support, Right Time",
        "Cross-cutting",
    }
    assert (
        Action.objects.filter(plan__partnership__slug="oxfordshire").get(ref="4A1").history.get().history_change_reason
        == IMPORT_REASON
    )
    assert list(Action.objects.filter(plan__partnership__slug="oxfordshire").values_list("ref", flat=True)[:3]) == [
        "1.1",
        "1.2",
        "1.3",
    ]  # in published order


@pytest.mark.django_db
def test_import_pap_names_themes_through_the_aliases_file_it_is_given(oxfordshire, tmp_path):
    aliases = write(tmp_path, '[themes]\n"Right  Support" = ["Graduated approach"]\n', "aliases.toml")
    bad = write(tmp_path, '[themes]\n"right support" = "Graduated approach"\n', "bad.toml")

    with pytest.raises(CommandError, match=r"bad.toml \[themes\] 'right support': must be a list of names"):
        import_file(SEED, "--aliases", str(bad))
    assert not Action.objects.filter(plan__partnership=oxfordshire).exists()
    import_file(SEED, "--aliases", str(aliases))

    themes = dict(Action.objects.filter(plan__partnership=oxfordshire).values_list("ref", "themes__name"))
    assert themes["4D1"] == "Graduated approach"
    assert themes["4C1"] == "Right Support Provision"  # not in this file: the cell as published


@pytest.mark.django_db
def test_importing_the_same_file_twice_writes_nothing_the_second_time(oxfordshire):
    import_file(SEED)
    before = counts()
    updated_at = dict(Action.objects.filter(plan__partnership__slug="oxfordshire").values_list("ref", "updated_at"))

    out = import_file(SEED)

    assert counts() == before
    assert (
        dict(Action.objects.filter(plan__partnership__slug="oxfordshire").values_list("ref", "updated_at"))
        == updated_at
    )
    assert "actions: 34 (created 0, updated 0, unchanged 34)" in out
    assert "created 0, updated 0" in out and "created 1" not in out and "updated 1" not in out


@pytest.mark.django_db
def test_a_changed_row_is_updated_with_a_history_row_and_a_new_version(oxfordshire, tmp_path):
    import_file(SEED)
    path = write(tmp_path, damaged("Engagement plan underway\tOct 24", "Engagement plan published\tJan 25"))

    out = import_file(path)

    action = Action.objects.filter(plan__partnership__slug="oxfordshire").get(ref="1.5")
    assert (action.comment, action.due_date, action.version) == (
        "Engagement plan published",
        datetime.date(2025, 1, 31),
        2,
    )
    assert action.history.count() == 2
    assert action.history.latest().history_change_reason == IMPORT_REASON
    assert "actions: 34 (created 0, updated 1, unchanged 33)" in out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "Programme governance in place\tJuly 24",
            "Programme governance in place\tSeptembre 24",
            "the date 'Septembre 24' is not a month and year, TBC or On go",
        ),
        ("2B:3\tPartner systems", "2C:3\tPartner systems", "'2C:3' does not belong to objective 2B"),
    ],
    ids=["bad date", "ref under the wrong objective"],
)
@pytest.mark.django_db
def test_a_broken_file_names_the_line_and_writes_nothing(oxfordshire, tmp_path, old, new, message):
    path = write(tmp_path, damaged(old, new))
    before = counts()
    err = io.StringIO()

    with pytest.raises(CommandError, match="^nothing was imported: 1 problem$"):
        call_command("import_pap", str(path), stdout=io.StringIO(), stderr=err)

    line = line_of(path.read_text(encoding="utf-8"), new)
    assert err.getvalue() == f"{path}:{line}: {message}\n"
    assert counts() == before
    assert not Plan.objects.filter(partnership__slug="oxfordshire").exists()


@pytest.mark.django_db
def test_a_broken_file_leaves_a_plan_already_loaded_exactly_as_it_was(oxfordshire, tmp_path):
    import_file(SEED)
    before = counts()
    text = damaged("Completed\tJan 24", "Completed and embedded\tJanuary twenty")
    text = text.replace("3A2\tImprove the timeliness", "3A1\tImprove the timeliness")
    path = write(tmp_path, text)
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported: 2 problems"):
        call_command("import_pap", str(path), stdout=io.StringIO(), stderr=err)

    assert len(err.getvalue().splitlines()) == 2
    assert counts() == before
    assert Action.objects.filter(plan__partnership__slug="oxfordshire").get(ref="1.2").comment == "Completed"


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_everything_back(oxfordshire, monkeypatch):
    plan = Plan.objects.create(partnership=oxfordshire, title="Priority Action Plan")
    before = counts()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    # Milestones are written last: everything before them must be undone.
    monkeypatch.setattr(RoadmapMilestone.objects, "create", fail)
    with pytest.raises(RuntimeError):
        import_plan(plan=plan, parsed=parse_plan_table(SEED_TEXT, ALIASES))

    assert counts() == before


@pytest.mark.django_db
def test_a_brag_in_the_file_sets_the_rating_with_a_history_row(oxfordshire, tmp_path):
    import_file(SEED)
    path = write(tmp_path, damaged("Engagement plan underway\tOct 24\t", "Engagement plan underway\tOct 24\tAmber"))

    import_file(path)

    action = Action.objects.filter(plan__partnership__slug="oxfordshire").get(ref="1.5")
    assert (action.brag, action.brag_commentary, action.version) == ("amber", IMPORT_REASON, 2)
    assert action.rated_at is not None
    latest = action.history.latest()
    assert (latest.brag, latest.version, latest.history_change_reason) == ("amber", 2, IMPORT_REASON)
    assert action.history.count() == 2
    update = action.rating_updates.get()
    assert (update.version, update.previous_brag, update.brag) == (2, None, "amber")

    import_file(path)  # the same rating again: nothing new

    assert (
        action.history.count() == 2
        and RatingUpdate.objects.filter(action__plan__partnership__slug="oxfordshire").count() == 1
    )


@pytest.mark.django_db
def test_what_the_tracker_adds_survives_a_reimport_of_a_file_with_empty_brag(oxfordshire):
    import_file(SEED)
    council = Organisation.objects.create(
        partnership=oxfordshire, name="Oxfordshire County Council", short_name="OCC", kind=OrganisationKind.COUNCIL
    )
    admin = User.objects.create_user(username="ada", organisation=council, role=Role.ADMINISTRATOR)
    Action.objects.filter(plan__partnership__slug="oxfordshire").filter(ref="3A1").update(
        owner=council, lead_officer=admin
    )
    record_rating_update(
        action_id=Action.objects.filter(plan__partnership__slug="oxfordshire").get(ref="3A1").pk,
        user=admin,
        brag="amber",
        commentary="On track.",
        based_on_version=1,
    )
    history = Action.history.count()

    out = import_file(SEED)

    action = Action.objects.filter(plan__partnership__slug="oxfordshire").get(ref="3A1")
    assert (action.brag, action.brag_commentary, action.version) == ("amber", "On track.", 2)
    assert (action.owner, action.lead_officer) == (council, admin)
    assert Action.history.count() == history
    assert "actions: 34 (created 0, updated 0, unchanged 34)" in out


@pytest.mark.django_db
def test_a_table_without_the_bullets_gets_placeholder_areas_that_never_replace_real_titles(oxfordshire, tmp_path):
    table_only = SEED_TEXT[SEED_TEXT.index(HEADER) :]
    path = write(tmp_path, table_only)

    import_file(path)
    assert PriorityArea.objects.filter(plan__partnership__slug="oxfordshire").get(number=5).title == "Priority area 5"

    import_file(SEED)
    assert (
        PriorityArea.objects.filter(plan__partnership__slug="oxfordshire").get(number=5).title
        == "Impact of strategy and actions"
    )
    history = PriorityArea.history.count()

    out = import_file(path)
    assert (
        PriorityArea.objects.filter(plan__partnership__slug="oxfordshire").get(number=5).title
        == "Impact of strategy and actions"
    )
    assert PriorityArea.history.count() == history
    assert "priority areas: 5 (created 0, updated 0, unchanged 5)" in out


@pytest.mark.django_db
def test_plan_title_names_the_plan_to_import_into(oxfordshire):
    Plan.objects.create(partnership=oxfordshire, title="Written Statement of Action", kind="wsoa")

    import_file(SEED, "--plan-title", "PAP 2023")

    plan = Plan.objects.filter(partnership__slug="oxfordshire").get(title="PAP 2023")
    assert plan.actions.count() == 34 and plan.kind == "pap"
    assert (
        not Plan.objects.filter(partnership__slug="oxfordshire")
        .get(title="Written Statement of Action")
        .actions.exists()
    )


@pytest.mark.django_db
def test_an_unknown_partnership_names_the_command_that_creates_it(db):
    with pytest.raises(CommandError, match="load_oxfordshire"):
        call_command("import_pap", str(SEED))


@pytest.mark.django_db
def test_a_missing_or_binary_file_is_a_clear_error(oxfordshire, tmp_path):
    binary = tmp_path / "plan.docx"
    binary.write_bytes(b"PK\x03\x04\xff\xfe\x00binary")

    with pytest.raises(CommandError, match="no such file"):
        call_command("import_pap", str(tmp_path / "absent.txt"))
    with pytest.raises(CommandError, match="not a UTF-8 text file"):
        call_command("import_pap", str(binary))
    with pytest.raises(CommandError, match="is a folder"):
        call_command("import_pap", str(tmp_path))
    assert not Plan.objects.filter(partnership__slug="oxfordshire").exists()


@pytest.mark.django_db
def test_a_file_saved_with_a_byte_order_mark_imports(oxfordshire, tmp_path):
    path = tmp_path / "pap.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8"))

    assert "actions: 34 (created 34" in import_file(path)
