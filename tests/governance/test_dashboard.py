"""The dashboard's governance section: the next meetings, and what changed since the last one."""

from __future__ import annotations

import datetime

import time_machine

from .conftest import at


def test_the_dashboard_shows_the_next_meeting_and_what_changed_since_the_last(
    history, make_meeting, scrutiny_member, client_for
):
    make_meeting(datetime.date(2024, 7, 17))
    with time_machine.travel(at(2024, 4, 19), tick=False):
        page = client_for(scrutiny_member).get("/").content.decode()

    assert "Testshire SEND Improvement and Assurance Board, Wednesday 17 July 2024" in page
    assert "Since" in page and "17 April 2024" in page
    # On 18 April 3A2 went from Red to Amber: the only change after the second meeting.
    assert "1 rating went up" in page and ">3A2</a> now Amber" in page
    assert "0 ratings went down" in page


def test_a_chosen_board_that_has_not_met_says_so(history, scrutiny_member, client_for):
    with time_machine.travel(at(2024, 1, 1), tick=False):
        page = client_for(scrutiny_member).get("/").content.decode()

    assert "No board has met yet." in page


def test_the_dashboard_with_meetings_and_recommendations_stays_within_ten_queries(
    history, make_meeting, officer, client_for, django_assert_max_num_queries
):
    make_meeting(datetime.date(2024, 7, 17))
    client = client_for(officer)
    with time_machine.travel(at(2024, 4, 19), tick=False):
        client.get("/")
        with django_assert_max_num_queries(10):
            response = client.get("/")
    assert response.status_code == 200
