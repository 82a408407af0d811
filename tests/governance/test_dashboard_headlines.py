"""The dashboard's headline figures and their change since the last meeting of the plan's board,
and the ratings chart whose table must say what its SVG draws (send_tracker/overview/headlines.py).
Uses the governance history: meetings on 17 January and 17 April 2024 (tests/governance/conftest.py)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache

from actions.models import Action
from kpis.services import record_value
from recommendations.choices import Respondent
from recommendations.models import Recommendation
from recommendations.services import record_response
from tests.chart_reading import having, page_tree
from tests.kpis.conftest import target

from .conftest import History, at, rate

LATER = at(2024, 4, 19)


def headline(page: str, label: str) -> tuple[int, str]:
    """A headline figure's number and its change in words, read from the page as a reader sees it."""
    tree = page_tree(page)
    for item in having(tree, "app-headline", "li") + having(tree, "app-headline-chip", "li"):
        link = item.xpath(".//a")[0]
        number = int(link.xpath(".//strong")[0].text_content())
        name = " ".join(link.text_content().split()).removeprefix(str(number)).strip()
        if name == label:
            change = having(item, "app-headline__change")
            return number, " ".join(change[0].text_content().split()) if change else ""
    raise AssertionError(f"No headline figure {label!r}")


def dashboard(client) -> str:
    cache.clear()
    return client.get("/").content.decode()


@pytest.fixture
def owed(history: History, make_report, officer):
    """A report received in March 2024 with two recommendations owed a response at the second
    meeting; one is answered on 18 April, after it."""
    report = make_report(received_on=datetime.date(2024, 3, 1))
    with time_machine.travel(at(2024, 3, 2), tick=False):
        first, second = (
            Recommendation.objects.create(
                report=report, number=n, position=int(n), text=f"Recommendation {n}.", respondent=Respondent.CABINET
            )
            for n in ("1", "2")
        )
    with time_machine.travel(at(2024, 4, 18), tick=False):
        record_response(
            recommendation_id=first.pk,
            user=officer,
            outcome="accepted",
            proposed_action="Termly reports.",
            given_on=datetime.date(2024, 4, 18),
        )
    return report


@pytest.fixture
def off_target(history: History, indicator, officer):
    """The indicator missed its target for February (entered in March) and met it for March
    (entered on 18 April, after the second meeting)."""
    target(indicator, officer, first="2024-01", last="2024-12")
    with time_machine.travel(at(2024, 3, 5), tick=False):
        record_value(indicator_id=indicator.pk, user=officer, period="2024-02", numerator="40", denominator="100")
    with time_machine.travel(at(2024, 4, 18), tick=False):
        record_value(indicator_id=indicator.pk, user=officer, period="2024-03", numerator="70", denominator="100")
    return indicator


def test_each_headline_figure_says_how_it_changed_since_the_boards_last_meeting(
    history, owed, off_target, scrutiny_member, client_for
):
    with time_machine.travel(LATER, tick=False):
        page = dashboard(client_for(scrutiny_member))

    # At the end of 17 April: 3A1 Green, 3A2 Red, 3A3 Amber, 3A4 Red, 3A5 Amber. On 18 April 3A2 went Amber.
    assert headline(page, "Red") == (1, "1 fewer, better")
    assert headline(page, "Amber") == (3, "1 more")
    assert headline(page, "Green")[0] == 1 and headline(page, "Green")[1] == ""  # no change: not said on a chip
    # Overdue then: 3A2 (due 31 March) and 3A4 (31 December); now 3A5 (due 17 April, Amber) too.
    assert headline(page, "Actions overdue") == (3, "1 more, worse")
    assert headline(page, "Slipped since sign-off") == (0, "No change")
    assert headline(page, "Responses due") == (1, "1 fewer, better")
    assert headline(page, "Indicators off target") == (0, "1 fewer, better")
    assert "Changes are since the last meeting of the" in page and "17 April 2024" in page
    # Each figure links to the list behind it.
    assert "overdue=yes" in page and "rating=red" in page and "status=awaiting_response" in page


def test_another_partnerships_actions_and_history_are_not_counted(
    history, elsewhere_world, scrutiny_member, client_for
):
    with time_machine.travel(LATER, tick=False):
        page = dashboard(client_for(scrutiny_member))
    ours = Action.objects.filter(plan=history.actions["3A1"].plan).count()
    assert Action.objects.exclude(plan=history.actions["3A1"].plan).exists()  # Elsewhere has actions too

    tree = page_tree(page)
    total = int(having(tree, "app-headlines__total")[0].xpath(".//strong")[0].text_content())
    table = having(tree, "app-table--ratings-over-time", "table")[0]
    assert total == ours == 5
    assert all(int(row.xpath("./td")[-1].text_content()) == 5 for row in table.xpath(".//tbody/tr"))


def test_before_the_board_has_met_there_is_no_change_to_show_and_no_chart(history, scrutiny_member, client_for):
    with time_machine.travel(at(2024, 1, 1), tick=False):
        page = dashboard(client_for(scrutiny_member))

    assert headline(page, "Actions overdue") == (1, "")  # 3A4, due 31 December 2023
    assert "The plan's board has not met yet" in page
    assert "app-table--ratings-over-time" not in page


