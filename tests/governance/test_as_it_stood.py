"""The plan "as it stood" at a meeting, and what changed since the board's previous meeting."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action
from governance.as_it_stood import plan_as_it_stood, read_meeting, risks_as_they_stood

pytestmark = pytest.mark.django_db


def refs_and_ratings(reading) -> dict[str, str | None]:
    return {row.published_ref: row.brag for row in reading.actions}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_plan_as_it_stood_at_each_meeting_comes_from_history(history):
    first = plan_as_it_stood(history.first.reviewed_plan(), history.first.date)
    second = plan_as_it_stood(history.second.reviewed_plan(), history.second.date)

    assert refs_and_ratings(first) == {"3A1": "amber", "3A2": "red", "3A3": "green", "3A4": None, "3A5": "grey"}
    # 3A5 was rated on the morning of the meeting: in. 3A2's rating of the next day: out.
    assert refs_and_ratings(second) == {"3A1": "green", "3A2": "red", "3A3": "amber", "3A4": "red", "3A5": "amber"}
    assert Action.objects.get(pk=history.actions["3A2"].pk).brag == "amber"
    assert second.by_action_id[history.actions["3A1"].pk].brag_commentary == "Green on 01 February 2024."
    assert [row.published_ref for row in second.overdue] == ["3A2", "3A4"]


def test_a_meeting_before_the_plan_existed_sees_no_actions(history, make_meeting):
    before = make_meeting(datetime.date(2023, 11, 1))

    assert plan_as_it_stood(before.reviewed_plan(), before.date).actions == []


def test_changed_since_the_previous_meeting(history):
    reading = read_meeting(history.second, history.second.previous_meeting(), history.second.reviewed_plan())
    changes = reading.changes

    assert changes is not None and changes.previous == history.first
    assert [(c.after.published_ref, c.before_brag, c.after.brag) for c in changes.improved] == [
        ("3A1", "amber", "green"),
        ("3A5", "grey", "amber"),
    ]
    assert [(c.after.published_ref, c.before_brag, c.after.brag) for c in changes.worsened] == [
        ("3A3", "green", "amber")
    ]
    assert [(c.after.published_ref, c.before_brag, c.after.brag) for c in changes.first_rated] == [("3A4", None, "red")]
    assert [(u.action.ref, u.evidence_text) for u in changes.new_evidence] == [
        ("3A1", "Process maps of every timeline.")
    ]
    # 3A2 fell due on 31 March, between the meetings, and was still Red; 3A4 was overdue already;
    # 3A5 is due on the meeting day itself, so not yet overdue.
    assert [row.published_ref for row in changes.newly_overdue] == ["3A2"]
    assert [(c.after.reference, c.before.score_after, c.after.score_after) for c in changes.risks_rescored] == [
        ("R1", 16, 12)
    ]
    assert [risk.reference for risk in changes.risks_added] == ["R3"]


def test_the_first_meeting_of_a_board_has_nothing_to_compare_with(history):
    assert history.first.previous_meeting() is None
    assert read_meeting(history.first, None, history.first.reviewed_plan()).changes is None


def test_the_register_as_it_stood(history):
    first = {
        r.reference: r.score_after for r in risks_as_they_stood(history.first.board.partnership_id, history.first.date)
    }
    second = {
        r.reference: r.score_after
        for r in risks_as_they_stood(history.second.board.partnership_id, history.second.date)
    }

    assert first == {"R1": 16, "R2": 6}
    assert second == {"R1": 12, "R2": 6, "R3": 2}


def test_the_meeting_page_shows_the_plan_then_and_the_changes(history, scrutiny_member, client_for):
    page = text(client_for(scrutiny_member).get(history.second.get_absolute_url()))

    assert "Changed since the previous meeting" in page
    assert "Since the meeting of 17 January 2024, up to the end of 17 April 2024." in plain(page)
    assert re.search(r"Ratings up.*3A1</a>: <strong[^>]*>Amber</strong> to <strong[^>]*>Green</strong>", page)
    assert re.search(r"Ratings down.*3A3</a>: <strong[^>]*>Green</strong> to <strong[^>]*>Amber</strong>", page)
    assert re.search(
        r"Rated for the first time.*3A4</a>: <strong[^>]*>Not yet rated</strong> to <strong[^>]*>Red</strong>", page
    )
    assert "Process maps of every timeline." in page
    assert re.search(r"Newly overdue.*3A2</a>: due 31 March 2024, rated Red at this meeting", page)
    assert "after mitigation 16 (Very high) to 12 (High), risk falling" in page
    assert "5 actions, 2 overdue then" in plain(page)


def test_the_full_plan_page_shows_each_rating_then_not_now(history, scrutiny_member, client_for):
    response = client_for(scrutiny_member).get(reverse("governance:meeting_plan", args=[history.first.pk]))

    assert response.status_code == 200
    page = text(response)
    assert "The plan as it stood on 17 January 2024" in page
    row = re.search(r"3A2</a></th>(.*?)</tr>", page)
    assert row and ">Red</strong>" in row.group(1) and "Amber" not in row.group(1)
    row = re.search(r"3A1</a></th>(.*?)</tr>", page)
    assert row and ">Amber</strong>" in row.group(1) and "Amber on 10 January 2024." in row.group(1)


@pytest.mark.parametrize("size", [5, 40])
def test_reading_the_plan_as_it_stood_costs_two_queries_whatever_its_size(
    size, make_action, make_meeting, django_assert_num_queries
):
    for number in range(size):
        make_action(f"3A{number + 1}")
    meeting = make_meeting(datetime.date.today())
    plan = meeting.reviewed_plan()

    with django_assert_num_queries(2):
        reading = plan_as_it_stood(plan, meeting.date)
    assert len(reading.actions) == size


def test_the_plan_page_of_a_meeting_not_yet_held_reads_the_plan_as_it_stands_today(
    history, scrutiny_member, client_for
):
    # On 5 February, before the second meeting (17 April): 3A1's Green of 1 February is there, 3A4
    # is not rated yet (1 March), and only 3A4 (due 31 December) is overdue: 3A2, due 31 March, is
    # not overdue yet, though it would be on the meeting's day.
    with time_machine.travel(datetime.datetime(2024, 2, 5, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        response = client_for(scrutiny_member).get(reverse("governance:meeting_plan", args=[history.second.pk]))

    page = plain(text(response)).replace("&#x27;", "'")
    assert "The plan as it stands on 5 February 2024" in page
    assert "as it stood on" not in page
    assert "the meeting's day is not over yet" in page
    assert "5 actions, 1 overdue now" in page
    html = text(response)
    row = re.search(r"3A1</a></th>(.*?)</tr>", html)
    assert row and ">Green</strong>" in row.group(1)
    row = re.search(r"3A4</a></th>(.*?)</tr>", html)
    assert row and ">Red</strong>" not in row.group(1)
