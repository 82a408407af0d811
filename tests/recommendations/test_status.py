"""A recommendation's status follows from its response, updates, due date and closure; it is
never typed in. The rule exists twice, in Python and in SQL: these tests hold them together."""

from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine
from django.utils import timezone

from recommendations.choices import Outcome, ResponseRegime, Status
from recommendations.models import ImplementationUpdate, Recommendation, Response, derive_status

D = datetime.date
TODAY = D(2024, 7, 1)
BEFORE = D(2024, 6, 1)
AFTER = D(2024, 8, 1)


def status(**overrides):
    facts = {
        "closed": False,
        "response_required": True,
        "has_response": False,
        "due": D(2024, 6, 22),
        "today": TODAY,
        "has_update": False,
        "latest_update_implemented": False,
    }
    facts.update(overrides)
    return derive_status(**facts)


def test_owed_a_response_and_within_the_period_is_awaiting_response():
    assert status(today=D(2024, 6, 22)) == Status.AWAITING_RESPONSE


def test_owed_a_response_the_day_after_the_period_ends_is_overdue():
    assert status(today=D(2024, 6, 23)) == Status.RESPONSE_OVERDUE


def test_without_a_statutory_period_a_missing_response_is_never_overdue():
    assert status(due=None, today=D(2099, 1, 1)) == Status.AWAITING_RESPONSE


def test_a_response_makes_it_responded_whatever_the_date():
    assert status(has_response=True, today=D(2030, 1, 1)) == Status.RESPONDED


def test_updates_after_a_response_make_it_in_progress_then_implemented():
    assert status(has_response=True, has_update=True) == Status.IN_PROGRESS
    assert status(has_response=True, has_update=True, latest_update_implemented=True) == Status.IMPLEMENTED


def test_progress_without_the_statutory_response_still_shows_the_response_is_owed():
    assert status(has_update=True, latest_update_implemented=True) == Status.RESPONSE_OVERDUE


def test_closed_outweighs_everything():
    assert status(closed=True) == Status.CLOSED
    assert status(closed=True, has_response=True, has_update=True, latest_update_implemented=True) == Status.CLOSED


def test_for_information_only_needs_no_response_but_can_report_progress():
    assert status(response_required=False) == Status.NO_RESPONSE_REQUIRED
    assert status(response_required=False, has_update=True) == Status.IN_PROGRESS


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2024, 7, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_the_sql_annotation_agrees_with_the_python_rule_in_every_case(make_report, officer):
    reports = {
        "past": make_report("Past", received_on=D(2024, 4, 23)),  # due 22 June 2024
        "future": make_report("Future", received_on=D(2024, 6, 20)),  # due 19 August 2024
        "none": make_report("No clock", regime=ResponseRegime.NONE),
    }
    update_histories = {
        "none": [],
        "progress": [(BEFORE, False)],
        "implemented": [(BEFORE, False), (TODAY, True)],
        "implemented then not": [(BEFORE, True), (TODAY, False)],
    }
    cases = list(itertools.product([False, True], [False, True], [False, True], reports, update_histories))
    for number, (closed, required, responded, due, history) in enumerate(cases, start=1):
        rec = Recommendation.objects.create(
            report=reports[due],
            number=str(number),
            text="Recommendation",
            response_required=required,
            closed_at=timezone.now() if closed else None,
        )
        if responded:
            Response.objects.create(recommendation=rec, outcome=Outcome.ACCEPTED)
        for reported_on, implemented in update_histories[history]:
            ImplementationUpdate.objects.create(
                recommendation=rec, reported_on=reported_on, progress="Progress", implemented=implemented
            )

    testshire = Recommendation.objects.filter(report__partnership__slug="testshire")
    annotated = {rec.pk: rec.status for rec in testshire.with_status(TODAY)}
    assert len(annotated) == len(cases) == 96
    seen = set()
    for rec in testshire.select_related("report"):
        python = rec.status_on(TODAY)
        assert annotated[rec.pk] == python, (rec.number, cases[int(rec.number) - 1])
        seen.add(python)
    assert seen == set(Status)


@pytest.mark.django_db
def test_overdue_lists_only_recommendations_owed_a_response_past_their_period(make_report, make_recommendation):
    overdue = make_recommendation("1")
    answered = make_recommendation("2")
    Response.objects.create(recommendation=answered, outcome=Outcome.REJECTED, reasons="No.")
    make_recommendation("3", response_required=False)
    in_time = make_recommendation("1", report=make_report("Later", received_on=D(2024, 6, 30)))

    testshire = Recommendation.objects.filter(report__partnership__slug="testshire")
    assert list(testshire.overdue(D(2024, 6, 23))) == [overdue]
    assert list(testshire.overdue(D(2024, 6, 22))) == []
    assert in_time not in testshire.overdue(D(2024, 8, 29))
    assert in_time in testshire.overdue(D(2024, 8, 30))
