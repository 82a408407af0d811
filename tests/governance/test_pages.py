"""The governance pages for each role: who sees what, who may change what, and bad input."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from actions.models import Action, Objective, Plan, PriorityArea
from governance.choices import EventKind
from governance.models import ActionArising, AgendaItem, Decision, InspectionEvent, Meeting, Risk
from tests.governance.conftest import date_boxes, rescore_form

pytestmark = pytest.mark.django_db

READERS = ["officer", "other_officer", "scrutiny_member", "partner_user", "administrator"]
# The ICB has no seat on the test board, so its officer reads the board's meetings but cannot keep them.
READ_ONLY = ["scrutiny_member", "partner_user", "other_officer"]


def plain(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def read_urls(meeting: Meeting, risk) -> list[str]:
    return [
        reverse("governance:board", args=[meeting.board_id]),
        reverse("governance:meeting", args=[meeting.pk]),
        reverse("governance:meeting_plan", args=[meeting.pk]),
        reverse("governance:risk", args=[risk.pk]),
    ]


def form_posts(meeting: Meeting, arising: ActionArising, risk) -> list[tuple[str, Mapping[str, object]]]:
    return [
        (
            reverse("governance:meeting_new", args=[meeting.board_id]),
            {**meeting_date(1, 7, 2024), "status": "scheduled"},
        ),
        (
            reverse("governance:agenda_item_new", args=[meeting.pk]),
            {"agenda-title": "Item", "agenda-purpose": "discussion"},
        ),
        (reverse("governance:decision_new", args=[meeting.pk]), {"decision-text": "Agreed."}),
        (
            reverse("governance:action_arising_new", args=[meeting.pk]),
            {"arising-description": "Do it.", "arising-owner_name": "Head of SEND"},
        ),
        (reverse("governance:action_arising_done", args=[meeting.pk, arising.pk]), {}),
        (reverse("governance:risk_rescore", args=[risk.pk]), rescore_form()),
    ]


def meeting_date(day: object, month: object, year: object, name: str = "date") -> dict[str, str]:
    """The add-meeting form's GOV.UK date input, as a browser posts it."""
    return date_boxes(name, day, month, year)


def snapshot() -> tuple[int, ...]:
    return (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Decision.objects.count(),
        ActionArising.objects.count(),
        ActionArising.objects.filter(done_on__isnull=False).count(),
        Meeting.history.count(),
    )


@pytest.fixture
def arising(meeting: Meeting) -> ActionArising:
    return ActionArising.objects.create(
        meeting=meeting, description="Report back on timeliness.", owner_name="Head of SEND"
    )


@pytest.fixture
def risk(make_risk):
    return make_risk("R1")


# ---------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("persona", READERS)
def test_everyone_in_the_partnership_reads_every_page(meeting, risk, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))

    for url in [
        reverse("governance:index"),
        reverse("governance:risks"),
        reverse("governance:timeline"),
        *read_urls(meeting, risk),
    ]:
        assert client.get(url).status_code == 200, url
    assert "Testshire SEND Improvement and Assurance Board" in plain(client.get(reverse("governance:index")))


def test_another_partnership_gets_404_and_sees_nothing(meeting, risk, arising, outsider, client_for):
    client = client_for(outsider)
    before = snapshot()

    for url in read_urls(meeting, risk):
        assert client.get(url).status_code == 404, url
    for url, data in form_posts(meeting, arising, risk):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before
    for url in [reverse("governance:index"), reverse("governance:risks"), reverse("governance:timeline")]:
        page = plain(client.get(url))
        assert "Testshire" not in page and risk.title not in page, url


