"""The recommendation pages for each role: who reads, who may change, bad input, and query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.choices import Outcome, Respondent, Status
from recommendations.models import ImplementationUpdate, Recommendation, Response

D = datetime.date
READERS = ["officer", "other_officer", "scrutiny_member", "partner_user", "administrator"]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_1_july_2024(time_machine):
    """Nine days after the EYP report's response fell due (22 June 2024)."""
    time_machine.move_to(datetime.datetime(2024, 7, 1, 9, tzinfo=datetime.UTC), tick=False)


def reading_urls(recommendation):
    return [
        reverse("recommendations:tracker"),
        reverse("recommendations:report", args=[recommendation.report_id]),
        reverse("recommendations:detail", args=[recommendation.pk]),
    ]


def form_urls(recommendation):
    return [
        reverse("recommendations:respond", args=[recommendation.pk]),
        reverse("recommendations:update", args=[recommendation.pk]),
        reverse("recommendations:close", args=[recommendation.pk]),
    ]


def response_post(**overrides):
    data = {
        "outcome": Outcome.ACCEPTED,
        "proposed_action": "A youth SEND forum advises the board.",
        "indicative_timescale": "Autumn 2024",
        "reasons": "",
        "lead_cabinet_members": "Cllr Kate Gregory, Cabinet Member for SEND Improvement",
        "given_on_day": "28",
        "given_on_month": "6",
        "given_on_year": "2024",
    }
    data.update(overrides)
    return data


def error_summary(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no GOV.UK error summary on the page"
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)]


# --- Reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_everyone_in_the_partnership_reads_the_tracker_report_and_recommendation(
    recommendation, persona, request, client_for
):
    client = client_for(request.getfixturevalue(persona))

    for url in reading_urls(recommendation):
        response = client.get(url)
        assert response.status_code == 200, url
        assert recommendation.text in response.content.decode(), url


def test_every_deadline_shown_names_its_rule_and_legal_basis(recommendation, officer, client_for):
    client = client_for(officer)

    tracker = client.get(reverse("recommendations:tracker")).content.decode()
    assert "22 June 2024" in tracker and "9 days overdue" in tracker
    assert "Within two months beginning with the date the report was received" in tracker
    assert "Local Government Act 2000, s. 9FE" in tracker
    for url in reading_urls(recommendation)[1:]:
        page = client.get(url).content.decode()
        assert "Response due by <strong>Saturday 22 June 2024</strong>" in page, url
        assert "Legal basis: Local Government Act 2000, section 9FE." in page, url
        assert "9 days overdue" in page, url


def test_status_is_shown_as_text(recommendation, officer, client_for):
    page = client_for(officer).get(recommendation.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Response overdue</strong>' in page


def test_another_partnership_gets_404_for_everything(recommendation, outsider, client_for):
    client = client_for(outsider)

    for url in [*reading_urls(recommendation)[1:], *form_urls(recommendation)]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, response_post()).status_code == 404, url
    assert recommendation.text not in client.get(reverse("recommendations:tracker")).content.decode()
    assert not Response.objects.filter(recommendation__report__partnership__slug="testshire").exists()


def test_signed_out_visitors_are_sent_to_sign_in(recommendation, client_for):
    for url in [*reading_urls(recommendation), *form_urls(recommendation)]:
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["scrutiny_member", "partner_user", "other_officer"])
def test_read_only_users_get_403_on_the_forms_and_nothing_changes(recommendation, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))

    for url in form_urls(recommendation):
        assert client.get(url).status_code == 403, url
    assert client.post(form_urls(recommendation)[0], response_post()).status_code == 403
    update = {"progress": "x", "reported_on_day": "1", "reported_on_month": "7", "reported_on_year": "2024"}
    assert client.post(form_urls(recommendation)[1], update).status_code == 403
    assert client.post(form_urls(recommendation)[2], {"reason": "Done"}).status_code == 403

    recommendation.refresh_from_db()
    assert (
        not Response.objects.filter(recommendation__report__partnership__slug="testshire").exists()
        and not ImplementationUpdate.objects.filter(recommendation__report__partnership__slug="testshire").exists()
    )
    assert recommendation.closed_at is None
    assert "Record the response" not in client.get(recommendation.get_absolute_url()).content.decode()