def test_the_ratings_charts_table_holds_the_numbers_its_svg_draws(history, scrutiny_member, client_for):
    with time_machine.travel(LATER, tick=False):
        page = dashboard(client_for(scrutiny_member))
    tree = page_tree(page)
    svg = tree.xpath('//h2[@id="ratings-over-time"]/following-sibling::figure[1]//*[local-name()="svg"]')[0]
    table = having(tree, "app-table--ratings-over-time", "table")[0]
    headings = [" ".join(th.text_content().split()) for th in table.xpath(".//thead//th")]
    keys = {"Red": "red", "Amber": "amber", "Green": "green", "Blue": "blue", "Grey": "grey", "Not yet rated": "none"}

    drawn = {
        column.get("data-label"): {
            rect.get("data-category"): int(rect.get("data-value")) for rect in column.xpath(".//*[@data-value]")
        }
        for column in having(svg, "app-chart__column")
    }
    tabled = {}
    for row in table.xpath(".//tbody/tr"):
        cells = [int(td.text_content()) for td in row.xpath("./td")]
        counts = {keys[name]: n for name, n in zip(headings[1:-1], cells[:-1], strict=True) if n}
        tabled[" ".join(row.xpath("./th")[0].text_content().split())] = counts
        assert cells[-1] == sum(counts.values())

    assert drawn == tabled
    assert list(drawn) == ["17 Jan 2024", "17 Apr 2024", "Now"]
    assert drawn["17 Jan 2024"] == {"amber": 1, "red": 1, "green": 1, "grey": 1, "none": 1}
    assert drawn["17 Apr 2024"] == {"green": 1, "red": 2, "amber": 2}
    assert drawn["Now"] == {"green": 1, "red": 1, "amber": 3}
    # The chart is titled and described for assistive technology, and its description has the figures.
    assert svg.get("role") == "img" and svg.xpath('./*[local-name()="title"]')
    assert "17 Apr 2024: 2 Red, 2 Amber, 1 Green" in svg.xpath('./*[local-name()="desc"]')[0].text_content()


def test_the_law_behind_a_response_deadline_is_said_once_not_on_every_row(
    owed, make_report, scrutiny_member, client_for
):
    report = make_report("A second report", received_on=datetime.date(2024, 3, 20))
    Recommendation.objects.create(report=report, number="1", text="Another.", respondent=Respondent.CABINET)
    with time_machine.travel(LATER, tick=False):
        page = dashboard(client_for(scrutiny_member))

    assert page.count("Local Government Act 2000") == 1


def test_the_headline_figures_cost_the_same_queries_however_long_the_history(
    history, owed, off_target, officer, client_for, django_assert_num_queries, make_action
):
    """The change since the last meeting is read from history in a fixed number of queries, the
    whole page's count the same with a longer history."""
    client = client_for(officer)
    with time_machine.travel(LATER, tick=False):
        client.get("/")
        cache.clear()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            client.get("/")
    for n in range(6, 30):
        with time_machine.travel(at(2024, 2, 1), tick=False):
            created = make_action(f"3A{n}")
        for when, brag in ((at(2024, 2, 2), "red"), (at(2024, 3, 2), "amber"), (at(2024, 4, 2), "green")):
            rate(created, officer, brag, when, evidence="Audit of plans.")
    with time_machine.travel(LATER, tick=False):
        cache.clear()
        with django_assert_num_queries(len(before.captured_queries)):
            response = client.get("/")
    assert response.status_code == 200
    assert re.search(r"<strong>29</strong> open actions", response.content.decode())


def test_the_change_since_the_last_meeting_costs_two_queries(
    history, owed, off_target, officer, django_assert_num_queries, rf
):
    """The actions' history and the figures' history; the rest comes from what the sections read."""
    from actions.access import current_plan_for
    from send_tracker.overview import dashboard, headlines

    request = rf.get("/")
    request.user = officer
    plan = current_plan_for(officer)
    today = LATER.date()
    with time_machine.travel(LATER, tick=False):
        context: dict = {"plan": plan, "today": today}
        for section in dashboard.SECTIONS:
            context.update(section(request, plan, today))
        with django_assert_num_queries(2):
            figures = headlines.headline_section(plan, today, context)
    assert figures["headline_since"] == history.second and figures["ratings_chart"] is not None


def test_the_forums_disagreements_say_how_they_changed_since_the_boards_last_meeting(
    history, partnership, officer, scrutiny_member, client_for
):
    """The forum's views as they stood at the meeting, of the ratings then, read with the actions'
    history in its one query: a disagreement with a rating changed since counts then, not now."""
    from actions.forum import give_view
    from send_tracker.accounts.choices import OrganisationKind, Role
    from send_tracker.accounts.models import Organisation
    from tests.conftest import make_user

    forum = Organisation.objects.create(
        partnership=partnership, name="Testshire Parent Carer Forum", short_name="TPCF", kind="parent_carer_forum"
    )
    assert forum.kind == OrganisationKind.PARENT_CARER_FORUM
    fran = make_user("fran", forum, Role.OFFICER)
    actions = history.actions

    def view(ref: str, when: datetime.datetime, position: str = "disagree") -> None:
        with time_machine.travel(when, tick=False):
            give_view(action_id=actions[ref].pk, user=fran, position=position, commentary="Families say – not yet.")

    view("3A1", at(2024, 4, 1))  # on Green: then; rated Amber after the meeting, so not now
    view("3A4", at(2024, 4, 2))  # on Red: then and now
    view("3A3", at(2024, 4, 18, 14))  # after the meeting: now only
    view("3A2", at(2024, 4, 18, 15))  # on the Amber of 18 April: now only
    view("3A5", at(2024, 4, 18, 15), "partly_agree")  # never
    rate(actions["3A1"], officer, "amber", at(2024, 4, 18, 16))
    with time_machine.travel(LATER, tick=False):
        page = dashboard(client_for(scrutiny_member))

    assert headline(page, "Forum disagreements") == (3, "1 more, worse")
