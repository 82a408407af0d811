"""The deadline sweep: what raises an alert, whom it tells, on which day, and never twice."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Iterable
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from actions.choices import Brag
from actions.forum import give_view
from actions.models import Action
from governance.choices import MeetingStatus
from governance.models import Board
from kpis.choices import Frequency
from kpis.models import Indicator, IndicatorValue
from recommendations.choices import ResponseRegime
from recommendations.deadlines import RULES
from recommendations.models import Recommendation, Report, Response
from send_tracker.accounts.choices import Role
from send_tracker.accounts.models import Organisation, User
from send_tracker.alerts import services
from send_tracker.alerts.candidates import SOURCES, Candidate
from send_tracker.alerts.choices import AlertKind, Delivery, DeliveryMode
from send_tracker.alerts.models import Alert
from send_tracker.alerts.sweep import sweep
from tests.alerts.conftest import action_due, alerts_to_testshire, at, sweep_at
from tests.conftest import make_user, need_postgres

D = datetime.date


def kinds_of(user: User) -> list[tuple[str, datetime.date]]:
    return sorted(alerts_to_testshire().filter(recipient=user).values_list("kind", "due_date"))


def keys() -> list[tuple[int, int, str, datetime.date, int]]:
    return sorted(
        alerts_to_testshire().values_list("subject_type_id", "subject_id", "kind", "due_date", "recipient_id")
    )


# ---------------------------------------------------------------------------------------------
# Each source


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 4, 15), []),  # 15 days before: nothing yet
        (D(2026, 4, 16), [AlertKind.ACTION_DUE_14]),
        (D(2026, 4, 22), [AlertKind.ACTION_DUE_14]),
        (D(2026, 4, 23), [AlertKind.ACTION_DUE_7]),
        (D(2026, 4, 30), [AlertKind.ACTION_DUE_7]),
        (D(2026, 5, 1), [AlertKind.ACTION_OVERDUE]),
    ],
)
def test_a_plan_action_is_told_14_and_7_days_ahead_and_when_overdue(make_action, officer, today, expected):
    action_due(make_action, "3A1", D(2026, 4, 30))

    sweep(today)

    assert kinds_of(officer) == [(kind, D(2026, 4, 30)) for kind in expected]


@pytest.mark.parametrize("brag", [Brag.GREEN, Brag.BLUE])
def test_a_plan_action_rated_green_or_blue_is_not_chased(make_action, officer, brag):
    action_due(make_action, "3A1", D(2026, 4, 30), brag=brag)

    assert sweep(D(2026, 5, 4)).created == 0
    assert not alerts_to_testshire().exists()


def test_an_action_rated_red_amber_or_grey_still_is(make_action, officer):
    for ref, brag in (("1", Brag.RED), ("2", Brag.AMBER), ("3", Brag.GREY)):
        action_due(make_action, ref, D(2026, 4, 30), brag=brag)

    assert sweep(D(2026, 5, 4)).by_source["plan_actions"] == 3


def test_a_sweep_on_a_missed_day_still_tells_each_window_once(make_action, officer):
    """Beat was down from 14 days out until 5 days out: the 7-day alert still comes, once."""
    action_due(make_action, "3A1", D(2026, 4, 30))

    sweep(D(2026, 4, 16))
    sweep(D(2026, 4, 25))
    sweep(D(2026, 4, 26))

    assert kinds_of(officer) == [(AlertKind.ACTION_DUE_14, D(2026, 4, 30)), (AlertKind.ACTION_DUE_7, D(2026, 4, 30))]


def test_moving_the_due_date_raises_a_new_alert(make_action, officer):
    action = action_due(make_action, "3A1", D(2026, 4, 30))
    sweep(D(2026, 4, 25))

    Action.objects.filter(pk=action.pk).update(due_date=D(2026, 5, 1))
    sweep(D(2026, 4, 25))

    assert kinds_of(officer) == [(AlertKind.ACTION_DUE_7, D(2026, 4, 30)), (AlertKind.ACTION_DUE_7, D(2026, 5, 1))]


@pytest.mark.parametrize(
    ("regime", "received", "due"),
    [
        # 28 days: the day after the request is day 1.
        (ResponseRegime.HEALTH_SCRUTINY, D(2026, 1, 31), D(2026, 2, 28)),
        # Two months beginning with the day of receipt: ends the day before the same date two
        # months on, or the month's last day where there is no such date.
        (ResponseRegime.OVERVIEW_AND_SCRUTINY, D(2025, 12, 31), D(2026, 2, 28)),
        (ResponseRegime.OVERVIEW_AND_SCRUTINY, D(2027, 12, 31), D(2028, 2, 29)),
    ],
)
def test_a_response_is_told_7_days_and_1_day_ahead_and_when_overdue_under_both_rules(
    make_report, make_recommendation, officer, regime, received, due
):
    report = make_report(received, regime)
    make_recommendation(report)
    assert report.response_due_date == due

    told = {}
    for days_before in (8, 7, 2, 1, 0, -1):
        today = due - datetime.timedelta(days=days_before)
        sweep(today)
        told[days_before] = sorted(alerts_to_testshire().filter(recipient=officer).values_list("kind", flat=True))

    assert told[8] == []
    assert told[7] == told[2] == [AlertKind.RESPONSE_DUE_7]
    assert told[1] == told[0] == [AlertKind.RESPONSE_DUE_1, AlertKind.RESPONSE_DUE_7]
    assert told[-1] == [AlertKind.RESPONSE_DUE_1, AlertKind.RESPONSE_DUE_7, AlertKind.RESPONSE_OVERDUE]
    assert set(alerts_to_testshire().values_list("due_date", flat=True)) == {due}
    overdue = alerts_to_testshire().get(kind=AlertKind.RESPONSE_OVERDUE)
    rule = RULES[regime]
    assert f"Statutory period: {rule.label} ({rule.citation})." in overdue.body


def test_a_response_given_closed_or_not_required_is_not_chased(make_report, make_recommendation, officer):
    report = make_report(D(2026, 1, 31))
    answered = make_recommendation(report, "1")
    Response.objects.create(recommendation=answered, outcome="accepted")
    make_recommendation(report, "2", response_required=False)
    closed = make_recommendation(report, "3")
    Recommendation.objects.filter(pk=closed.pk).update(closed_at=at(2026, 2, 1))

    assert sweep(D(2026, 3, 2)).by_source["recommendation_responses"] == 0


def test_a_meetings_papers_deadline_is_told_in_the_week_before_it(make_meeting, officer, board):
    services.set_following(user=officer, subject=board, follow=True)
    make_meeting(D(2026, 3, 20), D(2026, 3, 12))
    make_meeting(D(2026, 4, 20), D(2026, 4, 12), status=MeetingStatus.CANCELLED)

    assert sweep(D(2026, 3, 4)).created == 0
    assert sweep(D(2026, 3, 5)).created == 1
    assert sweep(D(2026, 3, 13)).created == 0  # a passed papers deadline is not chased

    alert = alerts_to_testshire().get()
    assert (alert.kind, alert.due_date, alert.recipient) == (AlertKind.PAPERS_DEADLINE, D(2026, 3, 12), officer)
    assert alert.title == (
        "Papers for the SEND Improvement and Assurance Board meeting on 20 March 2026 are due in 7 days, "
        "on 12 March 2026"
    )


def test_an_action_arising_is_told_when_due_and_when_overdue_until_done(make_arising, officer):
    arising = make_arising(D(2026, 3, 31))

    sweep(D(2026, 3, 24))
    sweep(D(2026, 4, 1))
    arising.done_on = D(2026, 4, 2)
    arising.save()
    before = alerts_to_testshire().count()
    sweep(D(2026, 4, 30))

    assert kinds_of(officer) == [(AlertKind.ARISING_DUE, D(2026, 3, 31)), (AlertKind.ARISING_OVERDUE, D(2026, 3, 31))]
    assert alerts_to_testshire().count() == before


def test_a_kpi_figure_that_misses_its_target_is_told_once(missed_value, officer):
    with_freeze = at(2026, 3, 10)
    IndicatorValue.objects.filter(pk=missed_value.pk).update(entered_at=with_freeze)

    sweep(D(2026, 3, 10))
    sweep(D(2026, 3, 11))

    alert = alerts_to_testshire().get(recipient=officer, kind=AlertKind.KPI_MISSED)
    assert alert.due_date == D(2026, 2, 28)
    assert alert.title == "New EHC plans issued within 20 weeks: February 2026 missed its target"
    assert "41.5%" in alert.body


def test_a_risk_is_told_the_day_after_its_review_date(make_risk, officer):
    make_risk(D(2026, 3, 1))

    assert sweep(D(2026, 3, 1)).created == 0
    assert sweep(D(2026, 3, 2)).created == 1
    assert kinds_of(officer) == [(AlertKind.RISK_REVIEW_OVERDUE, D(2026, 3, 1))]


def test_deadlines_older_than_the_look_back_are_not_raised(make_action, officer, settings):
    """The day alerts are switched on, years of overdue actions do not flood everyone's inbox."""
    action_due(make_action, "3A1", D(2026, 1, 1))

    assert sweep(D(2026, 1, 1) + datetime.timedelta(days=settings.ALERT_LOOKBACK_DAYS + 1)).created == 0
    assert sweep(D(2026, 1, 1) + datetime.timedelta(days=settings.ALERT_LOOKBACK_DAYS)).created == 1


