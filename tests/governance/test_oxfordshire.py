"""The sample case's governance: the real boards, events and risks, and demo meetings that differ."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Action, RatingUpdate
from governance.as_it_stood import plan_as_it_stood, read_meeting
from governance.models import ActionArising, Board, BoardMember, InspectionEvent, Meeting, Risk, RiskReview
from send_tracker.accounts.models import Partnership
from send_tracker.sample_data.loader import DEMO_RATING_REASON as DEMO_REASON
from send_tracker.sample_data.loader import load_governance
from send_tracker.sample_data.loader import oxfordshire as oxfordshire_case

pytestmark = pytest.mark.django_db

SIAB = "Oxfordshire SEND Strategic Improvement and Assurance Board"
# The demo is dated from the day it is loaded; loaded on this day, its meetings fall in 2024 as the
# plan's own dates came due, so a meeting sees actions fall overdue (loaded today, all already are).
OXFORDSHIRE_LOADED_ON = datetime.date(2024, 10, 2)


def load_oxfordshire_governance(partnership: Partnership) -> str:
    return load_governance(oxfordshire_case(), partnership)


@pytest.fixture
def oxfordshire(oxfordshire_committed: None) -> Partnership:
    """The whole case, loaded once for the module; each test reads it and rolls back what it changes."""
    return Partnership.objects.get(slug="oxfordshire")


def counts() -> dict[str, int]:
    return {
        "boards": Board.objects.filter(partnership__slug="oxfordshire").count(),
        "members": BoardMember.objects.filter(board__partnership__slug="oxfordshire").count(),
        "meetings": Meeting.objects.filter(board__partnership__slug="oxfordshire").count(),
        "events": InspectionEvent.objects.filter(partnership__slug="oxfordshire").count(),
        "risks": Risk.objects.filter(partnership__slug="oxfordshire").count(),
        "reviews": RiskReview.objects.filter(risk__partnership__slug="oxfordshire").count(),
        "arising": ActionArising.objects.filter(meeting__board__partnership__slug="oxfordshire").count(),
        "action history": Action.history.filter(plan__partnership__slug="oxfordshire").count(),
        "risk history": Risk.history.filter(partnership__slug="oxfordshire").count(),
        "rating updates": RatingUpdate.objects.filter(action__plan__partnership__slug="oxfordshire").count(),
    }


def test_loads_once_and_a_second_run_adds_nothing(oxfordshire):
    first = counts()

    summary = load_oxfordshire_governance(oxfordshire)

    assert counts() == first
    assert "demo rating history already present" in summary
    assert first["boards"] == 9 and first["risks"] == 7 and first["events"] == 9
    assert Board.objects.get(name=SIAB).members.filter(role="chair").get().represents == "Independent"
    organisations = set(
        BoardMember.objects.filter(board__partnership__slug="oxfordshire")
        .exclude(organisation=None)
        .values_list("organisation__short_name", flat=True)
    )
    assert organisations == {"OCC", "BOB ICB", "Oxford Health", "OUH", "PCF"}


def test_the_seed_events_and_risks_are_as_published(oxfordshire):
    events = {event.title: event for event in InspectionEvent.objects.filter(partnership__slug="oxfordshire")}
    assert events["Improvement Notice issued"].date == datetime.date(2023, 11, 9)
    assert events["First DfE deep dive"].date == datetime.date(2024, 3, 25)
    assert events["Joint local area SEND inspection, 2017"].date_label_on(datetime.date(2026, 1, 1)) == (
        "25 to 29 September 2017"
    )
    assert events["Ofsted and CQC monitoring inspection"].is_expected
    risk = Risk.objects.get(reference="R7")
    assert risk.title.startswith("Waiting times for some services will increase")
    assert risk.is_demo_scores and risk.source == (
        "Joint Local Area Inspection of SEND: Written Statement of Action, report to the Health and Wellbeing Board, "
        "8 March 2018"
    )
    assert Risk.history.filter(id=risk.pk).earliest().history_date.date() == datetime.date(2018, 3, 8)


def test_every_demo_action_is_consistent_with_its_latest_history_row(oxfordshire):
    for action in Action.objects.filter(plan__partnership__slug="oxfordshire"):
        latest = action.history.order_by("-history_date", "-history_id").first()
        assert (latest.brag, latest.version) == (action.brag, action.version), action.ref
        demo_versions = action.history.filter(history_change_reason=DEMO_REASON).values_list("version", flat=True)
        assert sorted(action.rating_updates.values_list("version", flat=True)) == sorted(demo_versions), action.ref
    assert (
        Action.history.filter(plan__partnership__slug="oxfordshire", history_change_reason=DEMO_REASON).count()
        == RatingUpdate.objects.filter(action__plan__partnership__slug="oxfordshire").count()
        > 30
    )


def test_the_demo_meetings_show_real_differences(oxfordshire):
    siab = Board.objects.get(name=SIAB)
    meetings = list(siab.meetings.order_by("date"))
    assert len(meetings) == 10 and all(m.is_demo for m in meetings)
    assert [m.status for m in meetings] == ["held"] * 8 + ["scheduled"] * 2
    assert [m.date for m in meetings[-3:]] == [
        datetime.date(2024, 9, 18),
        datetime.date(2024, 10, 14),
        datetime.date(2024, 11, 11),
    ]
    first = plan_as_it_stood(meetings[0].reviewed_plan(), meetings[0].date)
    assert len(first.actions) == 34
    assert first.by_action_id[Action.objects.get(ref="1.2").pk].brag == "green"

    april = next(m for m in meetings if m.date == datetime.date(2024, 4, 17))
    changes = read_meeting(april, april.previous_meeting(), april.reviewed_plan()).changes
    assert changes is not None
    assert {c.after.ref for c in changes.improved} >= {"1.2", "2B1", "4A1", "1.3"}
    assert {c.after.ref for c in changes.first_rated} == {"3B2"}
    assert {u.action.ref for u in changes.new_evidence} == {"1.2", "2B1", "4A1"}
    assert [c.after.reference for c in changes.risks_rescored] == ["R1"]

    may = next(m for m in meetings if m.date == datetime.date(2024, 5, 22))
    changes = read_meeting(may, may.previous_meeting(), may.reviewed_plan()).changes
    assert changes is not None
    # Due at the end of April and not yet Green: overdue at the May meeting for the first time.
    assert {"1.1", "1.3", "3A4", "3B2", "4A3"} <= {row.ref for row in changes.newly_overdue}
    assert {c.after.ref for c in changes.worsened} == {"3B1"}


def test_real_meetings_from_the_seeds_are_not_demo(oxfordshire):
    cabinet = Meeting.objects.get(board__name="Cabinet", date=datetime.date(2023, 10, 17))

    assert not cabinet.is_demo and cabinet.source == (
        "Local Area Partnership SEND Report 2023, Joint Health Overview and Scrutiny Committee to Cabinet, "
        "17 October 2023"
    )
    assert cabinet.agenda_items.get().title.startswith("Local Area Partnership SEND Report 2023")
    # Before the plan was approved, the plan as it stood had no actions.
    assert plan_as_it_stood(cabinet.reviewed_plan(), cabinet.date).actions == []


# Words meant for the developers who loaded the example, not for its readers. ("Seed funding" is
# the committee's own phrase.)
INTERNAL_WORDS = re.compile(r"\bseed\b(?! funding)|demonstration|demo data|Oxfordshire example", re.IGNORECASE)


def test_the_pages_name_their_sources_as_published_and_say_demo_in_plain_words(oxfordshire, client):
    from kpis.models import Indicator
    from send_tracker.accounts.choices import Role
    from tests.conftest import make_user

    council = oxfordshire.organisations.get(kind="council")
    client.force_login(make_user("reader", council, Role.SCRUTINY))
    urls = [
        reverse("governance:index"),
        reverse("governance:timeline"),
        reverse("governance:risks"),
        reverse("kpis:list"),
        *[board.get_absolute_url() for board in Board.objects.filter(partnership=oxfordshire)],
        *[meeting.get_absolute_url() for meeting in Meeting.objects.filter(board__partnership=oxfordshire)],
        *[risk.get_absolute_url() for risk in Risk.objects.filter(partnership=oxfordshire)],
        *[indicator.get_absolute_url() for indicator in Indicator.objects.filter(partnership=oxfordshire)],
        Action.objects.filter(plan__partnership=oxfordshire).first().get_absolute_url(),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = re.sub(r"<[^>]+>", " ", response.content.decode())
        assert not INTERNAL_WORDS.search(text), (url, INTERNAL_WORDS.search(text))
    timeline = client.get(reverse("governance:timeline")).content.decode()
    assert "Source: Joint Local Area Inspection of SEND: Written Statement of Action" in timeline
    assert "were invented to show how the tracker works" in client.get(reverse("governance:risks")).content.decode()
