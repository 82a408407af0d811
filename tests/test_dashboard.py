"""The scrutiny dashboard: what is slipping, with every figure linked, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client

from actions.models import Action


@pytest.fixture
def plan_with_news(make_action, icb):
    make_action("3A1", brag="red", due_date=datetime.date(2026, 12, 31))
    make_action("3A2", due_date=datetime.date(2026, 11, 30))  # due in 8 days, not rated
    make_action("3A3", brag="amber", due_date=datetime.date(2026, 11, 30))  # due soon but on track
    make_action("3A4", brag="green", due_date=datetime.date(2026, 1, 31))  # past but done
    make_action("3A5", brag="amber", due_date=datetime.date(2026, 10, 31), owner=icb)  # overdue


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False)
def test_the_dashboard_lists_what_is_overdue_or_slipping(plan_with_news, scrutiny_member, client_for):
    page = client_for(scrutiny_member).get("/").content.decode()

    assert "Overdue by 22 days" in page  # 3A5
    assert "Rated Red" in page  # 3A1
    assert "Due in 8 days" in page  # 3A2
    assert ">3A3<" not in page and ">3A4<" not in page
    assert "?plan=" in page and "rating=red" in page  # figures link to the lists behind them


def test_a_scrutiny_member_sees_the_dashboard_but_no_way_to_change_anything(
    plan_with_news, scrutiny_member, client_for
):
    page = client_for(scrutiny_member).get("/").content.decode()

    assert "Is the improvement on track?" in page
    assert "Update rating" not in page and '<form method="post" enctype' not in page


def test_the_dashboard_costs_the_same_queries_for_5_and_40_actions(
    make_action, scrutiny_member, client_for, django_assert_max_num_queries
):
    # A councillor: an officer's own panel has its budget of its own (tests/test_mine.py).
    client = client_for(scrutiny_member)
    for n in range(1, 6):
        make_action(f"3A{n}")
    with django_assert_max_num_queries(10):
        client.get("/")
    for n in range(6, 41):
        make_action(f"3A{n}")
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert (
        Action.objects.filter(plan__partnership_id=scrutiny_member.partnership_id).count() == 40
        and response.status_code == 200
    )


def test_signed_out_visitors_are_sent_to_sign_in(db):
    response = Client().get("/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
