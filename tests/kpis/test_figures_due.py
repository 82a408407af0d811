"""A figure due: a monthly or quarterly indicator whose figure for the last complete period is not
in. Shown on the KPI list, the indicator's page and the dashboard; its owner is told once per
period, and the alert is withdrawn when the figure is entered. Frozen clock throughout."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kpis.choices import Frequency, Rating
from kpis.models import Indicator, IndicatorValue
from kpis.periods import last_complete_period
from kpis.reports import dashboard_section
from kpis.services import record_value
from send_tracker.alerts.choices import AlertKind, Delivery
from send_tracker.alerts.models import Alert
from send_tracker.alerts.sweep import sweep
from tests.alerts.conftest import alerts_to_testshire, at

pytestmark = pytest.mark.django_db

D = datetime.date


def figure(indicator: Indicator, start: D, end: D, value: str = "50") -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=indicator, period_start=start, period_end=end, value=Decimal(value), rating=Rating.MET
    )


@pytest.fixture
def in_use(indicator: Indicator) -> Indicator:
    """The monthly indicator, in use since 2025, with figures to September 2026."""
    Indicator.objects.filter(pk=indicator.pk).update(created_at=at(2025, 1, 6))
    for month in range(1, 10):
        end = (D(2026, month, 28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        figure(indicator, D(2026, month, 1), end)
    indicator.refresh_from_db()
    return indicator


def figure_due_alerts() -> list[tuple[str, D, int]]:
    rows = alerts_to_testshire().filter(kind=AlertKind.FIGURE_DUE)
    return sorted(rows.values_list("title", "due_date", "recipient_id"))


@pytest.mark.parametrize(
    ("frequency", "today", "due"),
    [
        (Frequency.MONTHLY, D(2026, 12, 6), (D(2026, 11, 1), D(2026, 11, 30))),
        (Frequency.MONTHLY, D(2027, 1, 1), (D(2026, 12, 1), D(2026, 12, 31))),
        (Frequency.MONTHLY, D(2024, 3, 1), (D(2024, 2, 1), D(2024, 2, 29))),
        (Frequency.QUARTERLY, D(2026, 12, 6), (D(2026, 7, 1), D(2026, 9, 30))),
        (Frequency.QUARTERLY, D(2027, 1, 1), (D(2026, 10, 1), D(2026, 12, 31))),
        (Frequency.CALENDAR_YEAR, D(2026, 12, 6), None),
        (Frequency.ACADEMIC_YEAR, D(2026, 12, 6), None),
    ],
)
def test_the_last_complete_period_is_the_one_before_today(frequency, today, due):
    period = last_complete_period(frequency, today)

    assert (None if period is None else (period.start, period.end)) == due


def test_a_figure_is_due_once_its_period_is_over_until_it_is_entered(in_use, officer):
    assert in_use.figure_due(D(2026, 9, 30)) is None  # August is in
    assert in_use.figure_due(D(2026, 10, 1)) is None  # September is in
    assert in_use.figure_due(D(2026, 11, 1)).label == "October 2026"
    testshire = Indicator.objects.filter(partnership=in_use.partnership)
    assert testshire.figures_due(D(2026, 11, 1)).get() == in_use
    assert not testshire.figures_due(D(2026, 10, 15)).exists()


def test_the_owner_is_told_once_per_period_and_the_alert_is_withdrawn_when_the_figure_is_entered(
    in_use, officer, other_officer
):
    sweep(D(2026, 10, 15))
    assert figure_due_alerts() == []  # September's figure is in

    sweep(D(2026, 11, 1))
    sweep(D(2026, 11, 2))
    sweep(D(2026, 11, 20))

    title = f"{in_use.name}: the figure for October 2026 is due"
    assert figure_due_alerts() == [(title, D(2026, 10, 31), officer.pk)]  # the council's officer only
    alert = Alert.objects.get(kind=AlertKind.FIGURE_DUE)
    assert "October 2026 ended on 31 October 2026" in alert.body
    assert alert.link == reverse("kpis:detail", args=[in_use.pk]) and alert.read_at is None

    with time_machine.travel(at(2026, 11, 21), tick=False):
        record_value(indicator_id=in_use.pk, user=officer, period="31/10/26", value="52.5")

    alert.refresh_from_db()
    assert alert.read_at is not None and alert.delivery == Delivery.OFF  # withdrawn, never emailed
    assert sweep(D(2026, 11, 22)).by_source["figures_due"] == 0
    # November's is asked for in its turn: once per indicator and period.
    sweep(D(2026, 12, 1))
    assert [row[:2] for row in figure_due_alerts()] == [
        (f"{in_use.name}: the figure for November 2026 is due", D(2026, 11, 30)),
        (title, D(2026, 10, 31)),
    ]


def test_an_emailed_alert_stays_emailed_when_withdrawn(in_use, officer):
    sweep(D(2026, 11, 1))
    Alert.objects.filter(kind=AlertKind.FIGURE_DUE).update(delivery=Delivery.SENT)

    record_value(indicator_id=in_use.pk, user=officer, period="2026-10", value="52")

    assert Alert.objects.get(kind=AlertKind.FIGURE_DUE).delivery == Delivery.SENT


def test_a_quarterly_indicator_is_due_after_its_quarter(make_indicator, officer):
    quarterly = make_indicator("Annual reviews within 12 weeks", frequency=Frequency.QUARTERLY)
    Indicator.objects.filter(pk=quarterly.pk).update(created_at=at(2025, 1, 6))
    figure(quarterly, D(2026, 4, 1), D(2026, 6, 30))

    assert sweep(D(2026, 9, 30)).by_source["figures_due"] == 0
    assert sweep(D(2026, 10, 1)).by_source["figures_due"] == 1
    assert figure_due_alerts()[0][:2] == (
        "Annual reviews within 12 weeks: the figure for July to September 2026 is due",
        D(2026, 9, 30),
    )


def test_a_yearly_indicator_is_never_due(make_indicator, officer):
    yearly = make_indicator("Pupils with an EHC plan", frequency=Frequency.CALENDAR_YEAR)
    Indicator.objects.filter(pk=yearly.pk).update(created_at=at(2020, 1, 6))

    assert yearly.figure_due(D(2026, 12, 6)) is None
    assert sweep(D(2026, 12, 6)).by_source["figures_due"] == 0


@pytest.mark.parametrize(
    ("created", "last_figure_end", "told"),
    [
        (at(2026, 10, 1), None, True),  # new: its first figure is due
        (at(2026, 11, 3), None, False),  # made after October ended: owes no October figure
        (at(2024, 1, 6), D(2025, 11, 30), True),  # reported within the year before
        (at(2026, 11, 3), D(2026, 9, 30), True),  # loaded after October ended, with its past figures
        (at(2024, 1, 6), D(2025, 9, 30), False),  # last reported over a year before: not chased
    ],
)
def test_only_an_indicator_in_use_is_chased(indicator, officer, created, last_figure_end, told):
    Indicator.objects.filter(pk=indicator.pk).update(created_at=created)
    if last_figure_end:
        figure(indicator, last_figure_end.replace(day=1), last_figure_end)

    assert sweep(D(2026, 11, 5)).by_source["figures_due"] == (1 if told else 0)
    # The pages say it is due either way.
    assert Indicator.objects.get(pk=indicator.pk).figure_due(D(2026, 11, 5)).label == "October 2026"


@time_machine.travel(datetime.datetime(2026, 11, 10, 12, 0), tick=False)
def test_the_kpi_pages_and_the_dashboard_say_which_figures_are_due(
    in_use, make_indicator, officer, scrutiny_member, client_for, plan, elsewhere_world
):
    quarterly = make_indicator("Annual reviews within 12 weeks", frequency=Frequency.QUARTERLY)
    figure(quarterly, D(2026, 7, 1), D(2026, 9, 30))  # its last complete quarter is in
    client = client_for(scrutiny_member)

    listed = client.get(reverse("kpis:list")).content.decode()
    page = client.get(in_use.get_absolute_url()).content.decode()
    dashboard = client.get("/").content.decode()

    assert listed.count("Figure due") == 1 and "for October 2026" in listed
    assert "Figure due" in page and "October 2026 has ended and its figure has not been entered." in page
    assert "Enter the figure for October 2026" not in page  # a councillor changes nothing
    assert "1 figure due:" in dashboard and "for October 2026" in dashboard
    assert elsewhere_world.indicator.name not in listed + dashboard
    owner_page = client_for(officer).get(in_use.get_absolute_url()).content.decode()
    assert "Enter the figure for October 2026" in owner_page


def test_the_dashboard_section_lists_the_figures_due_in_no_more_queries(
    in_use, make_indicator, plan, scrutiny_member, rf, django_assert_num_queries
):
    for n in range(5):
        make_indicator(f"Indicator {n}", frequency=Frequency.QUARTERLY)
    request = rf.get("/")
    request.user = scrutiny_member

    with django_assert_num_queries(2):  # the indicators with their figure due or not, their latest figures
        section = dashboard_section(request, plan, D(2026, 11, 10))

    due = {row["indicator"].name: row["figure_due"].label for row in section["figures_due"]}
    assert due == {in_use.name: "October 2026"} | {f"Indicator {n}": "July to September 2026" for n in range(5)}
    assert section["kpis_section_template"] == "kpis/_dashboard_section.html"


def test_a_figure_due_alert_never_reaches_another_partnership(in_use, officer, elsewhere_world):
    world = elsewhere_world
    Indicator.objects.filter(pk=world.indicator.pk).update(created_at=at(2025, 1, 6))
    figure(world.indicator, D(2026, 9, 1), D(2026, 9, 30))

    sweep(D(2026, 11, 1))

    told: dict[str, set[str]] = {}
    for alert in Alert.objects.filter(kind=AlertKind.FIGURE_DUE).select_related("recipient__organisation"):
        told.setdefault(alert.title.split(":")[0], set()).add(alert.recipient.organisation.partnership.slug)
    assert told == {in_use.name: {"testshire"}, world.indicator.name: {"elsewhere"}}
