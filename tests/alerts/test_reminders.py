"""The weekly reminder of overdue items still open, and KPI alerts for each indicator's latest figure.

Dates: 19 October 2026 is a Monday; the clock is frozen at 09:00 UTC on each day a run happens.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.choices import ActionStatus, Brag
from actions.models import Action
from governance.choices import RiskStatus
from governance.models import ActionArising, Risk
from kpis.choices import Rating
from kpis.models import Indicator, IndicatorValue
from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import Organisation, User
from send_tracker.alerts import reminders, services
from send_tracker.alerts.choices import AlertKind, Delivery, DeliveryMode
from send_tracker.alerts.models import Alert, Reminder
from send_tracker.alerts.reminders import ReminderResult, send_reminders, week_of
from send_tracker.alerts.sweep import sweep
from tests.alerts.conftest import action_due, alerts_to_testshire, at
from tests.as_people_write import rolled_back
from tests.conftest import make_user, need_postgres
from tests.world import World

D = datetime.date
MONDAY = D(2026, 10, 19)


def remind_on(day: datetime.date) -> ReminderResult:
    """The reminder task as beat runs it on this day (07:30 UTC is 08:30 in London in October)."""
    with time_machine.travel(at(day.year, day.month, day.day, 7, 30), tick=False):
        return send_reminders()


def emails_to(user: User) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to == [user.email]]


def links_in(message: Any) -> set[str]:
    return {word for word in message.body.split() if word.startswith("http")}


def link_of(path: str) -> str:
    return reminders.absolute(path)


@pytest.fixture
def overdue_of_every_kind(
    make_action, make_report, make_recommendation, make_arising, make_risk, officer, with_emails
) -> dict[str, Any]:
    """One open item of each kind overdue, all answered for by the council, whose officer is told;
    the action has been overdue since April 2024 (902 days on the Monday)."""
    return {
        "action": action_due(make_action, "3A1", D(2024, 4, 30)),
        "recent": action_due(make_action, "3A2", D(2026, 10, 1), brag=Brag.RED),
        "recommendation": make_recommendation(make_report(D(2026, 8, 1))),
        "arising": make_arising(D(2026, 9, 1)),
        "risk": make_risk(D(2025, 1, 31)),
    }


def test_one_email_a_week_names_every_overdue_item_however_old(overdue_of_every_kind, officer, other_officer):
    items = overdue_of_every_kind

    first = remind_on(MONDAY)

    (message,) = emails_to(officer)
    assert first.week == MONDAY and first.sent >= 1
    assert message.subject == "SEND improvement tracker: 5 overdue items still open"
    text, (html, kind) = message.body, message.alternatives[0]
    assert kind == "text/html"
    for heading in ("Plan actions (2)", "Scrutiny responses (1)", "Actions arising from board meetings (1)"):
        assert heading in text and heading in html
    assert "Risk reviews (1)" in text
    assert "Action 3A1 is overdue: it was due on 30 April 2024" in text
    # What the action is, under its reference, then how long overdue.
    assert (
        f"Action 3A1 is overdue: it was due on 30 April 2024\n  {items['action'].description}\n  902 days overdue."
        in text
    )
    assert f"{items['action'].description}</span>" in html
    # Oldest first within each section.
    assert text.index("Action 3A1 is") < text.index("Action 3A2 is")
    assert link_of(items["action"].get_absolute_url()) in links_in(message)
    assert f'href="{link_of(items["action"].get_absolute_url())}"' in html
    # The ICB's officer answers for none of them.
    assert emails_to(other_officer) == []
    assert Reminder.objects.get(recipient=officer).delivery == Delivery.SENT


def test_the_same_week_sends_nothing_more_and_the_next_week_reminds_again(overdue_of_every_kind, officer):
    remind_on(MONDAY)
    for day in (MONDAY, MONDAY + datetime.timedelta(days=2), MONDAY + datetime.timedelta(days=6)):
        again = remind_on(day)
        assert (again.written, again.sent) == (0, 0)
    assert len(emails_to(officer)) == 1

    remind_on(MONDAY + datetime.timedelta(days=7))

    assert len(emails_to(officer)) == 2
    assert sorted(Reminder.objects.filter(recipient=officer).values_list("week", flat=True)) == [
        MONDAY,
        MONDAY + datetime.timedelta(days=7),
    ]


def test_an_item_done_mid_week_drops_out_of_the_next(overdue_of_every_kind, officer):
    items = overdue_of_every_kind
    remind_on(MONDAY)

    # On the Wednesday: one action is rated Green, the other retired, the risk closed, the action
    # arising done and the response given up as not required.
    Action.objects.filter(pk=items["action"].pk).update(brag=Brag.GREEN)
    Action.objects.filter(pk=items["recent"].pk).update(status=ActionStatus.RETIRED)
    Risk.objects.filter(pk=items["risk"].pk).update(
        status=RiskStatus.CLOSED, closed_on=MONDAY + datetime.timedelta(days=2)
    )
    ActionArising.objects.filter(pk=items["arising"].pk).update(done_on=MONDAY + datetime.timedelta(days=2))
    remind_on(MONDAY + datetime.timedelta(days=7))

    latest = emails_to(officer)[-1]
    assert len(emails_to(officer)) == 2
    assert latest.subject.endswith(": 1 overdue item still open")
    assert "Scrutiny responses (1)" in latest.body
    assert "Plan actions" not in latest.body and "Risk reviews" not in latest.body

    type(items["recommendation"]).objects.filter(pk=items["recommendation"].pk).update(response_required=False)
    remind_on(MONDAY + datetime.timedelta(days=14))

    assert len(emails_to(officer)) == 2
    assert not Reminder.objects.filter(recipient=officer, week=MONDAY + datetime.timedelta(days=14)).exists()


def test_a_person_who_turned_a_kind_off_is_not_reminded_of_it(overdue_of_every_kind, officer):
    services.set_preferences(user=officer, modes={AlertKind.ACTION_OVERDUE: DeliveryMode.OFF})

    remind_on(MONDAY)

    (message,) = emails_to(officer)
    assert "Plan actions" not in message.body and "Risk reviews (1)" in message.body


def test_the_weekly_reminder_leaves_the_alert_rows_as_they_were(overdue_of_every_kind, officer):
    """Alerts are still raised once each, within the look-back; the reminder writes none."""
    with time_machine.travel(at(2026, 10, 19), tick=False):
        sweep()
    before = sorted(alerts_to_testshire().values_list("kind", "due_date"))

    remind_on(MONDAY)

    assert sorted(alerts_to_testshire().values_list("kind", "due_date")) == before
    assert (AlertKind.ACTION_OVERDUE, D(2024, 4, 30)) not in before


def test_each_partnership_is_reminded_of_its_own_items_only(overdue_of_every_kind, officer, elsewhere_world: World):
    """Elsewhere's (tests/world.py) risk, action arising and responses are overdue too."""
    remind_on(MONDAY)

    (theirs,) = emails_to(elsewhere_world.officer)
    (mine,) = emails_to(officer)
    elsewhere = {
        elsewhere_world.actions["3A1"].get_absolute_url(),
        elsewhere_world.risk.get_absolute_url(),
        elsewhere_world.action_arising.meeting.get_absolute_url(),
        *(recommendation.get_absolute_url() for recommendation in elsewhere_world.recommendations),
    }
    about_items = links_in(theirs) - {link_of("/alerts/"), link_of("/alerts/preferences/")}
    assert about_items and {link.partition("#")[0] for link in about_items} <= {link_of(path) for path in elsewhere}
    assert link_of(overdue_of_every_kind["action"].get_absolute_url()) in links_in(mine)
    for reminder in Reminder.objects.select_related("recipient__organisation"):
        paths = {item["link"].partition("#")[0] for item in reminder.items}
        organisation = reminder.recipient.organisation
        assert organisation is not None
        if organisation.partnership_id == elsewhere_world.partnership.pk:
            assert paths <= elsewhere, reminder.items
        else:
            assert not paths & elsewhere, reminder.items