def test_the_words_of_an_item_are_stored_exactly(make_action, officer):
    """Tabs, backslashes and line breaks survive the bulk write (COPY's text format escapes them)."""
    words = "Map C:\\EHCP\\timelines\tthen report.\r\nNull is \\N, not nothing."
    action_due(make_action, "3A1", D(2026, 4, 30), description=words)

    sweep(D(2026, 4, 25))

    assert f"\n\n{words}\n\n" in alerts_to_testshire().get().body


# ---------------------------------------------------------------------------------------------
# Who is told


def test_owner_officers_lead_officer_and_followers_are_told_and_nobody_else(
    make_action, officer, other_officer, scrutiny_member, outsider, council
):
    lapsed = make_user("lapsed", council, Role.OFFICER, is_active=False)
    colleague_partner = make_user("cp", council, Role.PARTNER)
    action = action_due(make_action, "3A1", D(2026, 4, 30), lead_officer=other_officer)
    services.set_following(user=scrutiny_member, subject=action, follow=True)
    # Someone who followed it and then moved to another partnership no longer may read it.
    services.set_following(user=outsider, subject=action, follow=True)

    sweep(D(2026, 4, 25))

    told = set(alerts_to_testshire().values_list("recipient_id", flat=True))
    assert told == {officer.pk, other_officer.pk, scrutiny_member.pk}
    assert lapsed.pk not in told and colleague_partner.pk not in told


