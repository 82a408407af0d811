"""The signed-off baseline (actions/baseline.py): each action's target date at the end of the
sign-off day in Europe/London, how many times it moved since and by how many days in all, read
from history in a fixed number of queries."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from actions.baseline import NO_SLIP, compare_with_baseline, due_date_slips, slip_of
from actions.models import Action, Plan
from actions.reports import ratings_by_area
from send_tracker.history import stamp
from tests.as_people_write import rolled_back

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def move(action: Action, due_date: datetime.date | None, when: datetime.datetime, **more: Any) -> None:
    """A target date (and other columns) changed at `when`, recorded in history as a service does."""
    action.due_date = due_date
    for name, value in more.items():
        setattr(action, name, value)
    stamp(action, by=None, reason="Target date moved", when=when)
    action.save()


def at_london(day: datetime.date, hour: int = 12, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LONDON)


def created_at(action: Action, when: datetime.datetime) -> None:
    """Date the action's first history row (its creation) at `when`."""
    Action.history.model.objects.filter(id=action.pk).update(history_date=when)


# ---------------------------------------------------------------------------------------------
# A reference model of the rule, for the property test


def expected_slip(
    created: datetime.datetime,
    first_due: datetime.date | None,
    moves: list[tuple[datetime.datetime, datetime.date | None]],
    sign_off: datetime.date,
) -> tuple[datetime.date | None, int, datetime.date | None]:
    """(baseline date, revisions, date now), worked out the long way: the baseline is the last
    date recorded before midnight at the end of the sign-off day in London."""
    end = datetime.datetime.combine(sign_off + datetime.timedelta(days=1), datetime.time.min, tzinfo=LONDON)
    timeline = [(created, first_due), *moves]
    before = [due for when, due in timeline if when < end]
    baseline = before[-1] if before else None
    in_baseline = bool(before)
    revisions = 0
    previous: Any = baseline if in_baseline else object()
    started = in_baseline
    for when, due in timeline:
        if when < end:
            continue
        if started and due != previous:
            revisions += 1
        previous, started = due, True
    return baseline, revisions, timeline[-1][1]


DAYS = st.dates(min_value=datetime.date(2023, 1, 1), max_value=datetime.date(2026, 12, 31))
DUE = st.none() | DAYS
# Moments near the edges that matter: just before and at midnight in London, on a sign-off day in
# winter (GMT) and in summer (BST, when London's midnight is 23:00 UTC the day before).
EDGE_DAYS = st.sampled_from([datetime.date(2023, 12, 12), datetime.date(2024, 6, 30), datetime.date(2024, 3, 30)])
EDGE_TIMES = st.sampled_from([(23, 59, 59), (0, 0, 0), (0, 0, 1), (23, 0, 0), (12, 0, 0), (1, 0, 0)])


@st.composite
def moments(draw: st.DrawFn, sign_off: datetime.date) -> datetime.datetime:
    day = sign_off + datetime.timedelta(days=draw(st.integers(-40, 400) | st.sampled_from([-1, 0, 1])))
    hour, minute, second = draw(EDGE_TIMES | st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)))
    return at_london(day, hour, minute, second)


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    sign_off = draw(EDGE_DAYS | DAYS)
    created = draw(moments(sign_off))
    times = sorted(draw(st.lists(moments(sign_off), max_size=8)))
    moves = [(max(when, created + datetime.timedelta(seconds=1 + i)), draw(DUE)) for i, when in enumerate(times)]
    moves.sort(key=lambda move: move[0])
    return {"sign_off": sign_off, "created": created, "first_due": draw(DUE), "moves": moves}


@given(history=histories())
@example(  # changed at one second to midnight on the sign-off day: part of the baseline
    history={
        "sign_off": datetime.date(2024, 6, 30),
        "created": at_london(datetime.date(2024, 1, 5)),
        "first_due": datetime.date(2024, 9, 30),
        "moves": [(at_london(datetime.date(2024, 6, 30), 23, 59, 59), datetime.date(2024, 10, 31))],
    }
)
@example(  # changed at midnight (23:00 UTC in summer): a revision after sign-off
    history={
        "sign_off": datetime.date(2024, 6, 30),
        "created": at_london(datetime.date(2024, 1, 5)),
        "first_due": datetime.date(2024, 9, 30),
        "moves": [(at_london(datetime.date(2024, 7, 1), 0, 0, 0), datetime.date(2024, 10, 31))],
    }
)
@example(  # added after sign-off, then moved twice and back: no baseline, three revisions
    history={
        "sign_off": datetime.date(2023, 12, 12),
        "created": at_london(datetime.date(2024, 2, 1)),
        "first_due": datetime.date(2024, 9, 30),
        "moves": [
            (at_london(datetime.date(2024, 3, 1)), datetime.date(2024, 12, 31)),
            (at_london(datetime.date(2024, 4, 1)), None),
            (at_london(datetime.date(2024, 5, 1)), datetime.date(2024, 9, 30)),
        ],
    }
)
def test_the_baseline_and_the_moves_since_follow_the_history(make_action, plan, history):
    with rolled_back():
        Plan.objects.filter(pk=plan.pk).update(approved_date=history["sign_off"])
        plan.refresh_from_db()
        action = make_action("3A9", due_date=history["first_due"])
        created_at(action, history["created"])
        for when, due in history["moves"]:
            move(action, due, when)
        baseline, revisions, now = expected_slip(
            history["created"], history["first_due"], history["moves"], history["sign_off"]
        )

        slip = due_date_slips(plan).get(action.pk, NO_SLIP)
        row = compare_with_baseline(plan).for_action(action.pk)

        assert (slip.baseline_due_date, slip.due_date_revisions) == (baseline, revisions)
        expected_days = (now - baseline).days if now and baseline else None
        assert slip.days_slipped(action.due_date) == expected_days
        assert row is not None
        assert (row.baseline_due_date, row.due_date, row.due_date_revisions, row.days_slipped) == (
            baseline,
            now,
            revisions,
            expected_days,
        )
        on_its_page = slip_of(action)
        assert on_its_page is not None
        assert (on_its_page.baseline_due_date, on_its_page.due_date_revisions) == (baseline, revisions)
        assert on_its_page.days_slipped == expected_days
        in_baseline = history["created"] < at_london(history["sign_off"] + datetime.timedelta(days=1), 0)
        assert row.is_added is not in_baseline
        slipped = sum(area.slipped for area in ratings_by_area(plan, datetime.date(2026, 12, 6)))
        assert slipped == (1 if expected_days and expected_days > 0 else 0)


