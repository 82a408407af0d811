"""The "Since sign-off" page, its CSV and Excel, the sign-off form, the action page's slip, the
dashboard's count and the board pack's section."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook

from actions.models import Action, Plan, PriorityArea
from governance.choices import BoardKind
from governance.models import Board, Meeting
from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import Organisation, User
from send_tracker.history import stamp
from tests.as_people_write import FORMULA_STARTS, FROM_WORD, rolled_back, text_near
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


def created_on(action: Action, day: datetime.date) -> Action:
    Action.history.model.objects.filter(id=action.pk).update(history_date=at(day))
    return action


def move(action: Action, day: datetime.date, due_date: datetime.date | None, **more: Any) -> None:
    action.due_date = due_date
    for name, value in more.items():
        setattr(action, name, value)
    stamp(action, by=None, reason="Moved", when=at(day))
    action.save()


@pytest.fixture
def changed_plan(make_action, plan, council, icb) -> dict[str, Action]:
    """A plan signed off on 12 December 2023 with one action of each kind of change since."""
    later = created_on(
        make_action("3A1", due_date=datetime.date(2024, 4, 30), brag="amber"), datetime.date(2023, 11, 1)
    )
    earlier = created_on(make_action("3A2", due_date=datetime.date(2024, 9, 30)), datetime.date(2023, 11, 1))
    steady = created_on(make_action("3A3", owner=icb), datetime.date(2023, 11, 1))
    retired = created_on(make_action("3A4"), datetime.date(2023, 11, 1))
    move(later, datetime.date(2024, 3, 1), datetime.date(2024, 7, 31), brag="red")
    move(later, datetime.date(2024, 6, 1), datetime.date(2024, 10, 31))
    move(earlier, datetime.date(2024, 2, 1), datetime.date(2024, 6, 30), owner=icb)
    move(retired, datetime.date(2024, 5, 1), retired.due_date, status="retired", retired_reason="superseded")
    added = created_on(make_action("3A5", description='=HYPERLINK("http://evil")'), datetime.date(2024, 2, 1))
    return {"later": later, "earlier": earlier, "steady": steady, "retired": retired, "added": added}


def page(client, plan: Plan, **query: Any):
    return client.get(reverse("actions:since_sign_off", args=[plan.pk]), query)


def refs(response, section: str) -> list[str]:
    """The refs listed in a section of the page (between its heading and the next)."""
    html = response.content.decode()
    start = html.index(f'id="{section}"')
    end = html.find("<h2", start + 1)
    part = html[start : end if end != -1 else len(html)]
    return [ref for ref in ("3A1", "3A2", "3A3", "3A4", "3A5") if f">{ref}</a>" in part]


def test_the_page_lists_each_kind_of_change_since_sign_off(changed_plan, plan, scrutiny_member, client_for):
    response = page(client_for(scrutiny_member), plan)

    assert response.status_code == 200
    assert refs(response, "moved-later") == ["3A1"]
    assert refs(response, "moved-earlier") == ["3A2"]
    assert refs(response, "added") == ["3A5"]
    assert refs(response, "retired") == ["3A4"]
    assert refs(response, "owners") == ["3A2"]
    assert refs(response, "ratings") == ["3A1", "3A2", "3A3", "3A4"]
    text = response.content.decode()
    assert "by 184 days in all" in text  # 30 April to 31 October 2024
    assert "12 December 2023" in text


def test_the_page_filters_by_priority_area_and_by_owner_then_or_now(
    changed_plan, plan, objective, icb, scrutiny_member, client_for
):
    client = client_for(scrutiny_member)
    other_area = PriorityArea.objects.create(plan=plan, number=4, title="Health")
    other = other_area.objectives.create(code="4A", text="Health")
    Action.objects.filter(pk=changed_plan["added"].pk).update(objective=other)

    by_area = page(client, plan, priority_area=other_area.pk)
    by_owner = page(client, plan, owner=icb.pk)

    assert refs(by_area, "added") == ["3A5"] and refs(by_area, "ratings") == []
    assert refs(by_owner, "ratings") == ["3A2", "3A3"]  # 3A2 moved to the ICB, 3A3 was always theirs
    assert refs(by_owner, "added") == []


def test_a_choice_of_another_partnership_is_refused_and_the_rest_still_apply(
    changed_plan, plan, elsewhere_world, scrutiny_member, client_for
):
    their_organisation = Organisation.objects.filter(partnership=elsewhere_world.partnership).first()
    assert their_organisation is not None

    response = page(client_for(scrutiny_member), plan, owner=their_organisation.pk, meeting="99999999999999999999")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose an owner from the list." in text and "Choose a meeting from the list." in text
    assert refs(response, "ratings") == ["3A1", "3A2", "3A3", "3A4"]


def test_at_a_meeting_the_plan_is_compared_as_it_stood_at_the_end_of_that_day(
    changed_plan, plan, partnership, scrutiny_member, client_for
):
    board = Board.objects.create(partnership=partnership, name="SEND Board", kind=BoardKind.IMPROVEMENT_BOARD)
    meeting = Meeting.objects.create(board=board, date=datetime.date(2024, 3, 1))
    Meeting.objects.create(board=board, date=datetime.date(2023, 6, 1))  # before sign-off: not offered

    response = page(client_for(scrutiny_member), plan, meeting=meeting.pk)

    text = response.content.decode()
    assert "at the end of 1 March 2024" in text and "1 June 2023" not in text
    assert refs(response, "moved-later") == ["3A1"]  # moved once by then, to 31 July
    assert refs(response, "retired") == []  # retired in May
    assert "92 days" in text  # 30 April to 31 July


def test_every_internal_role_reads_it_and_no_one_is_offered_a_change(
    changed_plan, plan, officer, scrutiny_member, partner_user, administrator, client_for
):
    for user in (officer, scrutiny_member, partner_user, administrator):
        response = page(client_for(user), plan)
        assert response.status_code == 200
        main = response.content.decode().partition("<main")[2]
        assert 'method="post"' not in main
        assert not any(path in main for path in ("/sign-off/", "/edit/", "/revise/", "/retire/", "/rate/", "/new/"))


def test_another_partnership_and_nobody_get_nothing(changed_plan, plan, outsider, client_for):
    assert page(client_for(outsider), plan).status_code == 404
    assert client_for(outsider).get(reverse("actions:since_sign_off_csv", args=[plan.pk])).status_code == 404
    assert page(client_for(None), plan).status_code == 302


def test_the_page_costs_the_same_queries_whatever_the_history(
    changed_plan, plan, scrutiny_member, client_for, django_assert_max_num_queries
):
    client = client_for(scrutiny_member)
    page(client, plan)
    with django_assert_max_num_queries(10) as few:
        page(client, plan)
    for month in range(1, 13):
        for action in changed_plan.values():
            move(action, datetime.date(2025, month, 1), datetime.date(2025, month, 28), brag="amber")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client, plan)


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_and_excel_hold_every_action_with_the_filters_applied(
    changed_plan, plan, icb, scrutiny_member, client_for
):
    client = client_for(scrutiny_member)

    every = client.get(reverse("actions:since_sign_off_csv", args=[plan.pk]))
    theirs = client.get(reverse("actions:since_sign_off_csv", args=[plan.pk]), {"owner": icb.pk})
    workbook = client.get(reverse("actions:since_sign_off_xlsx", args=[plan.pk]), {"owner": icb.pk})

    assert every["Content-Disposition"].startswith('attachment; filename="testshire-since-sign-off-')
    rows = csv_rows(every.content)
    assert rows[0][:4] == ["PAP Ref", "Action", "Priority area", "Change"]
    by_ref = {row[0]: row for row in rows[1:]}
    assert set(by_ref) == {"3A1", "3A2", "3A3", "3A4", "3A5"}
    assert by_ref["3A1"][3:8] == [
        "Target date later by 184 days; Rating changed",
        "2024-04-30",
        "2024-10-31",
        "184",
        "2",
    ]
    assert by_ref["3A2"][6] == "-92"  # a number, never quoted
    assert by_ref["3A5"][1] == '\'=HYPERLINK("http://evil")'  # formula-looking text is quoted
    assert [row[0] for row in csv_rows(theirs.content)[1:]] == ["3A2", "3A3"]
    sheet = load_workbook(io.BytesIO(workbook.content))["Since sign-off"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values.index(["PAP Ref", *rows[0][1:]])
    assert [row[0] for row in values[header + 1 :]] == ["3A2", "3A3"]


def test_excel_keeps_formula_looking_text_as_text(changed_plan, plan, scrutiny_member, client_for):
    response = client_for(scrutiny_member).get(reverse("actions:since_sign_off_xlsx", args=[plan.pk]))

    sheet = load_workbook(io.BytesIO(response.content))["Since sign-off"]
    cell = next(row[1] for row in sheet.iter_rows() if row[0].value == "3A5")
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s" and cell.quotePrefix


def test_the_action_page_shows_its_slip(changed_plan, scrutiny_member, client_for):
    response = client_for(scrutiny_member).get(changed_plan["later"].get_absolute_url())

    text = response.content.decode()
    assert "Since sign-off" in text
    assert "30 April 2024" in text and "31 October 2024" in text
    assert "184 days later than at sign-off" in text


def test_the_dashboard_counts_the_slipped_actions_and_follows_a_change(
    changed_plan, plan, scrutiny_member, client_for, django_capture_on_commit_callbacks
):
    client = client_for(scrutiny_member)
    slipped = (
        '<strong class="app-headline__figure">{}</strong> <span class="app-headline__label">Slipped since sign-off'
    )
    assert slipped.format(1) in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        move(changed_plan["steady"], datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))

    assert slipped.format(2) in client.get("/").content.decode()


# ---------------------------------------------------------------------------------------------
# Recording the sign-off


def sign_off(client, plan: Plan, day: object, month: object, year: object, note: str = ""):
    return client.post(
        reverse("actions:sign_off", args=[plan.pk]),
        {"approved_date_day": day, "approved_date_month": month, "approved_date_year": year, "note": note},
    )


def test_an_administrator_records_the_sign_off_and_history_keeps_who_and_why(plan, administrator, client_for):
    client = client_for(administrator)
    response = sign_off(client, plan, "14", "12", "23", note="Letter from Ofsted and the CQC")

    plan.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    said = "Sign-off recorded: 14 December 2023. The baseline is the plan at the end of that day."
    assert said in client.get(response["Location"]).content.decode()
    assert plan.approved_date == datetime.date(2023, 12, 14)
    latest = plan.history.latest()
    assert latest.history_change_reason == "Letter from Ofsted and the CQC"
    assert latest.history_user == administrator


def test_only_an_administrator_of_the_partnership_may_record_it(
    plan, officer, scrutiny_member, partner_user, outsider, client_for, elsewhere_world
):
    their_admin = make_user(
        "their-admin", Organisation.objects.filter(partnership=elsewhere_world.partnership).first(), Role.ADMINISTRATOR
    )
    for user, status in (
        (officer, 403),
        (scrutiny_member, 403),
        (partner_user, 403),
        (outsider, 404),
        (their_admin, 404),
    ):
        assert client_for(user).get(reverse("actions:sign_off", args=[plan.pk])).status_code == status
        assert sign_off(client_for(user), plan, "1", "1", "2024").status_code == status
    plan.refresh_from_db()
    assert plan.approved_date == datetime.date(2023, 12, 12)


def test_the_plan_overview_links_the_page_and_offers_the_form_to_administrators_only(
    plan, administrator, scrutiny_member, client_for
):
    as_admin = client_for(administrator).get(plan.get_absolute_url()).content.decode()
    as_councillor = client_for(scrutiny_member).get(plan.get_absolute_url()).content.decode()

    since = reverse("actions:since_sign_off", args=[plan.pk])
    form = reverse("actions:sign_off", args=[plan.pk])
    assert since in as_admin and since in as_councillor
    assert form in as_admin and form not in as_councillor


@given(
    day=st.sampled_from(["12", "1", "31", "32", "0", "", "x", "١٢"]),
    month=st.sampled_from(["12", "2", "13", "", "Dec"]),
    year=st.sampled_from(["2023", "23", "2026", "2027", "2023 ", "", "20233"]),
    note=st.just("") | text_near(5000) | st.sampled_from(FORMULA_STARTS).map(lambda c: c + FROM_WORD),
)
@example(day="15", month="9", year="2023", note="")  # the day the inspection report was published
@example(day="14", month="9", year="2023", note="")  # the day before: refused
@example(day="6", month="12", year="2026", note="")  # today (the test's clock): accepted
def test_the_sign_off_form_saves_a_real_past_date_or_says_what_is_wrong(
    plan, administrator, client_for, day, month, year, note
):
    client = client_for(administrator)
    with rolled_back():
        before = plan.history.count()
        response = sign_off(client, plan, day, month, year, note)
        plan.refresh_from_db()
        if response.status_code == 302:
            assert plan.approved_date is not None
            assert datetime.date(2023, 9, 15) <= plan.approved_date <= timezone.localdate()
            written = plan.history.count() - before
            assert written == (0 if plan.approved_date == datetime.date(2023, 12, 12) else 1)
            if written and note.strip():
                assert plan.history.latest().history_change_reason == note.strip()
            elif written:
                assert plan.history.latest().history_change_reason.startswith("Signed off on ")
        else:
            assert response.status_code == 400
            assert "There is a problem" in response.content.decode()
            assert plan.approved_date == datetime.date(2023, 12, 12) and plan.history.count() == before


def test_moving_the_sign_off_moves_the_baseline(changed_plan, plan, administrator, client_for):
    sign_off(client_for(administrator), plan, "2", "3", "2024")

    response = page(client_for(administrator), plan)

    assert refs(response, "added") == []  # 3A5 was added on 1 February, before the new sign-off
    assert refs(response, "moved-later") == ["3A1"]  # 31 July at 2 March, 31 October now


# ---------------------------------------------------------------------------------------------
# The board pack


def test_the_board_pack_has_a_since_sign_off_section_as_at_the_meeting(
    changed_plan, plan, partnership, scrutiny_member, client_for
):
    board = Board.objects.create(partnership=partnership, name="SEND Board", kind=BoardKind.IMPROVEMENT_BOARD)
    meeting = Meeting.objects.create(board=board, date=datetime.date(2024, 3, 1), plan=plan)
    client = client_for(scrutiny_member)

    pack_csv = csv_rows(client.get(reverse("governance:plan_pack", args=[meeting.pk, "csv"])).content)
    pack_xlsx = load_workbook(
        io.BytesIO(client.get(reverse("governance:plan_pack", args=[meeting.pk, "xlsx"])).content)
    )
    pack_docx = client.get(reverse("governance:plan_pack", args=[meeting.pk, "docx"]))

    title = pack_csv.index(["Since sign-off"])
    rows = {row[0]: row for row in pack_csv[title:] if row and row[0].startswith("3A")}
    assert rows["3A1"][3] == "Target date later by 92 days; Rating changed"
    assert "3A4" in rows and rows["3A4"][12] == "Open"  # retired only in May
    assert "Since sign-off" in pack_xlsx.sheetnames
    assert pack_docx.status_code == 200 and b"word/document.xml" in pack_docx.content


def test_a_user_of_no_role_is_no_reader(plan, council, client_for):
    nobody = User.objects.create_user(username="nobody", password="x", organisation=None, role=Role.OFFICER)
    assert page(client_for(nobody), plan).status_code == 404