def test_a_recommendation_tells_the_responding_council_and_followers_of_it_its_report_and_committee(
    make_report, make_recommendation, officer, other_officer, scrutiny_member, partner_user, committee, icb
):
    chair = make_user("chair", icb, Role.SCRUTINY)
    report = make_report(D(2026, 1, 31))
    recommendation = make_recommendation(report)
    services.set_following(user=chair, subject=committee, follow=True)  # the committee's lead
    services.set_following(user=scrutiny_member, subject=report, follow=True)
    services.set_following(user=partner_user, subject=recommendation, follow=True)

    sweep(D(2026, 2, 27))

    told = set(alerts_to_testshire().filter(kind=AlertKind.RESPONSE_DUE_1).values_list("recipient_id", flat=True))
    assert told == {officer.pk, chair.pk, scrutiny_member.pk, partner_user.pk}  # not the ICB's officer


def test_a_recommendation_to_an_nhs_body_tells_that_bodys_officers(
    make_report, make_recommendation, officer, other_officer, icb
):
    report = make_report(D(2026, 1, 31))
    make_recommendation(report, respondent="nhs", respondent_organisation=icb)

    sweep(D(2026, 2, 27))

    assert set(alerts_to_testshire().values_list("recipient_id", flat=True)) == {other_officer.pk}


def test_each_person_is_told_once_however_many_ways_they_are_linked(make_action, officer, board):
    action = action_due(make_action, "3A1", D(2026, 4, 30), lead_officer=officer)
    services.set_following(user=officer, subject=action, follow=True)

    assert sweep(D(2026, 4, 25)).created == 1