def test_the_icbs_officer_answers_the_icbs_recommendation_and_the_council_officer_cannot(
    nhs_recommendation, officer, other_officer, client_for
):
    url = reverse("recommendations:respond", args=[nhs_recommendation.pk])
    assert client_for(officer).get(url).status_code == 403
    assert client_for(other_officer).get(url).status_code == 200


# --- Recording a response -----------------------------------------------------------------------


def test_an_officer_records_a_response_and_sees_it_with_its_history(recommendation, officer, client_for):
    client = client_for(officer)
    detail = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Record the response" in detail

    response = client.post(reverse("recommendations:respond", args=[recommendation.pk]), response_post())

    assert response.status_code == 302 and response["Location"] == recommendation.get_absolute_url()
    saved = Response.objects.get(recommendation=recommendation)
    assert (saved.outcome, saved.given_on, saved.recorded_by) == (Outcome.ACCEPTED, D(2024, 6, 28), officer)
    record = saved.history.get()
    assert (record.history_user, record.history_change_reason) == (officer, "Response recorded: Accepted")
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Response to Recommendation 1 saved." in page
    assert '<strong class="govuk-tag govuk-tag--blue">Responded</strong>' in page
    assert "Olivia Officer (TCC)" in page and "Response recorded: Accepted" in page


def test_the_recommendation_and_the_tracker_say_whether_the_response_came_in_time(
    recommendation, make_recommendation, report, officer, administrator, client_for
):
    """Due 22 June 2024: dated 28 June is 6 days late, and stays so when the report is changed later."""
    on_time = make_recommendation("2")
    client = client_for(officer)
    client.post(reverse("recommendations:respond", args=[recommendation.pk]), response_post())
    client.post(reverse("recommendations:respond", args=[on_time.pk]), response_post(given_on_day="21"))
    report.received_on = D(2024, 5, 1)
    services.save_report(report, user=administrator, reason="Date of receipt corrected")

    detail = client.get(recommendation.get_absolute_url()).content.decode()
    tracker = client.get(reverse("recommendations:tracker")).content.decode()

    assert '<strong class="govuk-tag govuk-tag--red">Received 6 days late</strong>' in detail
    assert "Due by 22 June 2024 when it was recorded" in detail
    assert '<dt class="govuk-summary-list__key">Timeliness</dt>' in detail  # not "On time", above "6 days late"
    assert '<strong class="govuk-tag govuk-tag--red">Received 6 days late</strong>' in tracker
    assert '<strong class="govuk-tag govuk-tag--green">Received on time</strong>' in tracker


def test_the_form_shows_the_current_response_for_revision(recommendation, officer, client_for):
    services.record_response(
        recommendation_id=recommendation.pk,
        user=officer,
        outcome=Outcome.REJECTED,
        reasons="Conflict of interest.",
        given_on=D(2024, 6, 1),
    )
    page = client_for(officer).get(reverse("recommendations:respond", args=[recommendation.pk])).content.decode()
    assert "Revise the response" in page
    assert 'value="rejected" aria-describedby="outcome-rejected-hint" checked' in page
    assert "Conflict of interest." in page


