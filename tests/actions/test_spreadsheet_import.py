"""A partnership's own plan from its own spreadsheet: a workbook with a sheet per priority area and
a Windows-1252 CSV with section rows, in layouts unlike Oxfordshire's published table; every saved
field, re-import without change, a bad file refused with nothing written, two partnerships."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from actions.choices import DueDateKind
from actions.models import Action, Objective, Plan, PriorityArea, RatingUpdate
from actions.spreadsheet_export import plan_csv, plan_xlsx
from actions.spreadsheet_import import (
    LEAD_OFFICER_MAX_LENGTH,
    REF_MAX_LENGTH,
    SpreadsheetImportError,
    check_plan_import,
    header_key,
    import_plan_spreadsheet,
    parse_target_date,
    read_plan_spreadsheet,
)
from send_tracker.accounts.models import Organisation, User
from tests.as_people_write import NUL, TYPED_DATES, counts, rolled_back, text_near
from tests.world import World

D = datetime.date
TODAY = D(2025, 6, 1)


def workbook_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HEADER = ["Action ref", "What we will do", "Agency", "Responsible officer", "By when?", "RAG", "Progress update", "Success criteria"]  # fmt: skip

# One sheet for each priority area, after a cover sheet, with title rows above each header.
WORKBOOK: dict[str, list[list[Any]]] = {
    "Read me": [["Testshire SEND Improvement Plan 2025-27"], ["Owner: the SEND Partnership Board"]],
    "PAP 1 Early help": [
        ["Testshire SEND Improvement Plan"],
        ["Priority area 1: early help", None, None],
        [],
        HEADER,
        [
            "EH-01",
            "Publish the early help offer",
            "TCC",
            "Jo Bloggs",
            datetime.datetime(2025, 3, 31),
            "G",
            "Published in March",
            "Offer live",
        ],  # fmt: skip
        ["EH-02", "Train 200 practitioners", "Testshire Integrated Care Board", "", "Q2 2025/26", "a", "", ""],
        ["EH-03", "Audit waiting lists", "icb", "Sam Lead", "Mar-25", "R", "Delayed", "Lists halved"],
    ],
    "PAP 2 Transitions": [
        HEADER,
        ["TR-01", "Preparation for adulthood pathway", "TCC", "Kim Ward", "TBC", "", "", ""],
        ["TR-02", "Post-16 places review", "tcc", "", "Ongoing", "Blue", "Embedded", "Reviewed yearly"],
    ],
}

# A CSV as Excel's "CSV (Comma delimited)" writes it: Windows-1252, title rows, the areas as
# section rows (a ref and a title), dates and ratings as people type them.
CSV_TEXT = "\r\n".join(
    [
        "Testshire Local Area Partnership,,,,,,,",
        "SEND plan \u2013 updated for the board,,,,,,,",
        ",,,,,,,",
        "No.,Description,Lead Organisation,Lead,Deadline,BRAG status,Comment,Impact measure",
        "1,Voice of children and young people,,,,,,",
        '1.1,"\u201cYou said, we did\u201d reports",TCC,Ann Lee,31/3/25,amber,Two published,Families see change',
        "1.2,Youth forum in every district,ICB,,2025-03-31,grey,,",
        "1.3,Co-produce the \u00a3 budget,TCC,,March 2025,,,",
        "2,Assessment and plans,,,,,,",
        "2.1,EHC needs assessments in 20 weeks,TCC,Bo Ray,Mar 25,GREEN,On track,75% in time",
        "2.2,Annual reviews on time,TCC,,Sept 24,B,Embedded,",
        "2.3,Plans quality assured,ICB,,31/03/2025,r,Behind,",
        "2.4,Decision panel terms,TCC,,Ongoing,,,",
    ]
).encode("cp1252")


def import_file(plan: Plan, name: str, raw: bytes, user: User | None = None, **mapping: str) -> Any:
    read = read_plan_spreadsheet(name, raw, mapping)
    return import_plan_spreadsheet(plan=plan, read=read, by=user)


def state(plan: Plan) -> list[tuple[Any, ...]]:
    return list(
        Action.objects.filter(plan=plan)
        .order_by("ref")
        .values_list(
            "ref",
            "published_ref",
            "objective__priority_area__number",
            "objective__priority_area__title",
            "description",
            "owner__short_name",
            "lead_officer_name",
            "due_date",
            "due_date_kind",
            "brag",
            "comment",
            "success_measure",
            "version",
        )
    )


def history_count() -> int:
    return sum(model.history.count() for model in (Action, PriorityArea, Objective)) + RatingUpdate.objects.count()


def assert_changes_nothing(plan: Plan, name: str, raw: bytes, actions: int) -> None:
    """Importing the file finds every action as it is: no row saved, no history added."""
    before, history = state(plan), history_count()
    read = read_plan_spreadsheet(name, raw)
    assert read.problems == [] and read.unplaced == []
    counts = import_plan_spreadsheet(plan=plan, read=read, by=None)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, actions)
    assert state(plan) == before
    assert history_count() == history


@pytest.fixture
def orgs(council: Organisation, icb: Organisation) -> tuple[Organisation, Organisation]:
    return council, icb


@pytest.mark.django_db
def test_a_workbook_with_a_sheet_per_area_is_imported_field_by_field(
    plan: Plan, orgs: tuple[Organisation, Organisation], administrator: User
) -> None:
    counts = import_file(plan, "testshire-plan.xlsx", workbook_bytes(WORKBOOK), administrator)
    assert (counts.created, counts.updated) == (5, 0)
    assert [(a.number, a.title) for a in plan.priority_areas.all()] == [(1, "Early help"), (2, "Transitions")]
    assert state(plan) == [
        (
            "EH-01",
            "EH-01",
            1,
            "Early help",
            "Publish the early help offer",
            "TCC",
            "Jo Bloggs",
            D(2025, 3, 31),
            "date",
            "green",
            "Published in March",
            "Offer live",
            1,
        ),  # fmt: skip
        (
            "EH-02",
            "EH-02",
            1,
            "Early help",
            "Train 200 practitioners",
            "ICB",
            "",
            D(2025, 9, 30),
            "date",
            "amber",
            "",
            "",
            1,
        ),  # fmt: skip
        (
            "EH-03",
            "EH-03",
            1,
            "Early help",
            "Audit waiting lists",
            "ICB",
            "Sam Lead",
            D(2025, 3, 31),
            "date",
            "red",
            "Delayed",
            "Lists halved",
            1,
        ),  # fmt: skip
        (
            "TR-01",
            "TR-01",
            2,
            "Transitions",
            "Preparation for adulthood pathway",
            "TCC",
            "Kim Ward",
            None,
            "tbc",
            None,
            "",
            "",
            1,
        ),  # fmt: skip
        (
            "TR-02",
            "TR-02",
            2,
            "Transitions",
            "Post-16 places review",
            "TCC",
            "",
            None,
            "ongoing",
            "blue",
            "Embedded",
            "Reviewed yearly",
            1,
        ),  # fmt: skip
    ]
    rated = Action.objects.get(plan=plan, ref="EH-01")
    assert rated.rated_by == administrator
    update = rated.rating_updates.get()
    assert (update.brag, update.commentary) == ("green", "Published in March")
    assert rated.history.first().history_change_reason == "Imported from testshire-plan.xlsx"
    assert Action.objects.get(plan=plan, ref="EH-02").due_date_text == "Q2 2025/26"


@pytest.mark.django_db
def test_a_windows_1252_csv_with_section_rows_is_imported_and_again_changes_nothing(
    plan: Plan, orgs: tuple[Organisation, Organisation]
) -> None:
    counts = import_file(plan, "plan.csv", CSV_TEXT)
    assert counts.created == 7
    assert [(a.number, a.title) for a in plan.priority_areas.all()] == [
        (1, "Voice of children and young people"),
        (2, "Assessment and plans"),
    ]
    rows = {row[0]: row for row in state(plan)}
    assert rows["1.1"][4:12] == ("\u201cYou said, we did\u201d reports", "TCC", "Ann Lee", D(2025, 3, 31), "date", "amber", "Two published", "Families see change")  # fmt: skip
    assert rows["1.2"][5:10] == ("ICB", "", D(2025, 3, 31), "date", "grey")
    assert rows["1.3"][4] == "Co-produce the \u00a3 budget"
    assert rows["1.3"][7:10] == (D(2025, 3, 31), "date", None)
    assert rows["2.1"][7:10] == (D(2025, 3, 31), "date", "green")
    assert rows["2.2"][7:10] == (D(2024, 9, 30), "date", "blue")
    assert rows["2.3"][7:10] == (D(2025, 3, 31), "date", "red")
    assert rows["2.4"][7:10] == (None, "ongoing", None)
    assert Action.objects.get(plan=plan, ref="2.2").due_date_text == "Sept 24"
    assert_changes_nothing(plan, "plan.csv", CSV_TEXT, 7)


@pytest.mark.django_db
def test_a_changed_row_updates_its_action_by_ref_with_the_file_as_reason(
    plan: Plan, orgs: tuple[Organisation, Organisation], administrator: User
) -> None:
    import_file(plan, "plan.csv", CSV_TEXT)
    changed = CSV_TEXT.replace(b"Bo Ray,Mar 25,GREEN,On track", b"Bo Ray,Q4 2024/25,Blue,Embedded now")
    counts = import_file(plan, "plan-june.csv", changed, administrator)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 6)
    action = Action.objects.get(plan=plan, ref="2.1")
    assert (action.brag, action.comment, action.due_date, action.version) == ("blue", "Embedded now", D(2025, 3, 31), 2)
    assert action.history.first().history_change_reason == "Imported from plan-june.csv"
    assert Action.objects.filter(plan=plan).count() == 7


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_imports_back_without_change(
    plan: Plan, orgs: tuple[Organisation, Organisation], administrator: User, fmt: str
) -> None:
    import_file(plan, "plan.xlsx", workbook_bytes(WORKBOOK), administrator)
    import_file(plan, "plan.csv", CSV_TEXT, administrator)
    Action.objects.filter(ref="EH-02").update(description="- starts like a formula =1+1")
    exported = plan_csv(plan, TODAY) if fmt == "csv" else plan_xlsx(plan, TODAY)
    assert_changes_nothing(plan, f"export.{fmt}", exported, 12)


@pytest.mark.django_db
def test_a_bad_file_is_refused_with_every_problem_and_nothing_written(
    plan: Plan, orgs: tuple[Organisation, Organisation], elsewhere_world: World
) -> None:
    bad = dict(WORKBOOK)
    bad["PAP 2 Transitions"] = [
        HEADER,
        ["TR-01", "Pathway", "Elsewhere Council", "", "31/02/2025", "Purple", "", ""],
        ["TR-02", "Review", "TCC", "", "Someday", "", "", ""],
        ["EH-01", "Twice", "TCC", "", "", "", "", ""],
        ["", "No ref", "TCC", "", "", "", "", ""],
    ]
    read = read_plan_spreadsheet("bad.xlsx", workbook_bytes(bad))
    messages = [str(problem) for problem in read.problems]
    assert any(m.startswith("PAP 2 Transitions, row 2:") and "31/02/2025" in m for m in messages)
    assert any(m.startswith("PAP 2 Transitions, row 2:") and "Purple" in m for m in messages)
    assert any(m.startswith("PAP 2 Transitions, row 3:") and "Someday" in m for m in messages)
    assert any(m.startswith("PAP 2 Transitions, row 4:") and "appears twice" in m for m in messages)
    assert any(m.startswith("PAP 2 Transitions, row 5:") and "no ref" in m for m in messages)
    with pytest.raises(SpreadsheetImportError):
        import_plan_spreadsheet(plan=plan, read=read, by=None)
    assert not Action.objects.filter(plan=plan).exists()
    assert not PriorityArea.objects.filter(plan=plan).exists()
    # Another partnership's organisation is never matched, by name or short name.
    for name in ("Elsewhere Council", "EC"):
        other = read_plan_spreadsheet("other.csv", f"Ref,Action,Owner,Priority\n1.1,Thing,{name},PAP 1: A\n".encode())
        checked = check_plan_import(plan, other)
        assert [str(p) for p in checked.problems] == [
            f"other.csv, row 2: '{name}' is not an organisation of this partnership"
        ]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("actions.spreadsheet_import.MAX_UNPACKED_BYTES", 1000)
    read = read_plan_spreadsheet("plan.xlsx", workbook_bytes(WORKBOOK))
    assert [str(problem) for problem in read.problems] == [
        "plan.xlsx: the workbook unpacks to more than 0 MB: is it the plan?"
    ]
    assert read.rows == []


@pytest.mark.django_db
def test_an_unplaced_column_is_left_out_until_the_person_says_what_it_holds(
    plan: Plan, orgs: tuple[Organisation, Organisation]
) -> None:
    raw = b"Ref,Activity,Priority area,Notes\n1.1,Map the pathway,Voice,internal\n"
    read = read_plan_spreadsheet("plan.csv", raw)
    assert [(c.header, c.key) for c in read.unplaced] == [("Activity", "activity"), ("Notes", "notes")]
    assert [str(p) for p in read.problems] == ["plan.csv, row 1: no column holds the action: say which does"]
    read = read_plan_spreadsheet("plan.csv", raw, {"activity": "description", "notes": "leave_out"})
    assert read.problems == [] and read.unplaced == []
    import_plan_spreadsheet(plan=plan, read=read, by=None)
    assert Action.objects.get(plan=plan, ref="1.1").description == "Map the pathway"


@pytest.mark.django_db
def test_import_pap_reads_a_workbook_and_a_csv(
    plan: Plan, orgs: tuple[Organisation, Organisation], tmp_path: Path
) -> None:
    (tmp_path / "plan.xlsx").write_bytes(workbook_bytes(WORKBOOK))
    (tmp_path / "plan.csv").write_bytes(CSV_TEXT)
    out = io.StringIO()
    call_command("import_pap", str(tmp_path / "plan.xlsx"), "--partnership", "testshire", stdout=out)
    assert "created 5" in out.getvalue()
    call_command("import_pap", str(tmp_path / "plan.csv"), "--partnership", "testshire", stdout=out)
    assert Action.objects.filter(plan=plan).count() == 12
    (tmp_path / "odd.csv").write_bytes(b"Ref,Activity,Priority\n1.9,Odd one,PAP 1\n")
    with pytest.raises(CommandError, match="nothing was imported: 1 problem"):
        call_command("import_pap", str(tmp_path / "odd.csv"), "--partnership", "testshire", stderr=io.StringIO())
    call_command(
        "import_pap", str(tmp_path / "odd.csv"), "--partnership", "testshire", "--column", "Activity=description"
    )
    assert Action.objects.get(plan=plan, ref="1.9").description == "Odd one"


# -- dates and headers as people write them


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2025", (D(2025, 3, 31), DueDateKind.DATE)),
        ("31/3/25", (D(2025, 3, 31), DueDateKind.DATE)),
        ("2025-03-31", (D(2025, 3, 31), DueDateKind.DATE)),
        ("31 March 2025", (D(2025, 3, 31), DueDateKind.DATE)),
        ("March 2025", (D(2025, 3, 31), DueDateKind.DATE)),
        ("Mar 25", (D(2025, 3, 31), DueDateKind.DATE)),
        ("Mar-25", (D(2025, 3, 31), DueDateKind.DATE)),
        ("Sept 24", (D(2024, 9, 30), DueDateKind.DATE)),
        ("Feb 24", (D(2024, 2, 29), DueDateKind.DATE)),
        ("Q1 2025/26", (D(2025, 6, 30), DueDateKind.DATE)),
        ("Q2 2025/26", (D(2025, 9, 30), DueDateKind.DATE)),
        ("Q3 25/26", (D(2025, 12, 31), DueDateKind.DATE)),
        ("Q4 2025/26", (D(2026, 3, 31), DueDateKind.DATE)),
        ("2025/26 Q2", (D(2025, 9, 30), DueDateKind.DATE)),
        ("TBC", (None, DueDateKind.TBC)),
        ("Ongoing", (None, DueDateKind.ONGOING)),
        (datetime.datetime(2025, 3, 31), (D(2025, 3, 31), DueDateKind.DATE)),
    ],
)
def test_target_dates_in_every_form(text: object, expected: tuple[Any, DueDateKind]) -> None:
    assert parse_target_date(text) == expected


@given(st.dates(D(2000, 1, 1), D(2100, 12, 31)), st.sampled_from(["%d/%m/%Y", "%-d/%-m/%y", "%Y-%m-%d", "%d %B %Y"]))
def test_any_written_date_reads_as_that_date(day: datetime.date, form: str) -> None:
    assert parse_target_date(day.strftime(form)) == (day, DueDateKind.DATE)


@given(st.text(max_size=30))
def test_any_other_text_is_a_date_or_a_clear_refusal(text: str) -> None:
    try:
        when, kind = parse_target_date(text)
    except ValueError as error:
        assert "target date" in str(error) or "date" in str(error)
    else:
        assert kind in DueDateKind.values
        assert (when is None) == (kind != DueDateKind.DATE)


def spellings(words: str) -> st.SearchStrategy[str]:
    """A header as people type it: any case, punctuation and spaces around and between the words."""
    parts = words.split()
    punctuation = st.sampled_from(["", " ", "  ", ".", ":", "?", " -", "_", "/"])
    cased = st.tuples(*(st.sampled_from([p, p.upper(), p.capitalize()]) for p in parts))
    return st.builds(
        lambda lead, words_, gaps, tail: (
            lead + "".join(w + g for w, g in zip(words_, [*gaps, ""], strict=False)) + tail
        ),
        st.sampled_from(["", " ", "*"]),
        cased,
        st.lists(st.sampled_from([" ", "-", " / ", "_", ". "]), min_size=len(parts), max_size=len(parts)),
        punctuation,
    )


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ref=spellings("pap ref"), action=spellings("what we will do"), date=spellings("by when"))
def test_headers_are_found_whatever_their_case_and_punctuation(ref: str, action: str, date: str) -> None:
    assert header_key(ref) == "pap ref"
    raw = f'"{ref}","{action}","{date}"\n1.1,Do it,31/3/25\n'.encode()
    read = read_plan_spreadsheet("plan.csv", raw)
    assert read.unplaced == []
    assert [(row.ref, row.description, row.due_date) for row in read.rows] == [("1.1", "Do it", D(2025, 3, 31))]


# -- cells as people write them, on PostgreSQL


def one_line(text: str) -> str:
    return " ".join(text.split())


def paragraphs(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ref=text_near(REF_MAX_LENGTH),
    description=text_near(400),
    lead=text_near(LEAD_OFFICER_MAX_LENGTH),
    update=text_near(600),
    date=st.sampled_from(["31/3/25", "Mar-25", "Q2 2025/26", "TBC", ""]) | TYPED_DATES,
)
# Each limit, and one past it, whatever the examples drawn (the profile's 30).
@example(ref="R" * REF_MAX_LENGTH, description="Do it", lead="L" * LEAD_OFFICER_MAX_LENGTH, update="", date="31/3/25")
@example(ref="R" * (REF_MAX_LENGTH + 1), description="Do it", lead="", update="", date="")
@example(ref="1.1", description="Do it", lead="L" * (LEAD_OFFICER_MAX_LENGTH + 1), update="", date="TBC")
def test_cells_as_people_write_them_are_saved_whole_or_refused_with_nothing_written(
    plan: Plan, orgs: tuple[Organisation, Organisation], ref: str, description: str, lead: str, update: str, date: str
) -> None:
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["Ref", "Priority area", "Action", "Lead officer", "Target date", "Update"],
            [ref, "PAP 1: Early help", description, lead, date, update],
        ]  # fmt: skip
    )
    with rolled_back():
        before = counts(Action, PriorityArea, Objective, Action.history.model)
        read = read_plan_spreadsheet("plan.csv", out.getvalue().encode("utf-8"))
        try:
            import_plan_spreadsheet(plan=plan, read=read, by=None)
        except SpreadsheetImportError as error:
            assert error.problems and all(problem.row in (0, 2) for problem in error.problems)
            assert counts(Action, PriorityArea, Objective, Action.history.model) == before
            event("refused")
            return
        event("saved")
        assert NUL not in ref + description + lead + update + date
        assert 0 < len(one_line(ref)) <= REF_MAX_LENGTH and len(one_line(lead)) <= LEAD_OFFICER_MAX_LENGTH
        saved = Action.objects.get(plan=plan)
        assert saved.published_ref == one_line(ref)
        assert saved.description == paragraphs(description).removeprefix("'") or saved.description == paragraphs(
            description
        )
        assert saved.lead_officer_name == one_line(lead)
        assert saved.comment in (paragraphs(update), paragraphs(update).removeprefix("'"))
        assert (saved.due_date, saved.due_date_kind) == (
            parse_target_date(date) if one_line(date) else (None, DueDateKind.NONE)
        )
