"""The risk register: scoring, re-scoring at a board, the trend, history, and who may change it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance.choices import RiskLevel, RiskTrend, risk_level
from governance.models import Risk, RiskReview
from governance.services import Scores, StaleRiskError, rescore_risk
from tests.governance.conftest import date_boxes, rescore, rescore_form

pytestmark = pytest.mark.django_db


def plain(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(
    ("score", "level"),
    [(1, RiskLevel.LOW), (4, RiskLevel.LOW), (5, RiskLevel.MEDIUM), (9, RiskLevel.MEDIUM), (10, RiskLevel.HIGH),
     (15, RiskLevel.HIGH), (16, RiskLevel.VERY_HIGH), (25, RiskLevel.VERY_HIGH)],
)  # fmt: skip
def test_scores_fall_into_the_bands_of_the_five_by_five_matrix(score, level):
    assert risk_level(score) == level


def test_a_rescore_at_a_meeting_keeps_the_review_the_trend_and_the_history(make_risk, meeting, officer):
    risk = make_risk("R1", (4, 4, 4, 4))

    review = rescore(
        risk,
        officer,
        (4, 4, 3, 4),
        "Caseworkers recruited.",
        next_review=datetime.date(2024, 7, 17),
        meeting_id=meeting.pk,
        reviewed_on=meeting.date,
    )

    risk.refresh_from_db()
    assert (risk.score_before, risk.score_after, risk.trend, risk.version) == (16, 12, RiskTrend.FALLING, 2)
    assert risk.next_review_date == datetime.date(2024, 7, 17)
    assert (review.meeting, review.reviewed_on, review.previous_score_after) == (
        meeting,
        datetime.date(2024, 4, 17),
        16,
    )
    assert review.reviewed_by_label == "Olivia Officer (TCC)"
    latest = risk.history.latest()
    assert (latest.history_change_reason, latest.history_user, latest.impact_after, latest.likelihood_after) == (
        "Caseworkers recruited.",
        officer,
        4,
        3,
    )
    assert risk.history.count() == 2

    rescore(risk, officer, (4, 4, 4, 4), "Two caseworkers left.", version=2)
    risk.refresh_from_db()
    assert risk.trend == RiskTrend.RISING
    rescore(risk, officer, (5, 4, 4, 4), "More demand, same residual risk.", version=3)
    risk.refresh_from_db()
    assert risk.trend == RiskTrend.STEADY
    assert [r.trend for r in RiskReview.objects.filter(risk=risk).order_by("pk")] == ["falling", "rising", "steady"]


def test_a_demo_score_becomes_real_when_a_person_rescores_it(make_risk, officer):
    risk = make_risk("R1", is_demo_scores=True)

    rescore(risk, officer, (3, 3, 3, 3), "Scored at the Board.")

    risk.refresh_from_db()
    assert risk.is_demo_scores is False


def test_only_the_owners_officers_and_administrators_rescore(make_risk, other_officer, scrutiny_member, administrator):
    risk = make_risk("R1")
    arguments = {
        "scores": Scores(1, 1, 1, 1),
        "comment": "Gone.",
        "based_on_version": 1,
        "next_review_date": datetime.date(2030, 1, 1),
    }

    for user in (other_officer, scrutiny_member):
        with pytest.raises(PermissionDenied):
            rescore_risk(risk_id=risk.pk, user=user, **arguments)
    assert RiskReview.objects.filter(risk=risk).count() == 0 and Risk.objects.get(pk=risk.pk).version == 1

    rescore_risk(risk_id=risk.pk, user=administrator, **arguments)
    assert Risk.objects.get(pk=risk.pk).score_after == 1


def test_a_stale_rescore_is_refused(make_risk, officer, administrator, client_for):
    risk = make_risk("R1")
    rescore(risk, administrator, (5, 5, 5, 5), "Worse.")
    with pytest.raises(StaleRiskError):
        rescore(risk, officer, (1, 1, 1, 1), "Better.")

    response = client_for(officer).post(
        reverse("governance:risk_rescore", args=[risk.pk]),
        rescore_form((1, 1, 1, 1), "My view: better."),
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else re-scored this risk" in page and "My view: better." in page
    assert re.search(r'name="version" value="2"', page)
    assert Risk.objects.get(pk=risk.pk).score_after == 25


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"likelihood_after": "6"}, "Choose the likelihood after mitigation, from 1 to 5."),
        ({"impact_before": ""}, "Choose the impact before mitigation, from 1 to 5."),
        (date_boxes("next_review_date", 1, 1, 2020), "The next review must be after this one."),
        (date_boxes("next_review_date", 31, 2, 2030), "The next review date must be a real date, like 23 4 2024."),
        (date_boxes("next_review_date", "x", 1, 2030), "The next review date must be a real date"),
        (date_boxes("next_review_date", 1, "", 2030), "The next review date must include a month."),
        (date_boxes("next_review_date", "", "", ""), "Enter the next review date."),
        ({"comment": "  "}, "Enter why the scores are what they are."),
    ],
)
def test_bad_scores_are_a_clear_400_and_nothing_changes(make_risk, officer, client_for, change, message):
    risk = make_risk("R1")
    data = {**rescore_form(), **change}

    response = client_for(officer).post(reverse("governance:risk_rescore", args=[risk.pk]), data)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode() and message in response.content.decode()
    risk.refresh_from_db()
    assert (risk.version, risk.score_after, risk.history.count()) == (1, 16, 1)


def test_the_service_refuses_scores_outside_one_to_five(make_risk, officer):
    risk = make_risk("R1")

    with pytest.raises(ValidationError) as refused:
        rescore(risk, officer, (0, 6, 3, 3), "x")

    assert set(refused.value.message_dict) == {"likelihood_before", "impact_before"}


def test_the_register_flags_overdue_reviews_in_words(make_risk, scrutiny_member, client_for):
    make_risk("R1", (5, 4, 4, 4), next_review_date=datetime.date(2024, 5, 1), is_demo_scores=True)
    make_risk("R2", (2, 2, 1, 2), next_review_date=datetime.date(2099, 5, 1))

    page = plain(client_for(scrutiny_member).get(reverse("governance:risks")))

    assert "1 risk overdue for review." in page
    assert "R1 Risk R1: not enough capacity to meet demand Testshire County Council 5 × 4 = 20 Very high " in page
    assert "4 × 4 = 16 Very high Demo scores New 1 May 2024 Review overdue R2" in page
    assert "1 × 2 = 2 Low New 1 May 2099 " in page
    assert page.count("Review overdue") == 1


def test_the_risk_page_shows_its_reviews_and_history(make_risk, meeting, officer, client_for):
    risk = make_risk("R1")
    rescore(
        risk,
        officer,
        (4, 4, 3, 4),
        "Caseworkers recruited.",
        meeting_id=meeting.pk,
        reviewed_on=datetime.date(2024, 4, 17),
    )

    response = client_for(officer).get(risk.get_absolute_url())

    page = plain(response)
    assert "Re-score this risk" in page
    assert "17 April 2024 at SIAB 4 × 4 = 16 3 × 4 = 12 was 16 Falling Caseworkers recruited." in page
    assert "Changed: 3 × 4 = 12 after mitigation" in page