def _gated(barrier: threading.Barrier) -> Callable[[datetime.date], Any]:
    found = reminders.overdue_for_each_person

    def gated(today: datetime.date) -> Any:
        people = found(today)
        barrier.wait(timeout=30)  # both runs have read; now both write and send
        return people

    return gated


def _remind_in_thread(day: datetime.date, results: list[object]) -> None:
    try:
        results.append(send_reminders(day))
    except Exception as exc:  # reported to the test, which fails on it
        results.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
def test_two_runs_at_the_same_time_send_each_reminder_once(
    transactional_db, overdue_of_every_kind, monkeypatch, council: Organisation
):
    need_postgres()
    for n in range(30):
        make_user(f"officer{n}", council, Role.OFFICER, email=f"officer{n}@testshire.gov.uk")
    monkeypatch.setattr(reminders, "overdue_for_each_person", _gated(threading.Barrier(2)))
    results: list[object] = []
    threads = [threading.Thread(target=_remind_in_thread, args=(MONDAY, results)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [type(result).__name__ for result in results] == ["ReminderResult", "ReminderResult"], results
    people = Reminder.objects.filter(recipient__organisation=council).count()
    assert people == 31
    assert sum(result.written for result in results) == Reminder.objects.count()  # type: ignore[attr-defined]
    assert sum(result.sent for result in results) == len(mail.outbox) == Reminder.objects.count()  # type: ignore[attr-defined]
    assert len({tuple(message.to) for message in mail.outbox}) == len(mail.outbox)


# ---------------------------------------------------------------------------------------------
# Property: over the items' due dates and the day the reminder runs


@given(
    dues=st.lists(st.dates(D(2020, 1, 1), D(2028, 12, 31)), min_size=1, max_size=4),
    states=st.lists(st.sampled_from(["open", "green", "blue", "retired", "red"]), min_size=4, max_size=4),
    as_of=st.dates(D(2020, 1, 1), D(2028, 12, 31)),
)
@settings(max_examples=30, deadline=None)
def test_the_reminder_names_exactly_the_open_items_overdue_on_the_day(
    make_action, officer, with_emails, dues: list[datetime.date], states: list[str], as_of: datetime.date
) -> None:
    need_postgres()
    with rolled_back():
        mail.outbox.clear()
        expected = set()
        for n, (due, state) in enumerate(zip(dues, states, strict=False)):
            fields: dict[str, Any] = {}
            if state in {"green", "blue", "red"}:
                fields["brag"] = Brag(state)
            if state == "retired":
                fields["status"] = ActionStatus.RETIRED
            action = action_due(make_action, f"9Z{n}", due, **fields)
            if due < as_of and state in {"open", "red"}:
                expected.add(link_of(action.get_absolute_url()))

        send_reminders(as_of)

        mine = emails_to(officer)
        assert len(mine) == (1 if expected else 0)
        if expected:
            assert links_in(mine[0]) - {link_of("/alerts/"), link_of("/alerts/preferences/")} == expected
            assert Reminder.objects.get(recipient=officer).week == week_of(as_of) <= as_of
            # Later that week nothing more is sent, whatever has fallen overdue since.
            send_reminders(as_of + datetime.timedelta(days=6 - as_of.weekday()))
            assert len(emails_to(officer)) == 1


# ---------------------------------------------------------------------------------------------
# KPI alerts: each indicator's latest figure only


def figures(indicator: Indicator, months: range, year: int = 2026, rating: str = Rating.MISSED) -> None:
    for month in months:
        end = (D(year, month, 28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        IndicatorValue.objects.create(
            indicator=indicator,
            period_start=D(year, month, 1),
            period_end=end,
            value=Decimal("40"),
            rating=rating,
        )


def kpi_alerts() -> list[tuple[str, datetime.date]]:
    return sorted(alerts_to_testshire().filter(kind=AlertKind.KPI_MISSED).values_list("title", "due_date"))


def test_a_kpi_is_told_of_its_latest_figure_only_never_a_flood_of_old_periods(indicator, officer):
    figures(indicator, range(1, 11))  # January to October 2026, all missed, entered today

    sweep(D(2026, 11, 10))

    assert kpi_alerts() == [(f"{indicator.name}: October 2026 missed its target", D(2026, 10, 31))]


def test_a_kpi_whose_latest_figure_met_its_target_raises_nothing_for_earlier_misses(indicator, officer):
    figures(indicator, range(1, 10))
    figures(indicator, range(10, 11), rating=Rating.MET)

    assert sweep(D(2026, 11, 10)).by_source["kpi_misses"] == 0


@pytest.mark.parametrize(("today", "told"), [(D(2026, 12, 25), True), (D(2027, 1, 2), False)])
def test_a_latest_figure_older_than_the_cutoff_raises_nothing(indicator, officer, settings, today, told):
    """A monthly figure is news for a month past its period plus the look-back (28 days): October
    2026's until 28 December, not after."""
    figures(indicator, range(10, 11))

    assert sweep(today).by_source["kpi_misses"] == (1 if told else 0)


def test_loading_years_of_history_raises_one_alert_per_indicator_at_most(indicator, make_indicator, officer):
    """The sample case loads figures back to April 2023 on the day it is loaded."""
    figures(indicator, range(4, 13), year=2023)
    figures(indicator, range(1, 13), year=2024)
    stopped = make_indicator("Annual reviews completed in time")
    figures(stopped, range(4, 13), year=2023)  # no longer reported since December 2023

    sweep(D(2025, 1, 20))

    assert kpi_alerts() == [(f"{indicator.name}: December 2024 missed its target", D(2024, 12, 31))]
    assert Alert.objects.filter(kind=AlertKind.KPI_MISSED, title__startswith="Annual reviews").count() == 0
