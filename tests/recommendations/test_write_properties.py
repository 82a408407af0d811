"""Responses, implementation updates and closures with values as people write them.

Each example is saved whole (read back equal after the service's stripping) or refused on the
form's error summary with nothing written: no response, update or history row. Never a 500.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from actions.models import Action
from recommendations.choices import Outcome
from recommendations.models import ImplementationUpdate, Recommendation, Response
from tests.as_people_write import (
    DAYS,
    MONTHS,
    YEARS,
    counts,
    date_in_boxes,
    fits,
    refused_on_the_page,
    rolled_back,
    text_near,
    was_saved,
)
from tests.conftest import need_postgres
from tests.world import World

pytestmark = pytest.mark.django_db

TIMESCALE_LIMIT = Response._meta.get_field("indicative_timescale").max_length or 200
OUTCOMES = st.sampled_from([*Outcome.values, "", "ACCEPTED", "yes"])


def state(recommendation: Recommendation) -> dict[str, Any]:
    row = Recommendation.objects.values("closed_at", "closed_reason").get(pk=recommendation.pk)
    return {
        **row,
        "response": list(Response.objects.filter(recommendation=recommendation).values()),
        **counts(Response, Response.history.model, ImplementationUpdate, Recommendation.history.model),
        **counts(ImplementationUpdate.history.model, Action.history.model),
    }


@given(
    outcome=OUTCOMES,
    proposed=text_near(10000),
    timescale=text_near(TIMESCALE_LIMIT),
    reasons=text_near(10000),
    leads=text_near(2000),
    day=DAYS,
    month=MONTHS,
    year=YEARS,
    published=st.booleans(),
)
@example(
    outcome="partially_accepted",
    proposed="=SUM(A1:A9) " + "“Agreed” – in full,\u00a0with thanks 🙂 " * 400,
    timescale="Spring–Summer 2025",
    reasons="“Agreed” – in full,\u00a0with thanks 🙂",
    leads="  Cllr Jo Bloggs\r\n\r\n  Cllr Ann Other  ",
    day="3",
    month="04",
    year="24",
    published=True,
)
def test_a_response_is_saved_whole_or_refused_and_nothing_is_written(
    recommendation: Recommendation,
    officer: Any,
    client_for: Any,
    outcome: str,
    proposed: str,
    timescale: str,
    reasons: str,
    leads: str,
    day: str,
    month: str,
    year: str,
    published: bool,
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = state(recommendation)
        response = client.post(
            f"/recommendations/{recommendation.pk}/respond/",
            {
                "outcome": outcome,
                "proposed_action": proposed,
                "indicative_timescale": timescale,
                "reasons": reasons,
                "lead_cabinet_members": leads,
                "given_on_day": day,
                "given_on_month": month,
                "given_on_year": year,
                "is_published": "on" if published else "",
            },
        )
        given_on = date_in_boxes((day, month, year))
        simple = (
            outcome == Outcome.ACCEPTED
            and isinstance(given_on, datetime.date)
            and given_on <= datetime.date.today()
            and all(fits(text, limit, required=False) for text, limit in ((proposed, 10000), (reasons, 10000)))
            and fits(timescale, TIMESCALE_LIMIT, required=False)
            and fits(leads, 2000, required=False)
        )
        if was_saved(response):
            saved = Response.objects.get(recommendation=recommendation)
            assert saved.outcome == outcome
            assert saved.proposed_action == proposed.strip()
            assert saved.indicative_timescale == timescale.strip()
            assert saved.reasons == reasons.strip()
            assert saved.lead_cabinet_members == "\n".join(
                line.strip() for line in leads.strip().splitlines() if line.strip()
            )
            assert saved.is_published is published
            assert saved.given_on == given_on
            assert saved.history.count() == 1
        else:
            assert not simple, "a plain, valid response was refused"
            assert refused_on_the_page(response)
            assert state(recommendation) == before


@given(
    progress=text_near(10000),
    day=DAYS,
    month=MONTHS,
    year=YEARS,
    implemented=st.booleans(),
    linked=st.sampled_from(["mine", "elsewhere", "none", "junk", "huge"]),
)
@example(
    progress="@mention the board – “Agreed” – in full,\u00a0with thanks 🙂",
    day="30",
    month="6",
    year="2024",
    implemented=True,
    linked="mine",
)
@example(progress="Linked elsewhere", day="30", month="6", year="2024", implemented=False, linked="elsewhere")
def test_an_implementation_update_is_saved_whole_or_refused_and_nothing_is_written(
    recommendation: Recommendation,
    action: Action,
    elsewhere_world: World,
    officer: Any,
    client_for: Any,
    progress: str,
    day: str,
    month: str,
    year: str,
    implemented: bool,
    linked: str,
) -> None:
    need_postgres()
    client = client_for(officer)
    actions = {
        "mine": [str(action.pk)],
        "elsewhere": [str(elsewhere_world.actions["3A1"].pk)],
        "none": [],
        "junk": ["3A1"],
        "huge": ["9" * 30],
    }[linked]
    with rolled_back():
        before = state(recommendation)
        response = client.post(
            f"/recommendations/{recommendation.pk}/updates/new/",
            {
                "progress": progress,
                "reported_on_day": day,
                "reported_on_month": month,
                "reported_on_year": year,
                "implemented": "on" if implemented else "",
                "actions": actions,
            },
        )
        reported_on = date_in_boxes((day, month, year))
        if was_saved(response):
            assert linked in ("mine", "none")
            update = ImplementationUpdate.objects.get(recommendation=recommendation)
            assert update.progress == progress.strip()
            assert update.implemented is implemented
            assert update.reported_on == reported_on
            assert [a.pk for a in update.actions.all()] == [int(pk) for pk in actions]
        else:
            assert linked != "mine" or not (
                fits(progress, 10000)
                and isinstance(reported_on, datetime.date)
                and reported_on <= datetime.date.today()
            ), "a plain, valid update was refused"
            assert refused_on_the_page(response)
            assert state(recommendation) == before
        # Another partnership's action is never linked, whatever was sent.
        assert not elsewhere_world.actions["3A1"].recommendations.filter(pk=recommendation.pk).exists()


@given(reason=text_near(2000))
def test_closing_saves_the_reason_whole_or_refuses_and_nothing_is_written(
    recommendation: Recommendation, officer: Any, client_for: Any, reason: str
) -> None:
    need_postgres()
    client = client_for(officer)
    with rolled_back():
        before = state(recommendation)
        response = client.post(f"/recommendations/{recommendation.pk}/close/", {"reason": reason})
        if was_saved(response):
            closed = Recommendation.objects.get(pk=recommendation.pk)
            assert closed.closed_at is not None
            assert closed.closed_reason == reason.strip()
            assert closed.history.latest().history_change_reason == f"Closed: {reason.strip()}"
        else:
            assert not fits(reason, 2000), "a plain reason for closing was refused"
            assert refused_on_the_page(response)
            assert state(recommendation) == before
