"""The dashboard's cached content is exact: every committed change to a partnership's data shows on
its next dashboard, nothing else is built again, and no one sees another's header or partnership
(send_tracker/freshness.py, send_tracker/overview/dashboard.py).

A test runs inside one transaction that never commits, so a write's on-commit bumps are run here
as its commit would run them (`committed`); a page read before they run shows what a reader sees
while the write is not yet committed, the cached content.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse

from actions.models import Action, Plan
from actions.services import record_rating_update
from governance import services as governance_services
from governance.choices import BoardKind
from governance.models import Board, Meeting, Risk
from kpis import services as kpi_services
from kpis.choices import Frequency, Polarity, Unit
from kpis.dfe_timeliness import import_timeliness_file
from kpis.models import Indicator
from recommendations import services as recommendation_services
from recommendations.choices import Outcome, Respondent, ResponseRegime
from recommendations.models import Recommendation, Report
from send_tracker import freshness
from send_tracker.accounts.models import Organisation, User

FUTURE = datetime.date(2099, 12, 31)
DFE_2025 = Path(settings.BASE_DIR) / "send_tracker" / "seed_data" / "dfe_ehcp_timeliness_20_week_ry2025_all_plans.csv"


def main(page: str) -> str:
    """The page's main content, less the reader's own panel (send_tracker/overview/mine.py)."""
    content = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'<section class="app-mine.*?</section>', "", content, flags=re.S)


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    """A block whose on-commit callbacks run at its end, as a committed transaction's would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def reader(scrutiny_member: User, client_for: Callable[[User | None], Client]) -> Callable[[], str]:
    """The dashboard below the header, as a councillor reads it."""
    client = client_for(scrutiny_member)
    return lambda: main(client.get("/").content.decode())


@pytest.fixture
def far_off(make_action: Callable[..., Action]) -> Action:
    """Due long after today and not rated: not on the dashboard's list of what is slipping."""
    return make_action("3A1", due_date=FUTURE, due_date_text="Dec 99")


def test_a_rating_shows_once_committed_and_not_before(far_off, officer, reader, django_capture_on_commit_callbacks):
    assert "Rated Red" not in reader()

    with django_capture_on_commit_callbacks() as bumps:
        record_rating_update(
            action_id=far_off.pk, user=officer, brag="red", commentary="Delayed.", based_on_version=far_off.version
        )
    assert "Rated Red" not in reader()  # not committed yet: the cached content still stands
    for bump in bumps:
        bump()

    assert "Rated Red" in reader()


def test_a_kpi_figure_shows_on_the_next_dashboard(partnership, council, officer, plan, reader, committed):
    indicator = Indicator.objects.create(
        partnership=partnership, name="Plans issued within 20 weeks", unit=Unit.PERCENT,
        polarity=Polarity.HIGHER_IS_BETTER, frequency=Frequency.MONTHLY, owner=council,
    )  # fmt: skip
    assert "No figure yet" in reader()

    with committed():
        kpi_services.record_value(indicator_id=indicator.pk, user=officer, period="2024-01", value="41.5")

    page = reader()
    assert "No figure yet" not in page and "41.5" in page


def test_a_response_takes_the_recommendation_off_the_awaiting_list(partnership, council, plan, reader, committed):
    committee = Board.objects.create(
        partnership=partnership, name="Scrutiny Committee", short_name="EYP", kind=BoardKind.SCRUTINY_COMMITTEE
    )
    report = recommendation_services.save_report(
        Report(
            partnership=partnership, committee=committee, title="Update on the plan",
            received_on=datetime.date(2024, 4, 23), regime=ResponseRegime.OVERVIEW_AND_SCRUTINY,
        ),
        user=None, reason="Test report",
    )  # fmt: skip
    recommendation = Recommendation.objects.create(
        report=report, number="1", text="Hear the voice of children.", respondent=Respondent.CABINET,
        respondent_organisation=council,
    )  # fmt: skip
    assert "1 recommendation is owed a response" in reader()

    with committed():
        recommendation_services.record_response(
            recommendation_id=recommendation.pk, user=None, outcome=Outcome.ACCEPTED,
            proposed_action="We will.", given_on=datetime.date(2024, 5, 1),
        )  # fmt: skip

    assert "No recommendation is waiting for a response" in reader()


def test_an_admin_save_shows_on_the_next_dashboard(administrator, partnership, plan, reader, client_for, committed):
    administrator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_partnership", "change_partnership"])
    )
    assert "Testshire Renamed" not in reader()

    with committed():
        response = client_for(administrator).post(
            reverse("admin:accounts_partnership_change", args=[partnership.pk]),
            {
                "name": "Testshire Renamed Partnership", "slug": partnership.slug, "area_name": partnership.area_name,
                "area_code": partnership.area_code, "region": partnership.region,
            },
        )  # fmt: skip
    assert response.status_code == 302

    assert "Testshire Renamed Partnership" in reader()


def test_a_bulk_update_and_a_delete_show_on_the_next_dashboard(make_action, council, reader, committed):
    make_action("3A1", brag="red", due_date=FUTURE)
    doomed = make_action("3A2", brag="red", due_date=FUTURE)
    page = reader()
    assert ">3A2<" in page and "Renamed Council" not in page

    with committed():
        Organisation.objects.filter(pk=council.pk).update(short_name="Renamed Council")
    assert "Renamed Council" in reader()

    with committed():
        doomed.delete()
    assert ">3A2<" not in reader()


