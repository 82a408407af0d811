"""Recommendations on the dashboard (owed a response, with days left and the rule) and on the
public page (the published responses only)."""

from __future__ import annotations

import datetime

import time_machine
from django.test import Client

from recommendations import services

SECRET = "UNPUBLISHED-response-text-91c2"


@time_machine.travel(datetime.datetime(2024, 6, 10, 12, 0), tick=False)
def test_the_dashboard_lists_recommendations_owed_a_response_with_days_left_and_the_rule(
    recommendation, plan, scrutiny_member, client_for
):
    page = client_for(scrutiny_member).get("/").content.decode()

    assert "1 recommendation is owed a response" in page
    assert recommendation.get_absolute_url() in page
    assert "22 June 2024" in page and "12 days left" in page
    assert "Two months" in page or "two months" in page  # the rule is named beside the date


def test_the_public_page_shows_recommendations_and_only_published_responses(make_recommendation, plan, officer):
    plan.is_public = True
    plan.save()
    published = make_recommendation("1")
    unpublished = make_recommendation("2")
    services.record_response(
        recommendation_id=published.pk,
        user=officer,
        outcome="accepted",
        proposed_action="Termly reports to the committee.",
        indicative_timescale="September 2024",
        given_on=datetime.date(2024, 6, 20),
        is_published=True,
    )
    services.record_response(
        recommendation_id=unpublished.pk,
        user=officer,
        outcome="rejected",
        reasons=f"Not affordable {SECRET}",
        given_on=datetime.date(2024, 6, 20),
        is_published=False,
    )

    page = Client().get(f"/public/{plan.partnership.slug}/").content.decode()

    assert "Scrutiny recommendations and responses" in page
    assert "Response: Accepted" in page and "Termly reports to the committee." in page
    assert "No published response yet." in page
    assert SECRET not in page
