"""A scrutiny report entered in the browser (issue 12, item 4): an administrator types the
committee, title and dates and pastes the numbered recommendations; a second page shows them split
and numbered with the response due date; Change goes back with everything as typed; Save writes the
report and every recommendation in one transaction, each with its history row.

Only an administrator enters a report: an officer, a scrutiny member and a partner get 403, and
another partnership's administrator cannot name this partnership's committee.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import event, example, given
from hypothesis import strategies as st

from governance.models import Board
from recommendations import services
from recommendations.choices import ResponseRegime
from recommendations.models import Recommendation, Report
from recommendations.numbered_list import split_numbered_list
from tests.as_people_write import (
    DATE_BOXES,
    boxes,
    counts,
    date_in_boxes,
    fits,
    refused_on_the_page,
    rolled_back,
    text_near,
)
from tests.conftest import need_postgres
from tests.world import World

pytestmark = pytest.mark.django_db

NEW = "/recommendations/reports/new/"
PASTED = (
    "The Committee recommends that:\r\n"
    "1.\tFor Leadership over the Partnership to be explicitly set out and communicated clearly to\r\n"
    "families and all stakeholders – with “clear measures”.\r\n"
    "2)\tTo ensure good transparency around any action planning.\r\n"
    "(3) To adopt restorative thinking and practices with utmost urgency.\r\n"
)


def posted(board: Board, step: str = "", **changes: Any) -> dict[str, Any]:
    data = {
        "committee": str(board.pk),
        "title": "Local Area Partnership SEND Report 2023",
        **boxes("meeting_date", ("21", "9", "2023")),
        **boxes("received_on", ("17", "10", "23")),
        "regime": "committee",
        "recommendations": PASTED,
        "step": step,
    }
    data.update(changes)
    return data


def state() -> dict[str, int]:
    return counts(Report, Report.history.model, Recommendation, Recommendation.history.model)


def test_the_check_page_shows_each_recommendation_numbered_and_the_due_date_and_saves_nothing(
    hosc: Board, administrator: Any, client_for: Any
) -> None:
    client = client_for(administrator)
    before = state()
    response = client.post(NEW, posted(hosc))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check the report" in page
    assert "Recommendation 3" in page and "To adopt restorative thinking" in page
    assert (
        "families and all stakeholders – with “clear measures”." in page.replace("&ldquo;", "“").replace("&rdquo;", "”")
        or "clear measures" in page
    )
    # HOSC has no earlier report, and its name says health: 28 days from 17 October 2023.
    assert "Tuesday 14 November 2023" in page
    assert "Not a recommendation" in page and "The Committee recommends that:" in page
    assert state() == before


def test_change_goes_back_to_the_form_with_everything_as_typed(
    hosc: Board, administrator: Any, client_for: Any
) -> None:
    response = client_for(administrator).post(NEW, posted(hosc, step="change"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a scrutiny report" in page
    assert "To adopt restorative thinking and practices with utmost urgency." in page
    assert 'value="Local Area Partnership SEND Report 2023"' in page
    assert "govuk-error-summary" not in page


def test_save_writes_the_report_and_every_recommendation_with_who_and_why(
    hosc: Board, administrator: Any, client_for: Any
) -> None:
    response = client_for(administrator).post(NEW, posted(hosc, step="confirm"))
    report = Report.objects.get(committee=hosc)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.received_on == datetime.date(2023, 10, 17)
    assert report.meeting_date == datetime.date(2023, 9, 21)
    assert report.regime == ResponseRegime.HEALTH_SCRUTINY
    assert report.response_due_date == datetime.date(2023, 11, 14)
    recommendations = list(report.recommendations.order_by("position"))
    assert [(r.number, r.position) for r in recommendations] == [("1", 1), ("2", 2), ("3", 3)]
    assert recommendations[0].text == (
        "For Leadership over the Partnership to be explicitly set out and communicated clearly to "
        "families and all stakeholders – with “clear measures”."
    )
    (history,) = report.history.all()
    assert history.history_user == administrator
    assert history.history_change_reason == "Entered with 3 recommendations"
    for recommendation in recommendations:
        (row,) = recommendation.history.all()
        assert row.history_user == administrator
        assert row.history_change_reason == "Entered with the report Local Area Partnership SEND Report 2023"
    page = client_for(administrator).get(report.get_absolute_url()).content.decode()
    assert "14 November 2023" in page and "To ensure good transparency around any action planning." in page


def test_the_clock_runs_under_the_committees_rule_or_the_one_chosen(
    eyp: Board, hosc: Board, administrator: Any
) -> None:
    fields: dict[str, Any] = {
        "meeting_date": datetime.date(2024, 4, 10),
        "received_on": datetime.date(2024, 4, 23),
        "pasted": "1. One",
    }
    # An overview and scrutiny committee: two months beginning with the day of receipt.
    eyp_report = services.enter_report(
        partnership_id=eyp.partnership_id, user=administrator, committee_id=eyp.pk, title="PAP update", **fields
    )
    assert eyp_report.response_due_date == datetime.date(2024, 6, 22)
    # Chosen for one report, the rule is then the committee's usual one.
    services.enter_report(
        partnership_id=eyp.partnership_id,
        user=administrator,
        committee_id=eyp.pk,
        title="Health check",
        regime=ResponseRegime.HEALTH_SCRUTINY,
        **fields | {"received_on": datetime.date(2024, 5, 1)},
    )
    assert services.committee_rule(eyp) == ResponseRegime.HEALTH_SCRUTINY
    assert services.committee_rule(hosc) == ResponseRegime.HEALTH_SCRUTINY


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"recommendations": "The Committee recommends that:\n1.\n2. Two"}, "recommendations", "has no text"),
        ({"recommendations": "1. One\n1. Again"}, "recommendations", "two recommendations numbered 1"),
        ({"title": ""}, "title", "Enter the report"),
        (boxes("received_on", ("20", "9", "2023")), "received_on", "cannot have been requested before"),
        (boxes("received_on", ("1", "1", "9999")), "received_on", "between 2000 and 2099"),
        (boxes("received_on", ("", "", "")), "received_on", "Enter the date the response was requested"),
        ({"regime": "fortnight"}, "regime", "Choose the law"),
        ({"committee": "9" * 30}, "committee", "Choose the scrutiny committee"),
    ],
)
def test_a_report_that_cannot_be_saved_is_refused_on_its_field_and_nothing_is_written(
    hosc: Board, administrator: Any, client_for: Any, change: dict[str, str], field: str, message: str
) -> None:
    before = state()
    for step in ("", "confirm"):
        response = client_for(administrator).post(NEW, posted(hosc, step=step, **change))
        assert refused_on_the_page(response), step
        assert message in response.content.decode()
    assert state() == before


def test_a_title_the_committee_has_used_is_refused(hosc: Board, administrator: Any, client_for: Any) -> None:
    client = client_for(administrator)
    assert client.post(NEW, posted(hosc, step="confirm")).status_code == 302
    before = state()
    response = client.post(NEW, posted(hosc, step="confirm", title="local area partnership SEND report 2023"))
    assert refused_on_the_page(response) and "already has a report called" in response.content.decode()
    assert state() == before


def test_only_an_administrator_enters_a_report(
    hosc: Board,
    officer: Any,
    scrutiny_member: Any,
    partner_user: Any,
    outsider: Any,
    elsewhere_world: World,
    client_for: Any,
) -> None:
    before = state()
    for user in (officer, scrutiny_member, partner_user, outsider, elsewhere_world.scrutiny_member):
        client = client_for(user)
        assert client.get(NEW).status_code == 403, user
        assert client.post(NEW, posted(hosc, step="confirm")).status_code == 403, user
    assert client_for(None).get(NEW).status_code == 302  # to sign in
    assert state() == before
    with pytest.raises(PermissionDenied):
        services.enter_report(
            partnership_id=hosc.partnership_id,
            user=officer,
            committee_id=hosc.pk,
            title="T",
            meeting_date=datetime.date(2024, 1, 1),
            received_on=datetime.date(2024, 1, 2),
            pasted="1. One",
        )


def test_another_partnerships_administrator_cannot_name_this_partnerships_committee(
    hosc: Board, elsewhere_world: World, client_for: Any
) -> None:
    before = state()
    client = client_for(elsewhere_world.administrator)
    page = client.get(NEW).content.decode()
    assert hosc.name not in page and elsewhere_world.committee.name in page
    response = client.post(NEW, posted(hosc, step="confirm"))
    assert refused_on_the_page(response)
    assert state() == before
    with pytest.raises(ValidationError):
        services.read_report(
            partnership_id=elsewhere_world.partnership.pk,
            committee_id=hosc.pk,
            title="T",
            meeting_date=datetime.date(2024, 1, 1),
            received_on=datetime.date(2024, 1, 2),
            pasted="1. One",
        )


def test_the_tracker_offers_the_page_to_administrators_only(
    hosc: Board, administrator: Any, officer: Any, client_for: Any
) -> None:
    assert NEW in client_for(administrator).get("/recommendations/").content.decode()
    assert NEW not in client_for(officer).get("/recommendations/").content.decode()


PASTES = st.one_of(
    text_near(2000),
    st.lists(text_near(300, nul=False), min_size=1, max_size=5).map(
        lambda texts: "\n".join(f"{n}. {text}" for n, text in enumerate(texts, start=1))
    ),
)


def _in_boxes(day: datetime.date) -> tuple[str, str, str]:
    return (str(day.day), str(day.month), str(day.year))


# Half the time a real meeting and a request on the day or weeks later; else any boxes at all.
DATE_PAIRS = st.one_of(
    st.tuples(st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 10, 1)), st.integers(0, 60)).map(
        lambda pair: (_in_boxes(pair[0]), _in_boxes(pair[0] + datetime.timedelta(days=pair[1])))
    ),
    st.tuples(DATE_BOXES, DATE_BOXES),
)


@given(title=text_near(300), dates=DATE_PAIRS, pasted=PASTES)
@example(
    title="“SEND” – the partnership’s report",
    dates=(("21", "9", "23"), ("17", "10", "2023")),
    pasted="1.\tFirst – “quoted”\n   and wrapped\nR2 Second 🙂",
)
def test_a_report_is_saved_whole_or_refused_and_nothing_is_written(
    hosc: Board, administrator: Any, client_for: Any, title: str, dates: Any, pasted: str
) -> None:
    agreed, requested = dates
    need_postgres()
    client = client_for(administrator)
    with rolled_back(), time_machine.travel(datetime.datetime(2024, 6, 1, 12), tick=False):
        before = state()
        data = posted(hosc, step="confirm", title=title, recommendations=pasted)
        data |= boxes("meeting_date", agreed) | boxes("received_on", requested)
        response = client.post(NEW, data)
        assert response.status_code < 500
        if response.status_code == 302:
            event("saved")
            report = Report.objects.get(committee=hosc)
            assert report.title == title.strip()
            assert report.meeting_date == date_in_boxes(agreed)
            assert report.received_on == date_in_boxes(requested)
            assert report.response_due_date is not None
            recommendations = list(report.recommendations.all())
            assert recommendations and all(r.text.strip() == r.text != "" for r in recommendations)
            assert report.history.count() == 1
            assert Recommendation.history.filter(report_id=report.pk).count() == len(recommendations)
        else:
            event("refused")
            assert refused_on_the_page(response)
            day, request = date_in_boxes(agreed), date_in_boxes(requested)
            assert not (
                fits(title, 300)
                and isinstance(day, datetime.date)
                and isinstance(request, datetime.date)
                and 2000 <= day.year <= 2099
                and 2000 <= request.year <= 2099
                and request >= day
                and "\x00" not in pasted
                and (parsed := split_numbered_list(pasted.strip())).recommendations
                and not parsed.problems
            ), "a plain report was refused"
            assert state() == before