@pytest.mark.parametrize(
    ("overrides", "message", "anchor"),
    [
        (
            {"outcome": ""},
            "Select whether the recommendation is accepted, partially accepted or rejected.",
            "id_outcome",
        ),
        (
            {"outcome": "rejected", "indicative_timescale": ""},
            "Give the reasons for rejecting the recommendation.",
            "id_reasons",
        ),
        (
            {"given_on_day": "31", "given_on_month": "2"},
            "The date of the response must be a real date, like 23 4 2024.",
            "id_given_on_day",
        ),
        ({"given_on_year": ""}, "The date of the response must include a year.", "id_given_on_year"),
        (
            {"given_on_day": "", "given_on_month": "", "given_on_year": ""},
            "Enter the date of the response.",
            "id_given_on_day",
        ),
        (
            {"given_on_day": "2", "given_on_month": "7"},
            "The date of the response must be today or in the past.",
            "id_given_on_day",
        ),
    ],
)
def test_bad_input_gets_a_400_with_the_error_summary_and_nothing_is_saved(
    recommendation, officer, client_for, overrides, message, anchor
):
    response = client_for(officer).post(
        reverse("recommendations:respond", args=[recommendation.pk]), response_post(**overrides)
    )

    assert response.status_code == 400
    assert error_summary(response) == [message]
    assert f'href="#{anchor}"' in response.content.decode()
    assert response.content.decode().count("<title>Error: ") == 1
    assert not Response.objects.filter(recommendation__report__partnership__slug="testshire").exists()


# --- Updates, closing, and links with the plan ----------------------------------------------------


def test_an_officer_adds_an_update_linked_to_an_action_and_both_pages_link(recommendation, officer, action, client_for):
    client = client_for(officer)
    services.record_response(
        recommendation_id=recommendation.pk, user=officer, outcome=Outcome.ACCEPTED, given_on=D(2024, 6, 28)
    )
    form = client.get(reverse("recommendations:update", args=[recommendation.pk])).content.decode()
    assert "3A1: Action 3A1" in form

    response = client.post(
        reverse("recommendations:update", args=[recommendation.pk]),
        {
            "reported_on_day": "30",
            "reported_on_month": "6",
            "reported_on_year": "2024",
            "progress": "Timelines mapped with the youth forum.",
            "actions": [str(action.pk)],
        },
    )

    assert response.status_code == 302
    update = ImplementationUpdate.objects.get(recommendation=recommendation)
    assert list(update.actions.all()) == [action]
    detail = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Timelines mapped with the youth forum." in detail
    assert action.get_absolute_url() in detail
    assert '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>' in detail
    # The other way: the action's page lists the recommendation, with its status.
    html = client.get(action.get_absolute_url()).content.decode()
    assert recommendation.get_absolute_url() in html and "In progress" in html


def test_an_update_to_a_closed_recommendation_is_refused_clearly(recommendation, officer, client_for):
    client = client_for(officer)
    response = client.post(reverse("recommendations:close", args=[recommendation.pk]), {"reason": "HOSC satisfied"})
    assert response.status_code == 302

    page = client.get(reverse("recommendations:update", args=[recommendation.pk])).content.decode()
    assert "This recommendation was closed on 1 July 2024, so it cannot take more updates." in page
    assert "Save update" not in page
    response = client.post(
        reverse("recommendations:update", args=[recommendation.pk]),
        {"reported_on_day": "1", "reported_on_month": "7", "reported_on_year": "2024", "progress": "More."},
    )
    assert response.status_code == 400
    assert error_summary(response) == [
        "Recommendation 1 was closed on 1 July 2024, so it cannot take more updates. "
        "An administrator can reopen it if the committee asks for more."
    ]
    assert not ImplementationUpdate.objects.filter(recommendation__report__partnership__slug="testshire").exists()


def test_closing_without_a_reason_is_refused(recommendation, officer, client_for):
    response = client_for(officer).post(reverse("recommendations:close", args=[recommendation.pk]), {"reason": ""})
    assert response.status_code == 400
    assert error_summary(response) == ["Say why the recommendation is being closed."]


# --- The tracker's filters --------------------------------------------------------------------


