"""PATCH /api/v1/actions/{id}/ with a new target date, and the action's fields against the plan's
signed-off baseline (baseline_due_date, due_date_revisions, days_slipped), in the list's one
statement and in the detail alike."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from actions.baseline import due_date_slips
from actions.models import Action
from actions.services import retire_action, revise_action
from tests.as_people_write import rolled_back, text_near
from tests.conftest import need_postgres

pytestmark = pytest.mark.django_db

REASON = "The ICB's designated clinical officer post is vacant until January; agreed at the board."
SIGNED_OFF = datetime.datetime(2023, 12, 12, 12, tzinfo=datetime.UTC)


def etag(client: Any, action: Action) -> str:
    response = client.get(f"/api/v1/actions/{action.pk}/")
    assert response.status_code == 200
    return str(response["ETag"])


def patch(client: Any, action: Action, body: Any, tag: str | None = None) -> Any:
    return client.patch(f"/api/v1/actions/{action.pk}/", body, format="json", HTTP_IF_MATCH=tag or etag(client, action))


@pytest.fixture
def signed_off_action(make_action: Any) -> Action:
    """3A1, added before the plan's sign-off (12 December 2023) with a target date of April 2024."""
    with time_machine.travel(SIGNED_OFF, tick=False):
        return make_action("3A1")


def test_a_new_target_date_without_a_reason_is_a_400_and_changes_nothing(signed_off_action, council, key_client):
    client = key_client(council, write=True)

    response = patch(client, signed_off_action, {"due_date": "2025-03-31"})

    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    signed_off_action.refresh_from_db()
    assert (signed_off_action.due_date, signed_off_action.version) == (datetime.date(2024, 4, 30), 1)


def test_a_new_target_date_with_a_reason_is_history_and_slips_from_the_baseline(signed_off_action, council, key_client):
    client = key_client(council, write=True)

    response = patch(client, signed_off_action, {"due_date": "2024-07-31", "reason": REASON})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["due_date"], body["due_date_text"], body["version"]) == ("2024-07-31", "31 July 2024", 2)
    assert (body["baseline_due_date"], body["due_date_revisions"], body["days_slipped"]) == ("2024-04-30", 1, 92)
    assert body["status"] == "open"
    latest = Action.objects.get(pk=signed_off_action.pk).history.latest()
    assert (latest.history_change_reason, latest.history_actor) == (REASON, "API key 'test key' (TCC)")
    history = client.get(f"/api/v1/actions/{signed_off_action.pk}/history/").json()["results"]
    assert (history[0]["due_date"], history[0]["reason"]) == ("2024-07-31", REASON)
    listed = client.get("/api/v1/actions/").json()["results"]
    assert listed == [client.get(f"/api/v1/actions/{signed_off_action.pk}/").json()]


def test_a_rating_and_a_target_date_together_are_two_history_rows_or_neither(signed_off_action, council, key_client):
    client = key_client(council, write=True)
    tag = etag(client, signed_off_action)

    refused = patch(
        client,
        signed_off_action,
        {"due_date": "2024-06-30", "reason": REASON, "brag": "green", "commentary": "Done."},
        tag,
    )
    unchanged = Action.objects.get(pk=signed_off_action.pk)
    saved = patch(
        client,
        signed_off_action,
        {"due_date": "2024-06-30", "reason": REASON, "brag": "red", "commentary": "Late."},
        tag,
    )

    assert refused.status_code == 400 and "evidence_text" in refused.json()["error"]["fields"]
    assert (unchanged.due_date, unchanged.version) == (datetime.date(2024, 4, 30), 1)
    assert saved.status_code == 200 and saved.json()["version"] == 3
    reasons = list(
        Action.objects.get(pk=signed_off_action.pk)
        .history.order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )
    assert reasons[-2:] == [REASON, "Late."]


@pytest.mark.parametrize(
    "body",
    [
        {"due_date": "31/03/2025", "reason": REASON},
        {"due_date": "2025-02-30", "reason": REASON},
        {"due_date": "0001-01-01", "reason": REASON},
        {"due_date": "2009-12-31", "reason": REASON},
        {"due_date": "2100-01-01", "reason": REASON},
        {"due_date": "9999-12-31", "reason": REASON},
        {"due_date": 20250331, "reason": REASON},
        {"reason": REASON},
        {},
        {"due_date": "2025-03-31", "reason": REASON, "status": "retired"},
        {"due_date": "2025-03-31", "reason": REASON, "baseline_due_date": "2025-03-31"},
    ],
)
def test_bad_target_dates_are_400_and_change_nothing(signed_off_action, council, key_client, body):
    client = key_client(council, write=True)

    response = patch(client, signed_off_action, body)

    assert response.status_code == 400
    assert Action.objects.get(pk=signed_off_action.pk).version == 1