def test_before_sign_off_there_is_no_baseline(make_action, plan):
    action = make_action("3A1")
    move(action, datetime.date(2025, 3, 31), at_london(datetime.date(2024, 2, 1)))
    Plan.objects.filter(pk=plan.pk).update(approved_date=None)
    plan.refresh_from_db()

    comparison = compare_with_baseline(plan)

    assert due_date_slips(plan) == {}
    assert not comparison.is_signed_off
    assert [(row.baseline_due_date, row.due_date_revisions, row.is_added) for row in comparison.rows] == [
        (None, 0, False)
    ]
    assert [area.slipped for area in ratings_by_area(plan, datetime.date(2026, 12, 6))] == [0]


def test_at_a_date_before_sign_off_there_is_no_baseline_either(make_action, plan):
    action = make_action("3A1")
    created_at(action, at_london(datetime.date(2023, 11, 1)))

    comparison = compare_with_baseline(plan, on=datetime.date(2023, 12, 11))

    assert not comparison.is_signed_off and comparison.rows[0].then is None
    assert compare_with_baseline(plan, on=datetime.date(2023, 12, 12)).is_signed_off


def test_at_a_meeting_only_what_had_happened_by_the_end_of_its_day_counts(make_action, plan, council, icb):
    action = make_action("3A1", due_date=datetime.date(2024, 4, 30), brag="amber")
    created_at(action, at_london(datetime.date(2023, 11, 1)))
    move(action, datetime.date(2024, 6, 30), at_london(datetime.date(2024, 3, 1)), brag="red")
    move(action, datetime.date(2024, 9, 30), at_london(datetime.date(2024, 5, 2)), owner=icb)
    late = make_action("3A2")
    created_at(late, at_london(datetime.date(2024, 2, 1)))

    at_march = compare_with_baseline(plan, on=datetime.date(2024, 3, 1)).for_action(action.pk)
    now = compare_with_baseline(plan)

    assert at_march is not None and at_march.now is not None and at_march.then is not None
    assert (at_march.due_date, at_march.due_date_revisions, at_march.days_slipped) == (
        datetime.date(2024, 6, 30),
        1,
        61,
    )
    assert (at_march.then.brag_label, at_march.now.brag_label, at_march.owner_changed) == ("Amber", "Red", False)
    row = now.for_action(action.pk)
    assert row is not None and row.now is not None and row.then is not None
    assert (row.due_date_revisions, row.days_slipped, row.moved) == (2, 153, "later")
    assert (row.then.owner, row.now.owner, row.owner_changed) == (council.name, icb.name, True)
    assert [r.published_ref for r in now.lists["added"]] == ["3A2"]
    assert [r.published_ref for r in now.lists["moved_later"]] == ["3A1"]
    assert now.days_slipped_total == 153


def test_a_retired_action_stays_in_the_comparison_marked_retired(make_action, plan):
    action = make_action("3A1")
    created_at(action, at_london(datetime.date(2023, 11, 1)))
    move(
        action,
        action.due_date,
        at_london(datetime.date(2024, 5, 1)),
        status="retired",
        retired_reason="no_longer_needed",
        retired_on=datetime.date(2024, 5, 1),
    )

    comparison = compare_with_baseline(plan)

    assert [(row.published_ref, row.is_retired, row.retired_since) for row in comparison.lists["retired"]] == [
        ("3A1", True, True)
    ]
    assert comparison.lists["retired"][0].now is not None
    assert comparison.lists["retired"][0].now.retired_reason_label == "No longer needed"


def test_the_comparison_costs_the_same_queries_for_5_and_40_actions_and_any_history(
    make_action, plan, django_assert_num_queries
):
    for n in range(1, 6):
        created_at(make_action(f"3A{n}"), at_london(datetime.date(2023, 11, 1)))
    with django_assert_num_queries(5):
        compare_with_baseline(plan)
    for n in range(6, 41):
        action = make_action(f"3A{n}")
        created_at(action, at_london(datetime.date(2023, 11, 1)))
        for month in range(1, 13):
            move(action, datetime.date(2024, month, 28), at_london(datetime.date(2024, month, 1)))
    with django_assert_num_queries(5):
        comparison = compare_with_baseline(plan, on=datetime.date(2024, 12, 1))
    with django_assert_num_queries(2):
        slips = due_date_slips(plan)
    assert len(comparison.rows) == 40 and len(comparison.lists["moved_later"]) == 35
    assert {slip.due_date_revisions for action_id, slip in slips.items()} == {0, 12}


def test_another_partnerships_plan_is_not_read(make_action, plan, elsewhere_world):
    make_action("3A1")
    other_plan = Plan.objects.get(partnership=elsewhere_world.partnership)

    ours = {row.action_id for row in compare_with_baseline(plan).rows}
    theirs = {row.action_id for row in compare_with_baseline(other_plan).rows}

    assert ours and not ours & theirs
    assert set(Action.objects.filter(plan=plan).values_list("pk", flat=True)) == ours