@pytest.fixture
def mixed(make_report, make_recommendation, hosc, officer, icb):
    """An overdue EYP recommendation, a responded one, an in-time HOSC one for the ICB."""
    overdue = make_recommendation("1")
    responded = make_recommendation("2")
    services.record_response(
        recommendation_id=responded.pk, user=officer, outcome=Outcome.ACCEPTED, given_on=D(2024, 6, 1)
    )
    hosc_report = make_report(
        "CAMHS waiting times", committee=hosc, regime="health_scrutiny_28_days", received_on=D(2024, 6, 20)
    )
    nhs = make_recommendation("1", report=hosc_report, respondent=Respondent.NHS_BODY, respondent_organisation=icb)
    return {"overdue": overdue, "responded": responded, "nhs": nhs}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"overdue", "responded", "nhs"}),
        ({"overdue": "yes"}, {"overdue"}),
        ({"overdue": "no"}, {"responded", "nhs"}),
        ({"status": Status.RESPONDED}, {"responded"}),
        ({"status": Status.AWAITING_RESPONSE}, {"nhs"}),
        ({"respondent": Respondent.NHS_BODY}, {"nhs"}),
        ({"committee": "hosc"}, {"nhs"}),
        ({"report": "eyp"}, {"overdue", "responded"}),
    ],
)
def test_the_tracker_filters(mixed, officer, client_for, hosc, report, query, expected):
    ids = {"hosc": hosc.pk, "eyp": report.pk}
    params = {key: ids.get(value, value) for key, value in query.items()}
    response = client_for(officer).get(reverse("recommendations:tracker"), params)

    assert response.status_code == 200
    shown = {row.recommendation.pk for row in response.context["rows"]}
    assert shown == {mixed[name].pk for name in expected}


def test_the_tracker_shows_days_left_with_the_health_scrutiny_rule(mixed, officer, client_for):
    page = client_for(officer).get(reverse("recommendations:tracker"), {"respondent": "nhs_body"}).content.decode()
    # Requested 20 June 2024: due 18 July 2024.
    assert "18 July 2024" in page and "17 days left" in page
    assert "Within 28 days of the request (Health and Social Care Act 2012; Health Scrutiny Regulations 2013)" in page


def test_a_bad_filter_is_a_400_with_the_error_summary(recommendation, officer, client_for):
    response = client_for(officer).get(reverse("recommendations:tracker"), {"status": "lost"})
    assert response.status_code == 400
    assert error_summary(response) == ["Select a valid choice. lost is not one of the available choices."]


def test_the_tracker_reads_in_a_fixed_number_of_queries(
    make_recommendation, report, officer, client_for, django_assert_max_num_queries
):
    for number in range(1, 4):
        make_recommendation(str(number))
    client = client_for(officer)
    client.get(reverse("recommendations:tracker"))
    for number in range(4, 30):
        make_recommendation(str(number))

    with django_assert_max_num_queries(6):
        response = client.get(reverse("recommendations:tracker"))
    assert len(response.context["rows"]) == 29


def test_the_report_page_reads_in_a_fixed_number_of_queries(
    make_recommendation, report, officer, client_for, django_assert_max_num_queries
):
    for number in range(1, 20):
        make_recommendation(str(number))
    client = client_for(officer)
    client.get(report.get_absolute_url())

    with django_assert_max_num_queries(7):  # one of them: does the reader follow the report?
        response = client.get(report.get_absolute_url())
    assert sum(len(rows) for rows in response.context["lists"].values()) == 19


def test_recommendations_of_another_partnership_never_reach_the_tracker(recommendation, outsider, client_for):
    response = client_for(outsider).get(reverse("recommendations:tracker"))
    assert response.status_code == 200
    # Only Elsewhere's own recommendations (tests/world.py), never Testshire's.
    rows = response.context["rows"]
    assert rows and {row.recommendation.report.partnership_id for row in rows} == {outsider.partnership_id}
    assert not Recommendation.objects.visible_to(outsider).filter(pk=recommendation.pk).exists()