def test_signed_out_visitors_are_sent_to_sign_in(meeting, client_for):
    response = client_for(None).get(meeting.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_users_get_403_on_every_form_and_nothing_changes(
    meeting, risk, arising, persona, request, client_for
):
    client = client_for(request.getfixturevalue(persona))
    before = snapshot()

    for url, data in form_posts(meeting, arising, risk):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before
    risk.refresh_from_db()
    assert risk.version == 1
    page = client.get(meeting.get_absolute_url()).content.decode()
    # The only form left is "Follow", which is reading: it changes nothing in the meeting.
    forms = re.findall(r"<form[^>]*>", page.split('id="main-content"')[1])
    assert all('action="/alerts/follow/"' in form for form in forms), forms
    assert "Re-score this risk" not in client.get(risk.get_absolute_url()).content.decode()


# ---------------------------------------------------------------------------------------------
# Changing


def test_an_officer_of_a_member_organisation_adds_a_meeting(board, officer, client_for):
    client = client_for(officer)
    assert "Add a meeting" in client.get(board.get_absolute_url()).content.decode()
    for url in (board.get_absolute_url(), reverse("governance:meeting_new", args=[board.pk])):
        # The GOV.UK date input, as every other date in the product: day, month and year boxes.
        page = client.get(url).content.decode()
        assert 'name="date"' not in page and 'name="papers_deadline"' not in page, url
        for name, legend in (("date", "Meeting date"), ("papers_deadline", "Papers deadline")):
            assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>' in page, url
            for part in ("day", "month", "year"):
                assert f'name="{name}_{part}" type="text" inputmode="numeric"' in page, url

    response = client.post(
        reverse("governance:meeting_new", args=[board.pk]),
        {**meeting_date(19, 6, 2024), "status": "scheduled", "title": ""},
    )

    meeting = Meeting.objects.get(board=board)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.date == datetime.date(2024, 6, 19)
    assert meeting.papers_deadline == datetime.date(2024, 6, 12)
    assert meeting.history.get().history_user == officer


def test_the_meeting_forms_record_agenda_decisions_and_actions_arising(meeting, make_action, risk, officer, client_for):
    action = make_action("3A1")
    client = client_for(officer)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Add an agenda item" in page and "Record a decision" in page and "Add an action arising" in page

    response = client.post(
        reverse("governance:agenda_item_new", args=[meeting.pk]),
        {
            "agenda-title": "EHCP timeliness",
            "agenda-purpose": "assurance",
            "agenda-presenter": "Head of SEND",
            "agenda-action": str(action.pk),
            "agenda-risk": str(risk.pk),
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.number, item.action, item.risk, item.get_purpose_display()) == (1, action, risk, "For assurance")

    client.post(
        reverse("governance:decision_new", args=[meeting.pk]),
        {"decision-text": "Noted.", "decision-agenda_item": str(item.pk)},
    )
    client.post(
        reverse("governance:action_arising_new", args=[meeting.pk]),
        {
            "arising-description": "Report monthly.",
            "arising-owner_name": "Head of SEND",
            **date_boxes("arising-due_date", 22, 5, 2024),
        },
    )
    decision = Decision.objects.get(meeting=meeting)
    arising = ActionArising.objects.get(meeting=meeting)
    assert (decision.number, decision.agenda_item, decision.recorded_by_label) == (
        1,
        item,
        "Olivia Officer (TCC)",
    )
    assert (arising.owner_name, arising.due_date, arising.is_done) == (
        "Head of SEND",
        datetime.date(2024, 5, 22),
        False,
    )

    response = client.post(
        reverse("governance:action_arising_done", args=[meeting.pk, arising.pk]), date_boxes("done_on", 21, 5, 2024)
    )
    assert response.status_code == 302
    arising.refresh_from_db()
    assert arising.done_on == datetime.date(2024, 5, 21)
    assert [h.history_type for h in arising.history.order_by("history_date")] == ["+", "~"]
    assert arising.history.latest().history_user == officer
    page = plain(client.get(meeting.get_absolute_url()))
    assert "1. EHCP timeliness" in page and "Noted." in page and "Done 21 May 2024" in page


def test_an_administrator_keeps_any_boards_meetings(meeting, administrator, client_for):
    response = client_for(administrator).post(
        reverse("governance:decision_new", args=[meeting.pk]), {"decision-text": "Agreed the terms of reference."}
    )

    assert response.status_code == 302
    assert Decision.objects.get(meeting=meeting).text == "Agreed the terms of reference."


# ---------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("meeting_new", {**meeting_date(31, 2, 2024), "status": "scheduled"}, "The meeting date must be a real date"),
        (
            "meeting_new",
            {**meeting_date(31, "", 2024), "status": "scheduled"},
            "The meeting date must include a month.",
        ),
        ("meeting_new", {**meeting_date("", "", ""), "status": "scheduled"}, "Enter the meeting date."),
        (
            "meeting_new",
            {**meeting_date(1, 7, 2024), **meeting_date(2, 7, 2024, "papers_deadline"), "status": "scheduled"},
            "The papers deadline must be on or before the meeting date.",
        ),
        ("meeting_new", {**meeting_date(17, 4, 2024), "status": "scheduled"}, "already has a meeting on 17 April 2024"),
        ("agenda_item_new", {"agenda-title": " ", "agenda-purpose": "discussion"}, "Enter the item&#x27;s title."),
        ("agenda_item_new", {"agenda-title": "X", "agenda-purpose": "gossip"}, "Choose what the board is asked to do."),
        ("decision_new", {"decision-text": ""}, "Enter what the board decided."),
        (
            "action_arising_new",
            {"arising-description": "Do it.", "arising-owner_name": "", **date_boxes("arising-due_date", 1, 1, 2024)},
            "Enter who will do it: a name or a post.",
        ),
        (
            "action_arising_new",
            {
                "arising-description": "Do it.",
                "arising-owner_name": "Head of SEND",
                **date_boxes("arising-due_date", 1, 1, 2024),
            },
            "The due date must be on or after the meeting date.",
        ),
    ],
)
def test_bad_input_is_a_clear_400_and_nothing_is_written(meeting, officer, client_for, name, data, message):
    url = reverse(f"governance:{name}", args=[meeting.board_id if name == "meeting_new" else meeting.pk])
    before = snapshot()

    response = client_for(officer).post(url, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    if name == "meeting_new":  # the summary links to the box of the date input that is wrong
        assert re.search(r'<a href="#id_(date|papers_deadline)_(day|month)">', page)
    assert snapshot() == before


# Each of the other dated forms takes its date in the GOV.UK date input: the boxes take what people
# type ("3", "03", a two-digit year), and an impossible date is an error on the day box, linked from
# the summary, with nothing written.
DATED_FORMS = ["action_arising_new", "action_arising_done", "risk_rescore"]


def dated_form(name: str, meeting: Meeting, arising: ActionArising, risk: Risk) -> tuple[str, dict[str, str], str]:
    """The form's address, its other answers, and the name its date's boxes are posted under."""
    if name == "action_arising_new":
        data = {"arising-description": "Report monthly.", "arising-owner_name": "Head of SEND"}
        return reverse("governance:action_arising_new", args=[meeting.pk]), data, "arising-due_date"
    if name == "action_arising_done":
        return reverse("governance:action_arising_done", args=[meeting.pk, arising.pk]), {}, "done_on"
    scores = {"likelihood_before": "3", "impact_before": "3", "likelihood_after": "2", "impact_after": "2"}
    data = {**scores, "comment": "Better.", "version": str(risk.version)}
    return reverse("governance:risk_rescore", args=[risk.pk]), data, "next_review_date"


def saved_date(name: str, arising: ActionArising, risk: Risk) -> datetime.date | None:
    if name == "action_arising_new":
        return ActionArising.objects.filter(meeting=arising.meeting).exclude(pk=arising.pk).get().due_date
    if name == "action_arising_done":
        return ActionArising.objects.get(pk=arising.pk).done_on
    return Risk.objects.get(pk=risk.pk).next_review_date


@pytest.mark.parametrize(
    ("name", "typed", "day"),
    [
        ("action_arising_new", ("3", "05", "25"), datetime.date(2025, 5, 3)),
        ("action_arising_done", ("03", "5", "2025"), datetime.date(2025, 5, 3)),
        ("risk_rescore", ("3", "03", "26"), datetime.date(2026, 3, 3)),  # a review is always ahead
    ],
)
def test_a_date_is_taken_in_three_boxes_as_people_type_it(
    name, typed, day, meeting, arising, risk, officer, client_for, time_machine
):
    time_machine.move_to(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC), tick=False)
    url, data, date_name = dated_form(name, meeting, arising, risk)
    client = client_for(officer)

    page = client.get(url).content.decode()
    response = client.post(url, {**data, **date_boxes(date_name, *typed)})

    for part in ("day", "month", "year"):
        assert f'name="{date_name}_{part}"' in page
    assert f'name="{date_name}"' not in page
    assert response.status_code == 302, plain(response)[:2000]
    assert saved_date(name, arising, risk) == day


