"""The HOSC report to Cabinet (2023) and the EYP pro forma (2024), loaded into the Oxfordshire partnership."""

from __future__ import annotations

import datetime

import pytest

from actions.models import Action
from governance.models import Board
from recommendations.choices import Outcome, Respondent, ResponseRegime, Status
from recommendations.models import Recommendation, Report
from send_tracker.accounts.models import Partnership
from send_tracker.sample_data import loader

D = datetime.date
pytestmark = pytest.mark.django_db


def load_oxfordshire_recommendations(partnership: Partnership) -> str:
    return loader.load_recommendations(loader.oxfordshire(), partnership)


@pytest.fixture
def oxfordshire() -> Partnership:
    """The real case as the plan's loader leaves it: partnership, partners, boards, the PAP."""
    case = loader.oxfordshire()
    partnership = loader.load_partnership(case)
    organisations = loader.load_partners(case, partnership)
    loader.load_boards(case, partnership)
    plan, _ = loader.load_plan(case, partnership)
    loader.assign_owners(case, plan, organisations)
    return partnership


def test_the_hosc_report_of_17_october_2023_with_its_13_recommendations(oxfordshire):
    load_oxfordshire_recommendations(oxfordshire)

    report = Report.objects.get(partnership=oxfordshire, title="Local Area Partnership SEND Report 2023")
    assert report.committee.name == "Joint Health Overview and Scrutiny Committee"
    assert report.regime == ResponseRegime.HEALTH_SCRUTINY
    assert (report.received_on, report.response_due_date) == (D(2023, 10, 17), D(2023, 11, 14))
    assert report.meeting_date == D(2023, 9, 21)
    assert "update HOSC for 12 months" in report.notes
    recommendations = list(report.recommendations.order_by("position"))
    assert [(r.list_name, r.number) for r in recommendations] == [
        *[("Overarching", str(n)) for n in range(1, 8)],
        *[("HOSC", str(n)) for n in range(1, 7)],
    ]
    overarching_2 = recommendations[1]
    assert "explicit Key Performance Indicators for measuring the effectiveness of improvements" in overarching_2.text
    assert overarching_2.respondent == Respondent.PARTNERSHIP
    assert [b.name for b in overarching_2.joint_with.all()] == ["People Overview and Scrutiny Committee"]
    assert recommendations[2].text.startswith("For the Leadership to adopt restorative thinking")  # "Forthe" mended
    last = recommendations[-1]
    assert last.text.startswith("To work on reducing waiting times for CAMHS services")
    assert last.response_required is False and "no response is required" in last.note
    assert last.respondent == Respondent.NHS_BODY and last.respondent_organisation.short_name == "BOB ICB"
    assert all(r.respondent == Respondent.CABINET for r in recommendations[7:12])
    # The seed gives no responses: each one owed is long overdue.
    statuses = {r.status for r in Recommendation.objects.filter(report=report).with_status(D(2024, 1, 1))}
    assert statuses == {Status.RESPONSE_OVERDUE, Status.NO_RESPONSE_REQUIRED}


def test_the_eyp_response_pro_forma_with_its_responses(oxfordshire):
    load_oxfordshire_recommendations(oxfordshire)

    report = Report.objects.get(partnership=oxfordshire, title="Update on the Priority Action Plan")
    assert report.committee.short_name == "EYP"
    assert report.regime == ResponseRegime.OVERVIEW_AND_SCRUTINY
    # Requested 23 April 2024: two months beginning with that day end on 22 June 2024.
    assert (report.received_on, report.response_due_date) == (D(2024, 4, 23), D(2024, 6, 22))
    assert "it is noted that the PAP was developed" in report.response_to_report  # "itis" mended
    first, second = report.recommendations.order_by("position")
    assert first.text == (
        "That the Council should ensure that the voice of children and young people is sought and heard more "
        "clearly within the Priority Action Plan and within the work arising from it."
    )
    assert first.response.outcome == Outcome.ACCEPTED
    assert "A youth SEND forum has been established" in first.response.proposed_action
    assert first.response.indicative_timescale == "Autumn 2024"
    assert first.response.lead_cabinet_member_list == [
        "Cllr John Howson, Cabinet Member for Children, Education, and Young People’s Services",
        "Cllr Kate Gregory, Cabinet Member for SEND Improvement",
    ]
    assert second.text.endswith("invited to sit on the Task and Finish groups.")
    assert second.response.outcome == Outcome.REJECTED
    assert "It blurs the political/ operational boundary" in second.response.reasons
    assert second.response.indicative_timescale == ""
    assert first.status_on(D(2024, 7, 1)) == Status.RESPONDED
    record = first.response.history.get()
    assert record.history_user is None
    assert record.history_change_reason == "Loaded from the EYP response pro forma, April 2024"


def test_recommendations_are_linked_to_the_plan_actions_they_ask_for(oxfordshire):
    load_oxfordshire_recommendations(oxfordshire)

    kpis = Recommendation.objects.get(report__partnership=oxfordshire, list_name="Overarching", number="2")
    assert [a.ref for a in kpis.actions.all()] == ["1.4"]
    voice = Action.objects.get(plan__partnership=oxfordshire, ref="1.1")
    assert [r.reference for r in voice.recommendations.all()] == ["Recommendation 1"]


def test_loading_twice_changes_nothing_and_keeps_an_administrators_edits(oxfordshire):
    first = load_oxfordshire_recommendations(oxfordshire)
    assert first == (
        "Scrutiny recommendations: 2 reports, 15 recommendations, 2 responses "
        "(added 2 reports, 15 recommendations, 2 responses, 9 links to PAP actions)"
    )
    edited = Recommendation.objects.get(report__partnership=oxfordshire, list_name="HOSC", number="3")
    edited.text = "Corrected by an administrator."
    edited.save()

    second = load_oxfordshire_recommendations(oxfordshire)

    assert second.endswith("(added 0 reports, 0 recommendations, 0 responses, 0 links to PAP actions)")
    assert Recommendation.objects.filter(report__partnership=oxfordshire).count() == 15
    edited.refresh_from_db()
    assert edited.text == "Corrected by an administrator."
    assert Board.objects.filter(partnership=oxfordshire, name__contains="Overview and Scrutiny").count() == 3


def test_the_loader_works_before_the_plan_and_creates_the_committees_it_needs(partnership, council):
    summary = load_oxfordshire_recommendations(partnership)

    assert "15 recommendations, 2 responses" in summary and "0 links" in summary
    assert set(Board.objects.filter(partnership=partnership).values_list("short_name", flat=True)) == {
        "HOSC",
        "EYP",
        "",
    }