def test_a_stale_etag_is_412_and_a_read_key_or_another_organisations_key_403(
    signed_off_action, council, icb, key_client
):
    writer = key_client(council, write=True)
    stale = etag(writer, signed_off_action)
    patch(writer, signed_off_action, {"due_date": "2024-05-31", "reason": REASON}, stale)

    late = patch(writer, signed_off_action, {"due_date": "2024-06-30", "reason": REASON}, stale)
    read_only = patch(key_client(council), signed_off_action, {"due_date": "2024-06-30", "reason": REASON})
    other = patch(key_client(icb, write=True), signed_off_action, {"due_date": "2024-06-30", "reason": REASON})

    assert (late.status_code, read_only.status_code, other.status_code) == (412, 403, 403)
    assert Action.objects.get(pk=signed_off_action.pk).due_date == datetime.date(2024, 5, 31)


def test_another_partnerships_action_is_404(council, key_client, elsewhere_world):
    theirs = Action.objects.filter(plan__partnership=elsewhere_world.partnership).first()
    assert theirs is not None

    response = key_client(council, write=True).patch(
        f"/api/v1/actions/{theirs.pk}/", {"due_date": "2030-01-31", "reason": REASON}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 404


def test_an_action_added_after_sign_off_has_no_baseline_and_a_retired_one_says_so(
    signed_off_action, make_action, council, administrator, key_client
):
    later = make_action("3A2", due_date=datetime.date(2025, 1, 31))
    revise_action(
        action_id=later.pk, user=administrator, due_date=datetime.date(2025, 2, 28), based_on_version=1, reason="x"
    )
    retire_action(
        action_id=signed_off_action.pk, user=administrator, reason="no_longer_needed", note="Done.", based_on_version=1
    )

    rows = {row["ref"]: row for row in key_client(council).get("/api/v1/actions/").json()["results"]}

    assert (rows["3A2"]["baseline_due_date"], rows["3A2"]["due_date_revisions"], rows["3A2"]["days_slipped"]) == (
        None,
        1,
        None,
    )
    assert (rows["3A1"]["status"], rows["3A1"]["baseline_due_date"], rows["3A1"]["days_slipped"]) == (
        "retired",
        "2024-04-30",
        0,
    )


def test_the_lead_officer_is_the_persons_name_or_the_name_the_plan_gives(make_action, officer, council, key_client):
    make_action("3A1", lead_officer=officer, lead_officer_name="Head of SEND")
    make_action("3A2", lead_officer_name="Head of SEND Assessment")
    make_action("3A3", success_measure="80% within 20 weeks")

    rows = {row["ref"]: row for row in key_client(council).get("/api/v1/actions/").json()["results"]}

    assert [rows[ref]["lead_officer"] for ref in ("3A1", "3A2", "3A3")] == [
        "Olivia Officer",
        "Head of SEND Assessment",
        None,
    ]
    assert rows["3A3"]["success_measure"] == "80% within 20 weeks"


# Each step: how many days after sign-off it happens (negative: before), and the new target date.
MOVES = st.lists(
    st.tuples(st.integers(-60, 400), st.none() | st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31))),
    max_size=6,
)


@given(moves=MOVES, signed_off=st.booleans())
def test_the_lists_one_statement_agrees_with_the_baseline_reader(
    make_action: Any, plan: Any, administrator: Any, council: Any, key_client: Any, moves: Any, signed_off: bool
) -> None:
    """Whatever the history, the list (one SQL statement) and actions.baseline agree on every field,
    and the list and the detail agree to the character."""
    need_postgres()
    client = key_client(council)
    with rolled_back():
        plan.approved_date = datetime.date(2023, 12, 12) if signed_off else None
        plan.save()
        with time_machine.travel(SIGNED_OFF - datetime.timedelta(days=90), tick=False):
            action = make_action("3A1")
        for days, due in sorted(moves, key=lambda move: move[0]):
            with time_machine.travel(SIGNED_OFF + datetime.timedelta(days=days, hours=11), tick=False):
                action = revise_action(
                    action_id=action.pk, user=administrator, due_date=due, based_on_version=action.version, reason="x"
                )
        (listed,) = client.get("/api/v1/actions/").json()["results"]
        slip = due_date_slips(plan).get(action.pk)
        baseline = slip.baseline_due_date.isoformat() if slip and slip.baseline_due_date else None
        assert listed["baseline_due_date"] == baseline
        assert listed["due_date_revisions"] == (slip.due_date_revisions if slip else 0)
        assert listed["days_slipped"] == (slip.days_slipped(action.due_date) if slip else None)
        assert listed == client.get(f"/api/v1/actions/{action.pk}/").json()


@given(reason=text_near(5000))
def test_a_reason_as_people_write_it_is_kept_whole_or_refused_as_json(
    signed_off_action: Action, council: Any, key_client: Any, reason: str
) -> None:
    need_postgres()
    client = key_client(council, write=True)
    with rolled_back():
        response = patch(
            client,
            signed_off_action,
            {"due_date": "2025-03-31", "reason": reason},
            f'"action-{signed_off_action.pk}-v1"',
        )
        assert response.status_code in (200, 400), response.content
        stored = Action.objects.get(pk=signed_off_action.pk)
        if response.status_code == 200:
            assert stored.history.latest().history_change_reason == reason.strip()
            assert 0 < len(reason.strip()) <= 5000 and "\x00" not in reason
        else:
            assert stored.version == 1 and "error" in response.json()
