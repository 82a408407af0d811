"""Writes through recommendations.services: the rules, who may make them, and the history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from recommendations import services
from recommendations.choices import Outcome, ResponseRegime, Status
from recommendations.models import ImplementationUpdate, Recommendation, Response

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_1_july_2024(time_machine):
    time_machine.move_to(datetime.datetime(2024, 7, 1, 9, tzinfo=datetime.UTC), tick=False)


def respond(recommendation, user, **overrides):
    fields = {
        "outcome": Outcome.ACCEPTED,
        "proposed_action": "A youth SEND forum advises the improvement board.",
        "indicative_timescale": "Autumn 2024",
        "lead_cabinet_members": "Cllr Kate Gregory, Cabinet Member for SEND Improvement",
        "given_on": D(2024, 6, 20),
    }
    fields.update(overrides)
    return services.record_response(recommendation_id=recommendation.pk, user=user, **fields)


# --- The stored response due date ---------------------------------------------------------------


def test_saving_a_report_stores_its_due_date_and_rule(report):
    assert report.response_due_date == D(2024, 6, 22)
    assert report.response_due_rule == "overview_scrutiny_two_months"
    assert report.response_deadline.rule.citation == "Local Government Act 2000, s. 9FE"


def test_changing_the_regime_or_the_date_of_receipt_recomputes_the_stored_date(report, administrator):
    report.regime = ResponseRegime.HEALTH_SCRUTINY
    report.received_on = D(2026, 3, 1)
    services.save_report(report, user=administrator, reason="Corrected: a HOSC request")

    report.refresh_from_db()
    assert (report.response_due_date, report.response_due_rule) == (D(2026, 3, 29), "health_scrutiny_28_days")
    record = report.history.first()
    assert (record.history_user, record.history_change_reason) == (administrator, "Corrected: a HOSC request")

    report.regime = ResponseRegime.NONE
    services.save_report(report, user=administrator, reason="No statutory period")
    report.refresh_from_db()
    assert (report.response_due_date, report.response_due_rule) == (None, "")


def test_only_an_administrator_sets_up_a_report(report, officer):
    report.title = "Renamed"
    with pytest.raises(PermissionDenied):
        services.save_report(report, user=officer, reason="Trying")


def test_a_report_cannot_name_another_partnerships_committee(make_report, other_partnership):
    from governance.models import Board

    foreign = Board.objects.create(partnership=other_partnership, name="Elsewhere HOSC", kind="scrutiny_committee")
    with pytest.raises(ValidationError) as refused:
        make_report("Wrong committee", committee=foreign)
    assert "same partnership" in refused.value.message_dict["committee"][0]


# --- Responses ---------------------------------------------------------------------------------


def test_an_officer_of_the_council_records_the_cabinets_response_with_history(recommendation, officer):
    response = respond(recommendation, officer)

    response.refresh_from_db()
    assert response.outcome == Outcome.ACCEPTED
    assert response.recorded_by == officer
    assert response.lead_cabinet_member_list == ["Cllr Kate Gregory, Cabinet Member for SEND Improvement"]
    record = response.history.get()
    assert record.history_user == officer
    assert record.history_change_reason == "Response recorded: Accepted"
    assert recommendation.status_on(D(2024, 7, 1)) == Status.RESPONDED


def test_revising_a_response_keeps_the_first_in_history(recommendation, officer, administrator):
    respond(recommendation, officer)
    respond(recommendation, administrator, outcome=Outcome.PARTIALLY_ACCEPTED, reasons="Not the funding part.")

    assert Response.objects.filter(recommendation__report__partnership__slug="testshire").count() == 1
    history = list(
        Response.history.filter(recommendation_id=recommendation.pk)
        .order_by("history_date", "history_id")
        .values_list("outcome", "history_user", "history_change_reason")
    )
    assert history == [
        (Outcome.ACCEPTED, officer.pk, "Response recorded: Accepted"),
        (Outcome.PARTIALLY_ACCEPTED, administrator.pk, "Response revised: Partially accepted"),
    ]


def test_a_response_keeps_the_due_date_it_answered_and_whether_it_came_in_time(
    recommendation, make_recommendation, officer, administrator
):
    """Due 22 June 2024. A later change to the report cannot rewrite whether it came in time."""
    late = respond(recommendation, officer, given_on=D(2024, 6, 30))
    on_time = respond(make_recommendation("2"), officer, given_on=D(2024, 6, 22))

    late.refresh_from_db()
    assert (late.due_on_receipt, late.due_rule_on_receipt) == (D(2024, 6, 22), "overview_scrutiny_two_months")
    assert (late.days_late, late.timeliness) == (8, "Received 8 days late")
    assert (on_time.days_late, on_time.timeliness) == (0, "Received on time")

    report = recommendation.report
    report.received_on = D(2024, 5, 20)
    services.save_report(report, user=administrator, reason="Date of receipt corrected")
    respond(recommendation, officer, given_on=D(2024, 6, 30), outcome=Outcome.PARTIALLY_ACCEPTED, reasons="Cost.")

    late.refresh_from_db()
    assert report.response_due_date == D(2024, 7, 19)
    assert (late.due_on_receipt, late.days_late) == (D(2024, 6, 22), 8)


def test_a_response_with_no_statutory_period_or_no_date_says_nothing_of_timeliness(
    make_report, make_recommendation, officer
):
    undated = services.record_response(
        recommendation_id=make_recommendation("3").pk, user=None, outcome=Outcome.ACCEPTED, given_on=None
    )
    no_period = respond(make_recommendation("4", report=make_report("No clock", regime=ResponseRegime.NONE)), officer)

    assert (undated.due_on_receipt, undated.days_late, undated.timeliness) == (D(2024, 6, 22), None, "")
    assert (no_period.due_on_receipt, no_period.days_late, no_period.timeliness) == (None, None, "")


def test_a_response_without_an_outcome_is_refused_clearly(recommendation, officer):
    with pytest.raises(ValidationError) as refused:
        respond(recommendation, officer, outcome="")

    assert refused.value.message_dict["outcome"] == [
        "Select whether the recommendation is accepted, partially accepted or rejected."
    ]
    assert not Response.objects.filter(recommendation__report__partnership__slug="testshire").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"outcome": "maybe"}, "outcome", "Select whether the recommendation is accepted"),
        ({"outcome": Outcome.REJECTED, "indicative_timescale": ""}, "reasons", "Give the reasons for rejecting"),
        ({"outcome": Outcome.PARTIALLY_ACCEPTED}, "reasons", "Say which part is not accepted"),
        ({"outcome": Outcome.REJECTED, "reasons": "No."}, "indicative_timescale", "has no timescale"),
        ({"given_on": None}, "given_on", "Enter the date of the response"),
        ({"given_on": D(2024, 7, 2)}, "given_on", "today or in the past"),
    ],
)
def test_bad_responses_are_refused_with_the_field_named(recommendation, officer, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        respond(recommendation, officer, **overrides)

    assert message in refused.value.message_dict[field][0]
    assert not Response.objects.filter(recommendation__report__partnership__slug="testshire").exists()


@pytest.mark.parametrize("persona", ["other_officer", "scrutiny_member", "partner_user", "outsider"])
def test_others_cannot_record_the_cabinets_response(recommendation, persona, request):
    with pytest.raises(PermissionDenied):
        respond(recommendation, request.getfixturevalue(persona))
    assert not Response.objects.filter(recommendation__report__partnership__slug="testshire").exists()


def test_an_nhs_bodys_recommendation_is_answered_by_its_officers_not_the_councils(
    nhs_recommendation, officer, other_officer, administrator
):
    with pytest.raises(PermissionDenied):
        respond(nhs_recommendation, officer)
    assert respond(nhs_recommendation, other_officer).recorded_by == other_officer
    assert respond(nhs_recommendation, administrator).recorded_by == administrator


def test_permission_is_checked_before_the_input(recommendation, scrutiny_member):
    with pytest.raises(PermissionDenied):
        respond(recommendation, scrutiny_member, outcome="")


# --- Implementation updates and closing ----------------------------------------------------------


def test_an_update_links_actions_to_the_recommendation_too(recommendation, officer, action):
    respond(recommendation, officer)
    update = services.add_implementation_update(
        recommendation_id=recommendation.pk,
        user=officer,
        progress="The youth SEND forum met twice.",
        reported_on=D(2024, 6, 30),
        action_ids=[action.pk],
    )

    assert list(update.actions.all()) == [action]
    assert list(action.recommendations.all()) == [recommendation]
    assert update.created_by == officer and update.created_by_label == "Olivia Officer (TCC)"
    history = (
        ImplementationUpdate.history.filter(id=update.pk)
        .order_by("history_id")
        .values_list("history_type", "history_user", "history_change_reason")
    )
    assert list(history) == [
        ("+", officer.pk, "Update: progress reported"),
        ("~", officer.pk, "Linked to PAP 3A1"),
    ]
    linked = recommendation.history.latest()
    assert (linked.history_user, linked.history_change_reason) == (officer, "Linked to PAP 3A1")
    assert [row.action_id for row in linked.actions.all()] == [action.pk]
    assert recommendation.status_on(D(2024, 7, 1)) == Status.IN_PROGRESS


def test_an_implemented_update_marks_it_implemented(recommendation, officer):
    respond(recommendation, officer)
    services.add_implementation_update(
        recommendation_id=recommendation.pk,
        user=officer,
        progress="The consultation mechanism is live.",
        reported_on=D(2024, 7, 1),
        implemented=True,
    )
    assert recommendation.status_on(D(2024, 7, 1)) == Status.IMPLEMENTED


def test_an_update_cannot_link_another_partnerships_action(recommendation, officer, other_partnership):
    from actions.models import Action, Objective, Plan, PriorityArea

    plan = Plan.objects.create(partnership=other_partnership, title="Elsewhere plan")
    area = PriorityArea.objects.create(plan=plan, number=1, title="Voice")
    objective = Objective.objects.create(priority_area=area, code="1", text="Voice")
    foreign = Action.objects.create(plan=plan, objective=objective, ref="1.1", published_ref="1.1", description="X")

    with pytest.raises(ValidationError) as refused:
        services.add_implementation_update(
            recommendation_id=recommendation.pk,
            user=officer,
            progress="Progress.",
            reported_on=D(2024, 6, 30),
            action_ids=[foreign.pk],
        )
    assert "your partnership's plan" in refused.value.message_dict["actions"][0]
    assert not ImplementationUpdate.objects.filter(recommendation__report__partnership__slug="testshire").exists()


def test_an_update_without_progress_or_date_is_refused(recommendation, officer):
    with pytest.raises(ValidationError) as refused:
        services.add_implementation_update(
            recommendation_id=recommendation.pk, user=officer, progress="  ", reported_on=None
        )
    assert set(refused.value.message_dict) == {"progress", "reported_on"}


def test_a_closed_recommendation_refuses_updates_and_responses_clearly(recommendation, officer):
    services.close_recommendation(recommendation_id=recommendation.pk, user=officer, reason="Committee satisfied")

    with pytest.raises(ValidationError) as refused:
        services.add_implementation_update(
            recommendation_id=recommendation.pk, user=officer, progress="More.", reported_on=D(2024, 7, 1)
        )
    message = refused.value.messages[0]
    assert message.startswith("Recommendation 1 was closed on 1 July 2024, so it cannot take more updates.")
    with pytest.raises(ValidationError, match="cannot take a response"):
        respond(recommendation, officer)
    assert (
        not ImplementationUpdate.objects.filter(recommendation__report__partnership__slug="testshire").exists()
        and not Response.objects.filter(recommendation__report__partnership__slug="testshire").exists()
    )


def test_closing_records_who_and_why_and_only_an_administrator_reopens(recommendation, officer, administrator):
    services.close_recommendation(recommendation_id=recommendation.pk, user=officer, reason="Implemented in full")

    recommendation.refresh_from_db()
    assert recommendation.closed_by == officer and recommendation.closed_reason == "Implemented in full"
    record = recommendation.history.latest()
    assert (record.history_user, record.history_change_reason) == (officer, "Closed: Implemented in full")
    assert Recommendation.objects.with_status(D(2024, 7, 1)).get(pk=recommendation.pk).status == Status.CLOSED

    with pytest.raises(ValidationError, match="already closed"):
        services.close_recommendation(recommendation_id=recommendation.pk, user=officer, reason="Again")
    with pytest.raises(PermissionDenied):
        services.reopen_recommendation(recommendation_id=recommendation.pk, user=officer, reason="More")
    services.reopen_recommendation(recommendation_id=recommendation.pk, user=administrator, reason="HOSC asks more")
    recommendation.refresh_from_db()
    assert recommendation.closed_at is None


def test_closing_needs_a_reason(recommendation, officer):
    with pytest.raises(ValidationError) as refused:
        services.close_recommendation(recommendation_id=recommendation.pk, user=officer, reason=" ")
    assert "reason" in refused.value.message_dict