def test_the_dfe_figures_and_a_risk_rescore_replace_the_versions_they_should(partnership, other_partnership, committed):
    testshire = freshness.data_version(partnership.pk)
    risk = Risk.objects.create(
        partnership=other_partnership, reference="R99", title="Too few educational psychologists",
        likelihood_before=4, impact_before=4, likelihood_after=3, impact_after=3,
    )  # fmt: skip
    elsewhere = freshness.data_version(other_partnership.pk)
    with committed():
        governance_services.rescore_risk(
            risk_id=risk.pk, user=None, scores=governance_services.Scores(3, 3, 2, 2),
            comment="Re-scored.", based_on_version=risk.version, next_review_date=FUTURE,
        )  # fmt: skip
    # Another partnership's change leaves this one's cached pages alone.
    assert freshness.data_version(partnership.pk) == testshire
    assert freshness.data_version(other_partnership.pk) != elsewhere

    elsewhere = freshness.data_version(other_partnership.pk)
    with committed():
        import_timeliness_file(DFE_2025)
    # The DfE's figures are every partnership's.
    assert freshness.data_version(partnership.pk) != testshire
    assert freshness.data_version(other_partnership.pk) != elsewhere


def test_a_rolled_back_change_replaces_no_version(far_off, officer, partnership, committed):
    before = freshness.data_version(partnership.pk)

    with committed() as bumps:
        with suppress(RuntimeError), transaction.atomic():
            record_rating_update(
                action_id=far_off.pk, user=officer, brag="red", commentary="Delayed.", based_on_version=far_off.version
            )
            raise RuntimeError("the request failed after the write")

    assert bumps == [] and freshness.data_version(partnership.pk) == before


def test_signing_in_replaces_no_version(scrutiny_member, partnership, client_for, committed):
    before = freshness.data_version(partnership.pk)
    with committed():
        client_for(scrutiny_member)  # records the person's last sign-in
    assert freshness.data_version(partnership.pk) == before


def test_the_header_is_each_readers_own_over_the_same_cached_content(
    far_off, officer, scrutiny_member, client_for, django_assert_max_num_queries
):
    as_officer = client_for(officer).get("/").content.decode()
    councillor = client_for(scrutiny_member)
    with django_assert_max_num_queries(3):  # the session, the person, their unread alerts
        as_councillor = councillor.get("/").content.decode()

    assert "Olivia Officer" in as_officer and "Sam Scrutiny" not in as_officer
    assert "Sam Scrutiny" in as_councillor and "Olivia Officer" not in as_councillor
    assert main(as_officer) == main(as_councillor)


def test_a_cached_dashboard_never_reaches_another_partnership(far_off, officer, outsider, client_for):
    assert "Testshire" in client_for(officer).get("/").content.decode()

    page = client_for(outsider).get("/").content.decode()

    assert "Testshire" not in page


def test_the_dashboard_is_built_again_each_day_and_for_each_chosen_board(
    make_action, partnership, scrutiny_member, client_for
):
    make_action("3A1", due_date=datetime.date(2026, 10, 31))
    for name in ("Improvement Board", "Health Scrutiny Committee"):
        board = Board.objects.create(partnership=partnership, name=name, kind=BoardKind.IMPROVEMENT_BOARD)
        Meeting.objects.create(board=board, date=datetime.date(2026, 9, 1))
    committee = Board.objects.get(name="Health Scrutiny Committee")
    client = client_for(scrutiny_member)

    with time_machine.travel(datetime.datetime(2026, 11, 22, 12, 0), tick=False):
        assert "Overdue by 22 days" in client.get("/").content.decode()
        chosen = client.get(f"/?board={committee.pk}").content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, 0), tick=False):
        assert "Overdue by 23 days" in client.get("/").content.decode()

    assert f'<option value="{committee.pk}" selected>' in chosen


def test_a_warm_dashboard_reads_only_the_person_and_a_cold_one_at_most_ten_queries(
    make_action, officer, scrutiny_member, client_for, django_assert_max_num_queries, django_assert_num_queries
):
    for n in range(1, 6):
        make_action(f"3A{n}", brag="red")
    client = client_for(officer)
    councillor = client_for(scrutiny_member)  # no panel: an officer's own has its budget (tests/test_mine.py)
    with django_assert_max_num_queries(10):
        councillor.get("/")
    # The person; and the session, unless Redis keeps a copy of it. Their unread count is kept in
    # the cache too (send_tracker/alerts/unread.py), from the first visit on, and their own panel.
    session_queries = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    client.get("/")  # the session, read once from the database, is in the cache from here on
    with django_assert_num_queries(1 + session_queries):
        response = client.get("/")
    assert response.status_code == 200 and "3A5" in response.content.decode()


def test_a_cache_that_does_not_answer_costs_speed_never_a_page_or_a_change(
    action, officer, client_for, settings, caplog, committed
):
    """Redis down: a rating still saves (its new data version is logged as lost), and the
    dashboard and the public page are built uncached."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    action.plan.is_public = True
    action.plan.save()

    with committed():
        record_rating_update(
            action_id=action.pk,
            user=officer,
            brag="red",
            commentary="Two posts vacant.",
            based_on_version=action.version,
        )

    assert Action.objects.get(pk=action.pk).brag == "red"
    assert "Could not replace the data version" in caplog.text
    assert client_for(officer).get("/").status_code == 200
    assert client_for(None).get(reverse("public_partnership", args=[action.plan.partnership.slug])).status_code == 200


def test_an_instance_administrator_is_served_uncached(far_off, client_for):
    """They may read every partnership, and are few: their dashboard is built for each request."""
    client = client_for(User.objects.create_superuser("root", "root@example.com", "x"))
    client.get("/")
    Plan.objects.update(title="Retitled in bulk, which replaces no version")

    assert "Retitled in bulk" in client.get("/").content.decode()