@pytest.mark.parametrize("name", DATED_FORMS)
def test_an_impossible_date_is_an_error_on_its_box_and_nothing_is_written(
    name, meeting, arising, risk, officer, client_for
):
    url, data, date_name = dated_form(name, meeting, arising, risk)
    before = (snapshot(), list(Risk.objects.values()), Risk.history.count())

    response = client_for(officer).post(url, {**data, **date_boxes(date_name, 31, 2, 2025)})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "must be a real date, like 23 4 2024." in page
    assert f'<a href="#id_{date_name}_day">' in page
    assert re.search(rf'govuk-input--error" id="id_{date_name}_day"', page)
    assert 'value="31"' in page  # what was typed is kept, to be put right
    assert (snapshot(), list(Risk.objects.values()), Risk.history.count()) == before


def test_an_action_of_another_partnership_cannot_go_on_the_agenda(meeting, officer, client_for, other_partnership):
    plan = Plan.objects.create(partnership=other_partnership, title="Elsewhere plan")
    objective = Objective.objects.create(
        priority_area=PriorityArea.objects.create(plan=plan, number=1, title="Voice"), code="1", text="Voice."
    )
    foreign = Action.objects.create(plan=plan, objective=objective, ref="1.1", published_ref="1.1", description="x")

    response = client_for(officer).post(
        reverse("governance:agenda_item_new", args=[meeting.pk]),
        {"agenda-title": "Item", "agenda-purpose": "discussion", "agenda-action": str(foreign.pk)},
    )

    assert response.status_code == 400
    assert "Choose the plan action from the list." in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_an_action_arising_is_marked_done_once(meeting, arising, officer, client_for):
    url = reverse("governance:action_arising_done", args=[meeting.pk, arising.pk])
    client = client_for(officer)
    assert client.post(url, date_boxes("done_on", 18, 4, 2024)).status_code == 302

    response = client.post(url, date_boxes("done_on", 19, 4, 2024))

    assert response.status_code == 400
    assert "already marked done on 18/04/2024" in response.content.decode()
    arising.refresh_from_db()
    assert arising.done_on == datetime.date(2024, 4, 18)


