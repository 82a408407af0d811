"""What is theirs first: signed in, an officer sees at the top of the dashboard what their own
organisation owes (actions due an update in the open round, overdue or slipping, responses owed,
figures due and exception notes asked for), never another organisation's or partnership's; a
councillor sees no panel. Built apart from the cached content, in a fixed number of queries."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from actions.models import Plan
from governance.choices import BoardKind
from governance.models import Board, Meeting
from kpis.choices import Rating
from kpis.models import Indicator, IndicatorValue
from recommendations.choices import Respondent
from recommendations.models import Recommendation
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import Organisation, Partnership
from send_tracker.overview.mine import mine_for
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 20)  # a Friday; the board meets on Thursday 3 December, its round open since 19 November
NOW = datetime.datetime(2026, 11, 20, 12, 0)


def panel(page: str) -> str:
    """The panel's text, or "" when the page has none."""
    found = re.search(r'<section class="app-mine.*?</section>', page, re.S)
    return found.group(0) if found else ""


def their_world(plan: Plan, make_action: Any, make_indicator: Any, make_report: Any, council: Any, icb: Any) -> None:
    """Each organisation's share: for the council 3A1 overdue and 3A2 rated Red, a Cabinet response
    owed, a figure due and an exception note asked for; for the ICB 3B1 due in 5 days and not rated,
    and an NHS body's response owed. 3A3, the council's, is on track and was rated this round."""
    make_action("3A1", due_date=D(2026, 10, 31), brag="amber")
    make_action("3A2", due_date=D(2027, 3, 31), brag="red")
    on_track = make_action("3A3", due_date=D(2027, 3, 31), brag="green")
    make_action("3B1", due_date=D(2026, 11, 25), owner=icb)
    board = Board.objects.create(
        partnership=plan.partnership,
        name="SEND Improvement and Assurance Board",
        kind=BoardKind.IMPROVEMENT_BOARD,
        oversees=plan,
    )
    Meeting.objects.create(board=board, date=D(2026, 11, 5))
    Meeting.objects.create(board=board, date=D(2026, 12, 3), papers_deadline=D(2026, 11, 26))
    on_track.rating_updates.create(version=1, brag="green", previous_brag="green", commentary="Still on track.")
    report = make_report("Scrutiny of EHC plan timeliness")
    Recommendation.objects.create(report=report, number="1", text="The Cabinet should publish.", position=1)
    Recommendation.objects.create(
        report=report,
        number="2",
        text="The ICB should fund therapies.",
        position=2,
        respondent=Respondent.NHS_BODY,
        respondent_organisation=icb,
    )
    waits = make_indicator("CAMHS waits within 18 weeks", owner=council)
    Indicator.objects.filter(pk=waits.pk).update(created_at=datetime.datetime(2025, 1, 6, tzinfo=datetime.UTC))
    IndicatorValue.objects.create(
        indicator=waits,
        period_start=D(2026, 9, 1),
        period_end=D(2026, 9, 30),
        value=Decimal("40"),
        rating=Rating.MISSED,
    )


@pytest.fixture
def world(plan, make_action, make_indicator, make_report, council, icb) -> None:
    with time_machine.travel(NOW, tick=False):
        their_world(plan, make_action, make_indicator, make_report, council, icb)


@time_machine.travel(NOW, tick=False)
def test_each_organisation_sees_its_own_first(world, officer, other_officer, client_for, elsewhere_world):
    council = panel(client_for(officer).get("/yours/").content.decode())
    icb = panel(client_for(other_officer).get("/yours/").content.decode())

    assert "Yours to do" in council and "Testshire County Council" in council
    assert "2 actions due an update by 26 November 2026" in council  # 3A1, 3A2; not 3A3, updated
    assert "Action 3A1</a>: Overdue by 20 days" in council and "Action 3A2</a>: Rated Red" in council
    assert "1 scrutiny response owed" in council and "Recommendation 1</a>" in council
    assert "CAMHS waits within 18 weeks</a>: the figure for October 2026 is due" in council
    assert "September 2026 missed its target" in council
    assert "3B1" not in council and "Recommendation 2<" not in council

    assert "1 action due an update" in icb and "Action 3B1</a>: Due in 5 days" in icb
    assert "Recommendation 2</a>" in icb
    assert "3A1" not in icb and "3A2" not in icb and "CAMHS" not in icb
    for page in (council, icb):
        assert "Elsewhere" not in page