@pytest.mark.parametrize(
    ("mode", "delivery"),
    [
        (DeliveryMode.IMMEDIATE, Delivery.PENDING),
        (DeliveryMode.DIGEST, Delivery.DIGEST),
        (DeliveryMode.OFF, Delivery.OFF),
    ],
)
def test_each_persons_choice_for_the_kind_sets_how_it_is_emailed(make_action, officer, with_emails, mode, delivery):
    services.set_preferences(user=officer, modes={AlertKind.ACTION_DUE_7: mode})
    action_due(make_action, "3A1", D(2026, 4, 30))
    action_due(make_action, "3A2", D(2026, 5, 8))  # 14-day kind: straight away whatever 7-day is

    sweep(D(2026, 4, 25))

    assert alerts_to_testshire().get(kind=AlertKind.ACTION_DUE_7).delivery == delivery
    assert alerts_to_testshire().get(kind=AlertKind.ACTION_DUE_14).delivery == Delivery.PENDING


def test_someone_without_an_email_address_still_sees_the_alert_in_the_tracker(make_action, officer):
    officer.email = ""
    officer.save()
    action_due(make_action, "3A1", D(2026, 4, 30))

    sweep(D(2026, 4, 25))

    assert alerts_to_testshire().get(recipient=officer).delivery == Delivery.OFF


def test_changing_ones_mind_moves_waiting_alerts(make_action, officer, with_emails):
    action_due(make_action, "3A1", D(2026, 4, 30))
    sweep(D(2026, 4, 25))

    services.set_preferences(user=officer, modes={AlertKind.ACTION_DUE_7: DeliveryMode.DIGEST})
    assert alerts_to_testshire().get().delivery == Delivery.DIGEST
    services.set_preferences(user=officer, modes={AlertKind.ACTION_DUE_7: DeliveryMode.IMMEDIATE})
    assert alerts_to_testshire().get().delivery == Delivery.PENDING


# ---------------------------------------------------------------------------------------------
# Dates: Europe/London, daylight saving, month ends


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 23:30 UTC on the first evening of BST is 00:30 on 30 March in London: 7 days to go.
        (at(2026, 3, 29, 23, 30), AlertKind.ACTION_DUE_7),
        # The night before, still GMT: 23:30 on 28 March in London, 9 days to go.
        (at(2026, 3, 28, 23, 30), AlertKind.ACTION_DUE_14),
    ],
)
def test_the_day_is_judged_in_london_when_the_clocks_go_forward(make_action, officer, moment, expected):
    action_due(make_action, "3A1", D(2026, 4, 6))

    result = sweep_at(moment)

    assert kinds_of(officer) == [(expected, D(2026, 4, 6))]
    assert result.today == (D(2026, 3, 30) if expected == AlertKind.ACTION_DUE_7 else D(2026, 3, 28))


def test_an_action_due_on_the_day_the_clocks_go_forward_is_overdue_at_london_midnight(make_action, officer):
    action_due(make_action, "3A1", D(2026, 3, 29))

    sweep_at(at(2026, 3, 29, 22, 59))  # 23:59 BST on the due day
    assert kinds_of(officer) == [(AlertKind.ACTION_DUE_7, D(2026, 3, 29))]

    sweep_at(at(2026, 3, 29, 23, 0))  # 00:00 BST on 30 March
    assert kinds_of(officer) == [(AlertKind.ACTION_DUE_7, D(2026, 3, 29)), (AlertKind.ACTION_OVERDUE, D(2026, 3, 29))]


def test_the_day_is_judged_in_london_when_the_clocks_go_back(make_action, officer):
    action_due(make_action, "3A1", D(2026, 10, 25))

    sweep_at(at(2026, 10, 24, 23, 30))  # 00:30 BST on 25 October: due today
    assert kinds_of(officer) == [(AlertKind.ACTION_DUE_7, D(2026, 10, 25))]

    # 00:30 GMT on 26 October (the clocks went back at 01:00 BST): the 25th is past.
    sweep_at(at(2026, 10, 26, 0, 30))
    assert (AlertKind.ACTION_OVERDUE, D(2026, 10, 25)) in kinds_of(officer)

    # 23:30 UTC on the 25th is 23:30 GMT, still the 25th in London: not yet overdue there.
    alerts_to_testshire().delete()
    sweep_at(at(2026, 10, 25, 23, 30))
    assert kinds_of(officer) == [(AlertKind.ACTION_DUE_7, D(2026, 10, 25))]


