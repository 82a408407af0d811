"""The partner API for scrutiny recommendations and the respondents' responses."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from recommendations import services
from recommendations.choices import Outcome, Respondent, ResponseRegime
from recommendations.models import ImplementationUpdate, Recommendation, Report, Response

from . import world

FIELDS = [
    "id",
    "number",
    "text",
    "report",
    "committee",
    "respondent",
    "status",
    "response_due",
    "deadline_rule",
    "response",
]
RESPONSE_SUMMARY_FIELDS = [
    "outcome",
    "proposed_action",
    "indicative_timescale",
    "given_on",
    "due_on_receipt",
    "days_late",
    "received_on_time",
]
# The report is received on 23 April 2024; under the two-month rule a response is due by 22 June.
BEFORE_DUE = datetime.datetime(2024, 6, 22, 12, tzinfo=datetime.UTC)
AFTER_DUE = datetime.datetime(2024, 6, 24, 12, tzinfo=datetime.UTC)


def recommend(report: Report, number: str, **fields: Any) -> Recommendation:
    values: dict[str, Any] = {"text": f"Recommendation {number}.", "respondent": Respondent.CABINET}
    values.update(fields)
    return Recommendation.objects.create(report=report, number=number, position=int(number), **values)


def answer(recommendation: Recommendation, outcome: str = Outcome.ACCEPTED, **fields: Any) -> Response:
    values: dict[str, Any] = {"proposed_action": "As recommended.", "indicative_timescale": "By March 2025"}
    values.update(fields)
    return Response.objects.create(recommendation=recommendation, outcome=outcome, **values)


def results(client, path: str = "/api/v1/recommendations/", **params: Any) -> list[dict[str, Any]]:
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_recommendation_has_the_contract_fields_and_null_response_until_answered(report, council, key_client):
    unanswered = recommend(report, "1", text="That the voice of children is heard.")
    answered = recommend(report, "2")
    answer(answered, Outcome.PARTIALLY_ACCEPTED, reasons="Part is for the ICB.", given_on=datetime.date(2024, 6, 1))

    with time_machine.travel(BEFORE_DUE, tick=False):
        rows = results(key_client(council))

    assert [list(row) for row in rows] == [FIELDS, FIELDS]
    assert rows[0] == {
        "id": unanswered.pk,
        "number": "1",
        "text": "That the voice of children is heard.",
        "report": "Update on the Priority Action Plan",
        "committee": "Education and Young People Overview and Scrutiny Committee",
        "respondent": "cabinet",
        "status": "awaiting_response",
        "response_due": "2024-06-22",
        "deadline_rule": "overview_scrutiny_two_months",
        "response": None,
    }
    assert rows[1]["status"] == "responded"
    assert rows[1]["response"] == {
        "outcome": "partially_accepted",
        "proposed_action": "As recommended.",
        "indicative_timescale": "By March 2025",
        "given_on": "2024-06-01",
        "due_on_receipt": None,
        "days_late": None,
        "received_on_time": None,
    }
    assert list(rows[1]["response"]) == RESPONSE_SUMMARY_FIELDS


def test_a_response_says_whether_it_came_in_time_against_the_due_date_kept_when_recorded(report, council, key_client):
    """Due 22 June 2024; a later change to the report does not rewrite it."""
    late, on_time = recommend(report, "1"), recommend(report, "2")
    for recommendation, day in ((late, 30), (on_time, 22)):
        services.record_response(
            recommendation_id=recommendation.pk,
            user=None,
            outcome=Outcome.ACCEPTED,
            given_on=datetime.date(2024, 6, day),
        )
    report.received_on = datetime.date(2024, 5, 20)
    services.save_report(report, user=None, reason="Date of receipt corrected")
    client = key_client(council)

    with time_machine.travel(AFTER_DUE, tick=False):
        summaries = {row["id"]: row["response"] for row in results(client)}
        responses = {row["recommendation"]: row for row in results(client, "/api/v1/responses/")}

    for answers in (summaries, responses):
        assert {k: answers[late.pk][k] for k in ("due_on_receipt", "days_late", "received_on_time")} == {
            "due_on_receipt": "2024-06-22",
            "days_late": 8,
            "received_on_time": False,
        }
        assert (answers[on_time.pk]["days_late"], answers[on_time.pk]["received_on_time"]) == (0, True)


def test_the_list_and_the_detail_agree(report, council, key_client):
    recommendation = recommend(report, "1")
    answer(recommendation)
    client = key_client(council)

    assert client.get(f"/api/v1/recommendations/{recommendation.pk}/").json() == results(client)[0]


def test_status_follows_the_statutory_clock_updates_and_closure(report, council, key_client):
    owed = recommend(report, "1")
    in_progress = recommend(report, "2")
    answer(in_progress)
    ImplementationUpdate.objects.create(
        recommendation=in_progress, reported_on=datetime.date(2024, 7, 1), progress="Begun."
    )
    closed = recommend(report, "3", closed_at=timezone.now())
    client = key_client(council)

    with time_machine.travel(BEFORE_DUE, tick=False):
        before = {row["id"]: row["status"] for row in results(client)}
    with time_machine.travel(AFTER_DUE, tick=False):
        after = {row["id"]: row["status"] for row in results(client)}

    assert before == {owed.pk: "awaiting_response", in_progress.pk: "in_progress", closed.pk: "closed"}
    assert after == {owed.pk: "response_overdue", in_progress.pk: "in_progress", closed.pk: "closed"}


def test_no_statutory_clock_means_a_null_due_date_and_rule(report, partnership, eyp, council, key_client):
    for_information = recommend(report, "1", response_required=False)
    no_regime = services.save_report(
        Report(partnership=partnership, committee=eyp, title="Informal", regime=ResponseRegime.NONE),
        user=None,
        reason="Test report",
    )
    informal = recommend(no_regime, "1")

    rows = {row["id"]: row for row in results(key_client(council))}

    assert rows[for_information.pk]["status"] == "no_response_required"
    for recommendation in (for_information, informal):
        assert rows[recommendation.pk]["response_due"] is None
        assert rows[recommendation.pk]["deadline_rule"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"committee": "EYP"}, {"eyp-1", "eyp-2", "hosc-1"}),
        ({"committee": "joint health overview and scrutiny committee"}, {"hosc-1"}),
        ({"committee": "HOSC"}, {"hosc-1"}),
        ({"committee": "Nobody"}, set()),
        ({"status": "response_overdue"}, {"eyp-1", "hosc-1"}),
        ({"status": "responded"}, {"eyp-2"}),
        ({"overdue": "true"}, {"eyp-1", "hosc-1"}),
        ({"overdue": "false"}, {"eyp-2"}),
        ({"committee": "EYP", "overdue": "true"}, {"eyp-1", "hosc-1"}),
    ],
)
def test_filters(report, make_report, hosc, eyp, council, key_client, params, expected):
    hosc_report = make_report("Health scrutiny of SEND", committee=hosc, regime=ResponseRegime.HEALTH_SCRUTINY)
    names = {
        recommend(report, "1").pk: "eyp-1",
        recommend(report, "2").pk: "eyp-2",
        recommend(hosc_report, "1").pk: "hosc-1",
    }
    answer(Recommendation.objects.get(report=report, number="2"))
    # Made jointly with EYP: listed under both committees, once each.
    Recommendation.objects.get(report=hosc_report).joint_with.add(eyp)

    with time_machine.travel(AFTER_DUE, tick=False):
        rows = results(key_client(council), **params)

    assert sorted(names[row["id"]] for row in rows) == sorted(expected)


def test_the_committee_filter_takes_an_id(report, eyp, hosc, council, key_client):
    recommendation = recommend(report, "1")
    client = key_client(council)

    assert [row["id"] for row in results(client, committee=str(eyp.pk))] == [recommendation.pk]
    assert results(client, committee=str(hosc.pk)) == []


def test_an_unknown_status_is_a_clear_400(report, council, key_client):
    response = key_client(council).get("/api/v1/recommendations/", {"status": "lost"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["status"]


def test_cursor_pages_in_a_stable_order(report, council, key_client):
    first, second = recommend(report, "2"), recommend(report, "1")
    client = key_client(council)

    page = client.get("/api/v1/recommendations/", {"page_size": 1}).json()
    following = client.get(page["next"]).json()

    assert [page["results"][0]["id"], following["results"][0]["id"]] == [first.pk, second.pk]
    assert following["next"] is None


def test_csv_gives_every_row_with_the_outcome_in_the_response_column(report, council, key_client):
    answer(recommend(report, "1"), Outcome.REJECTED, reasons="Not affordable.", indicative_timescale="")
    recommend(report, "2")

    response = key_client(council).get("/api/v1/recommendations/", {"format": "csv", "page_size": 1})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == FIELDS
    assert [(row["number"], row["response"]) for row in rows] == [("1", "rejected"), ("2", "")]


def test_another_partnerships_recommendations_and_responses_do_not_exist(report, other_council, key_client):
    recommendation = recommend(report, "1")
    response = answer(recommendation)
    client = key_client(other_council)

    # The key sees its own partnership's recommendations and responses (tests/world.py), never Testshire's.
    theirs = other_council.partnership_id
    assert {row["id"] for row in results(client)} == set(
        Recommendation.objects.filter(report__partnership_id=theirs).values_list("pk", flat=True)
    )
    assert {row["id"] for row in results(client, "/api/v1/responses/")} == set(
        Response.objects.filter(recommendation__report__partnership_id=theirs).values_list("pk", flat=True)
    )
    assert client.get(f"/api/v1/recommendations/{recommendation.pk}/").status_code == 404
    assert client.get(f"/api/v1/responses/{response.pk}/").json()["error"]["code"] == "not_found"


def test_recommendations_are_read_only_and_nothing_changes(report, council, key_client):
    recommendation = recommend(report, "1")
    client = key_client(council, write=True)

    response = client.patch(f"/api/v1/recommendations/{recommendation.pk}/", {"text": "Changed."}, format="json")

    assert response.status_code == 405
    assert Recommendation.objects.get(pk=recommendation.pk).text == "Recommendation 1."


# --- responses -------------------------------------------------------------------------------


def test_a_response_has_its_fields_and_the_lead_members_as_a_list(report, council, key_client):
    recommendation = recommend(report, "1")
    given = answer(
        recommendation,
        lead_cabinet_members="Cllr Kate Gregory, Cabinet Member for SEND\n\nCllr Liz Brighouse\n",
        given_on=datetime.date(2024, 6, 10),
        is_published=True,
    )

    rows = results(key_client(council), "/api/v1/responses/")

    assert len(rows) == 1
    assert {k: v for k, v in rows[0].items() if k not in ("recorded_at", "updated_at")} == {
        "id": given.pk,
        "recommendation": recommendation.pk,
        "outcome": "accepted",
        "proposed_action": "As recommended.",
        "indicative_timescale": "By March 2025",
        "reasons": "",
        "lead_cabinet_members": ["Cllr Kate Gregory, Cabinet Member for SEND", "Cllr Liz Brighouse"],
        "given_on": "2024-06-10",
        "due_on_receipt": None,
        "days_late": None,
        "received_on_time": None,
        "is_published": True,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"outcome": "rejected"}, {"2"}),
        ({"outcome": "accepted"}, {"1"}),
        ({"given_since": "2024-06-05"}, {"2"}),
    ],
)
def test_response_filters(report, council, key_client, params, expected):
    answer(recommend(report, "1"), given_on=datetime.date(2024, 6, 1))
    answer(
        recommend(report, "2"),
        Outcome.REJECTED,
        reasons="No.",
        indicative_timescale="",
        given_on=datetime.date(2024, 6, 9),
    )
    numbers = dict(Response.objects.values_list("pk", "recommendation__number"))

    rows = results(key_client(council), "/api/v1/responses/", **params)

    assert {numbers[row["id"]] for row in rows} == expected


def test_the_recommendation_filter_reveals_nothing_of_another_partnership(report, other_council, council, key_client):
    outside = world.responses(other_council, 1)[0]
    mine = answer(recommend(report, "1"))
    client = key_client(council)

    assert [row["id"] for row in results(client, "/api/v1/responses/", recommendation=mine.recommendation_id)] == [
        mine.pk
    ]
    # The same answer as for an id that does not exist: an empty list, not a 400.
    assert results(client, "/api/v1/responses/", recommendation=outside.recommendation_id) == []
    assert results(client, "/api/v1/responses/", recommendation=999_999_999) == []