# ---------------------------------------------------------------------------------------------
# The inspection cycle


def test_the_timeline_lists_the_cycle_in_date_order(partnership, scrutiny_member, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2024, 7, 1, 9, tzinfo=datetime.UTC), tick=False)
    for kind, title, day, details in [
        (
            EventKind.IMPROVEMENT_NOTICE,
            "Improvement Notice issued",
            datetime.date(2023, 11, 9),
            {"bodies": "Department for Education", "outcome": "Issued to the council."},
        ),
        (
            EventKind.INSPECTION_REPORT,
            "Inspection report published",
            datetime.date(2023, 9, 15),
            {"bodies": "Ofsted and CQC"},
        ),
        (EventKind.MONITORING_INSPECTION, "Monitoring inspection", datetime.date(2025, 3, 1), {"is_expected": True}),
    ]:
        InspectionEvent.objects.create(partnership=partnership, kind=kind, title=title, date=day, **details)

    page = plain(client_for(scrutiny_member).get(reverse("governance:timeline")))

    assert (
        page.index("Inspection report published")
        < page.index("Improvement Notice issued")
        < page.index("Monitoring inspection")
    )
    assert "9 November 2023: Improvement Notice, Department for Education" in page
    assert "Expected about March 2025: Monitoring inspection Expected" in page


def test_an_expected_event_whose_date_has_passed_reads_as_having_happened(
    partnership, scrutiny_member, client_for, time_machine
):
    time_machine.move_to(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC), tick=False)
    for title, day in (("DfE stocktake visit", datetime.date(2024, 6, 1)), ("Deep dive", datetime.date(2025, 9, 1))):
        InspectionEvent.objects.create(
            partnership=partnership,
            kind=EventKind.STOCKTAKE,
            title=title,
            date=day,
            is_expected=True,
            outcome="Progress against the plan.",
        )

    page = plain(client_for(scrutiny_member).get(reverse("governance:timeline")))

    assert "DfE stocktake visit About June 2024: DfE stocktake What it looked at: Progress against the plan." in page
    assert "Deep dive Expected about September 2025: DfE stocktake Expected What it will look at:" in page


# ---------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize("size", [5, 40])
def test_the_meeting_page_query_count_does_not_grow_with_the_plan(
    size, make_action, make_meeting, make_risk, officer, client_for, django_assert_max_num_queries
):
    from tests.governance.conftest import rate

    actions = [make_action(f"3A{number + 1}", position=number) for number in range(size)]
    make_risk("R1")
    make_risk("R2")
    earlier = make_meeting(datetime.date(2024, 1, 17))
    meeting = make_meeting(datetime.date.today())
    for action in actions[:3]:
        rate(action, officer, "green", datetime.datetime.now(tz=datetime.UTC), evidence="Evidence.")
    AgendaItem.objects.create(meeting=meeting, number=1, title="Highlight report", action=actions[0])
    ActionArising.objects.create(meeting=earlier, description="Open from before.", owner_name="Head of SEND")
    ActionArising.objects.create(meeting=meeting, description="New.", owner_name="Head of SEND")
    client = client_for(officer)
    # Django keeps content types for the life of the process: read the meeting's here, so the
    # count is the same whether or not an earlier test in this process read it.
    ContentType.objects.get_for_model(Meeting)

    # The same pin for 5 and for 40 actions: the plan is read from history in one query. One of
    # them asks whether the reader follows the meeting; eight read the board pack's figures (five the
    # baseline for "slipped since sign-off", the organisations among them; two the indicators and
    # their figures' history with the targets they were rated against; one the recommendations).
    with django_assert_max_num_queries(30):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert f"{size} actions" in plain(response)