@pytest.mark.parametrize(
    ("due", "fourteen_days_before", "overdue_on"),
    [
        (D(2026, 2, 28), D(2026, 2, 14), D(2026, 3, 1)),
        (D(2028, 2, 29), D(2028, 2, 15), D(2028, 3, 1)),  # a leap year
        (D(2026, 12, 31), D(2026, 12, 17), D(2027, 1, 1)),  # a year end
        (D(2026, 3, 3), D(2026, 2, 17), D(2026, 3, 4)),  # counted back across February
    ],
)
def test_month_and_year_ends_give_the_right_days(make_action, officer, due, fourteen_days_before, overdue_on):
    action_due(make_action, "3A1", due)

    assert sweep(fourteen_days_before - datetime.timedelta(days=1)).created == 0
    assert sweep(fourteen_days_before).created == 1
    assert sweep(due).created == 1
    assert sweep(overdue_on).created == 1
    assert kinds_of(officer) == [
        (AlertKind.ACTION_DUE_14, due),
        (AlertKind.ACTION_DUE_7, due),
        (AlertKind.ACTION_OVERDUE, due),
    ]


# ---------------------------------------------------------------------------------------------
# Never twice


@pytest.fixture
def one_of_everything(
    make_action,
    make_report,
    make_recommendation,
    make_meeting,
    make_arising,
    make_risk,
    missed_value,
    make_indicator,
    officer,
    other_officer,
    scrutiny_member,
    board,
    committee,
    plan,
    forum_officer,
) -> None:
    """Something due from every source on 2026-03-10, with several people told of each."""
    for n in range(1, 6):
        action_due(
            make_action, f"3A{n}", D(2026, 3, 10) + datetime.timedelta(days=3 * n - 5), lead_officer=other_officer
        )
    for n, received in enumerate((D(2026, 2, 10), D(2026, 2, 11), D(2026, 2, 5)), start=1):
        make_recommendation(make_report(received, title=f"Report {n}"), str(n))
    make_meeting(D(2026, 3, 20), D(2026, 3, 12))
    # The board runs the plan's update rounds: the meeting's round is open from 6 March.
    Board.objects.filter(pk=board.pk).update(oversees=plan)
    make_arising(D(2026, 3, 9))
    make_risk(D(2026, 3, 1))
    IndicatorValue.objects.filter(pk=missed_value.pk).update(entered_at=at(2026, 3, 3))
    # A quarterly indicator in use since 2025 whose October to December 2025 figure is not in.
    quarterly = make_indicator("Annual reviews completed within 12 weeks", frequency=Frequency.QUARTERLY)
    Indicator.objects.filter(pk=quarterly.pk).update(created_at=at(2025, 1, 6))
    IndicatorValue.objects.create(
        indicator=quarterly, period_start=D(2025, 7, 1), period_end=D(2025, 9, 30), value=Decimal("80")
    )
    for subject in (board, committee):
        services.set_following(user=scrutiny_member, subject=subject, follow=True)
    forum_disagrees(make_action, forum_officer)


def forum_disagrees(make_action: Callable[..., Action], forum_officer: User) -> None:
    """The parent carer forum disagrees with a rating on 9 March, its alert not raised at commit (a
    transactional test's would be), so that the sweep tells the owner's officers."""
    rated = make_action("1A1")
    Action.objects.filter(pk=rated.pk).update(brag=Brag.AMBER, rated_at=at(2026, 3, 2))
    with time_machine.travel(at(2026, 3, 9), tick=False):
        give_view(action_id=rated.pk, user=forum_officer, position="disagree", commentary="Late.")
    Alert.objects.filter(kind=AlertKind.FORUM_VIEW).delete()


def test_the_sweep_run_twice_creates_each_alert_once(one_of_everything):
    first = sweep(D(2026, 3, 10))
    created = keys()
    second = sweep(D(2026, 3, 10))

    assert first.created == len(created) > 10
    assert all(first.by_source[name] > 0 for name in SOURCES), first.by_source
    assert second.created == 0
    assert keys() == created