@time_machine.travel(NOW, tick=False)
def test_another_partnership_is_never_shown(world, outsider, client_for):
    for url in ("/", "/yours/"):
        page = panel(client_for(outsider).get(url).content.decode())

        assert "Yours to do" in page
        assert not re.search(r"3A1|3B1|CAMHS|Testshire", page), url


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_counts_each_kind_under_its_title_above_the_headline_figures(world, officer, client_for):
    page = client_for(officer).get("/").content.decode()
    summary = panel(page)

    assert page.index("</h1>") < page.index('<section class="app-mine"') < page.index('class="app-headlines"')
    assert "Yours to do</a>: 7 items" in summary  # the total, all a phone shows
    for count in (
        'href="/yours/#update-due"><strong>2</strong> actions due an update',
        'href="/yours/#slipping"><strong>2</strong> overdue or slipping',
        'href="/yours/#responses-owed"><strong>1</strong> response owed',
        'href="/yours/#figures-due"><strong>1</strong> figure due',
        'href="/yours/#figures-due"><strong>1</strong> exception note asked for',
    ):
        assert count in summary, count
    assert "3A1" not in summary  # the items themselves are on the page "Yours to do"
    yours = client_for(officer).get("/yours/").content.decode()
    for anchor in ("update-due", "slipping", "responses-owed", "figures-due"):
        assert f'id="{anchor}"' in yours, anchor


@time_machine.travel(NOW, tick=False)
def test_a_councillor_or_a_partner_has_no_panel(world, scrutiny_member, partner_user, client_for):
    for person in (scrutiny_member, partner_user):
        page = client_for(person).get("/").content.decode()
        assert page and panel(page) == "", person.username
        assert client_for(person).get("/yours/").status_code == 403, person.username


def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get("/yours/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@time_machine.travel(NOW, tick=False)
def test_nothing_due_says_so(plan, officer, client_for):
    page = panel(client_for(officer).get("/yours/").content.decode())

    assert "Nothing of " in page and "is due" in page
    assert "Yours to do</a>: nothing due" in panel(client_for(officer).get("/").content.decode())


@time_machine.travel(NOW, tick=False)
def test_the_panel_is_built_again_when_the_data_changes(world, officer, client_for, django_capture_on_commit_callbacks):
    client = client_for(officer)
    assert "CAMHS waits within 18 weeks</a>: the figure for October 2026 is due" in panel(
        client.get("/yours/").content.decode()
    )
    assert "<strong>1</strong> figure due" in panel(client.get("/").content.decode())

    waits = Indicator.objects.get(name="CAMHS waits within 18 weeks")
    with django_capture_on_commit_callbacks(execute=True):  # the data version moves when a change commits
        IndicatorValue.objects.create(
            indicator=waits, period_start=D(2026, 10, 1), period_end=D(2026, 10, 31), value=Decimal("70")
        )

    assert "the figure for October 2026 is due" not in panel(client.get("/yours/").content.decode())
    assert "figure due" not in panel(client.get("/").content.decode())


def another_partnership(n: int, make_indicator: Callable[..., Indicator]) -> None:
    """A partnership with a plan, a board in its round, and the same kinds of items due."""
    partnership = Partnership.objects.create(name=f"Partnership {n}", slug=f"partnership-{n}")
    council = Organisation.objects.create(
        partnership=partnership, name=f"Council {n}", short_name=f"C{n}", kind=OrganisationKind.COUNCIL
    )
    make_user(f"officer{n}", council, Role.OFFICER)
    plan = Plan.objects.create(partnership=partnership, title=f"Plan {n}", is_current=True)
    board = Board.objects.create(partnership=partnership, name="Board", kind=BoardKind.IMPROVEMENT_BOARD, oversees=plan)
    Meeting.objects.create(board=board, date=D(2026, 12, 3))
    make_indicator("Figures", partnership=partnership, owner=council, unit="number")


@time_machine.travel(NOW, tick=False)
def test_the_panel_costs_the_same_queries_however_many_partnerships(
    world, officer, rf, make_indicator, django_assert_num_queries, django_assert_max_num_queries
):
    request = rf.get("/")
    request.user = officer
    with django_assert_max_num_queries(PANEL_QUERIES) as first:
        mine = mine_for(request, TODAY)
    assert mine is not None and mine.update_due and mine.slipping and mine.figures_due and mine.notes_asked
    for n in range(3):
        another_partnership(n, make_indicator)
    cache.clear()

    with django_assert_num_queries(len(first.captured_queries)):
        mine_for(request, TODAY)


@time_machine.travel(NOW, tick=False)
def test_the_page_costs_the_same_queries_however_many_partnerships(
    world, officer, client_for, make_indicator, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_for(officer)
    cache.clear()
    with django_assert_max_num_queries(PAGE_QUERIES) as first:
        assert client.get("/yours/").status_code == 200
    for n in range(3):
        another_partnership(n, make_indicator)
    cache.clear()

    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/yours/")


# The plan, the round (board, meetings, bank holidays), the actions due an update, those overdue or
# slipping, the responses owed, the figures due and the exception notes asked for.
PANEL_QUERIES = 9
# The session and the person, the partnership's data version (send_tracker.freshness) and the
# panel's own; the alerts in the header.
PAGE_QUERIES = PANEL_QUERIES + 6