def test_nobody_is_told_of_an_item_of_another_partnership(one_of_everything, elsewhere_world):
    """Testshire's items fall due in March 2026, Elsewhere's (tests/world.py) in 2024: every alert
    of every sweep goes to someone who may read its item, and each partnership hears of its own."""
    for day in (D(2024, 2, 23), D(2024, 3, 16), D(2024, 5, 2), D(2026, 3, 10)):
        sweep(day)

    alerts = list(Alert.objects.exclude(pk__in=[a.pk for a in elsewhere_world.alerts]).select_related("recipient"))
    for alert in alerts:
        model = alert.subject_type.model_class()
        readable = model._default_manager.visible_to(alert.recipient).filter(pk=alert.subject_id)
        assert readable.exists(), (alert.kind, alert.title, alert.recipient.username)
    told = {alert.recipient.organisation.partnership.slug for alert in alerts}
    assert told == {"testshire", "elsewhere"}


def test_scan_deadlines_prints_the_count_then_zero(one_of_everything):
    runs = []
    for _ in range(2):
        out = StringIO()
        call_command("scan_deadlines", "--as-of", "2026-03-10", stdout=out)
        runs.append(out.getvalue().strip().splitlines())

    created = alerts_to_testshire().count()
    assert created > 10
    assert runs[0][0] == "Deadlines as on 2026-03-10 (Europe/London)."
    assert runs[0][-1] == f"alerts created: {created}"
    assert runs[1][-1] == "alerts created: 0"


def test_scan_deadlines_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("scan_deadlines", "--as-of", "10/03/2026", stdout=StringIO())


def test_the_sweep_beats_its_heartbeat(db):
    from send_tracker.operations.models import Heartbeat

    with_moment = at(2026, 3, 10, 6, 15)
    sweep_at(with_moment)

    assert Heartbeat.objects.get(name="deadline-sweep").last_seen == with_moment


def _sweep_in_thread(today: datetime.date, barrier: threading.Barrier, results: list[object]) -> None:
    def gated(source: Callable[[datetime.date], Iterable[Candidate]]) -> Callable[[datetime.date], list[Candidate]]:
        def run(day: datetime.date) -> list[Candidate]:
            found = list(source(day))
            barrier.wait(timeout=30)  # both sweeps have read; now both write
            return found

        return run

    try:
        results.append(sweep(today, sources={name: gated(source) for name, source in SOURCES.items()}))
    except Exception as exc:  # reported to the test, which fails on it
        results.append(exc)
    finally:
        connection.close()


@pytest.mark.postgres
def test_two_sweeps_at_the_same_time_create_each_alert_once(transactional_db, one_of_everything):
    need_postgres()
    # More rows than one batch of the tiny fixtures, so the two inserts overlap for real.
    council = Organisation.objects.get(short_name="TCC")
    for n in range(40):
        make_user(f"officer{n}", council, Role.OFFICER, email=f"officer{n}@testshire.gov.uk")
    barrier = threading.Barrier(2)
    results: list[object] = []
    threads = [threading.Thread(target=_sweep_in_thread, args=(D(2026, 3, 10), barrier, results)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [type(result).__name__ for result in results] == ["SweepResult", "SweepResult"], results
    total = alerts_to_testshire().count()
    assert len(keys()) == len(set(keys())) == total > 200
    # Each row is counted by the sweep that wrote it, so together they count every row once.
    assert sum(result.created for result in results) == total
    assert sweep(D(2026, 3, 10)).created == 0


def test_a_report_whose_receipt_date_changes_is_chased_on_the_new_date(make_report, make_recommendation, officer):
    report = make_report(D(2026, 1, 31))
    make_recommendation(report)
    sweep(D(2026, 2, 27))

    report.received_on = D(2026, 2, 7)
    report.refresh_response_due_date()
    report.save()
    Report.objects.filter(pk=report.pk).update(response_due_date=report.response_due_date)
    sweep(D(2026, 3, 6))

    assert kinds_of(officer) == [(AlertKind.RESPONSE_DUE_1, D(2026, 2, 28)), (AlertKind.RESPONSE_DUE_1, D(2026, 3, 7))]
