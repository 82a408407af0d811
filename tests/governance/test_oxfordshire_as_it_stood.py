"""A fresh load of the Oxfordshire case, read "as it stood" at its last held demo meeting: the
loader dates each row's history when the thing happened (a recommendation when the report was
received, a response when it was recorded from the papers, a figure when it was published), so a
meeting since then sees them, and the dashboard compares like with like."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from governance.meeting_figures import read_meeting_figures
from governance.models import Meeting
from kpis.choices import Rating
from kpis.models import Indicator, IndicatorValue
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import Organisation
from send_tracker.sample_data.loader import FIGURE_PUBLISHED_AFTER
from tests.conftest import make_user
from tests.governance.test_dashboard_headlines import headline

pytestmark = pytest.mark.django_db

SIAB = "Oxfordshire SEND Strategic Improvement and Assurance Board"
# Loaded on the last day of a month: the last held demo meeting ("2 weeks ago", 17 December) comes
# after last month's figures were published (14 December), so no figure and no recommendation has
# changed since that meeting, and the dashboard must say so.
OXFORDSHIRE_LOADED_ON = datetime.date(2026, 12, 31)
THAT_DAY = datetime.datetime(2026, 12, 31, 10, tzinfo=datetime.UTC)


@pytest.fixture
def last_meeting(oxfordshire_committed: None) -> Meeting:
    meeting = (
        Meeting.objects.filter(board__name=SIAB, board__partnership__slug="oxfordshire", date__lt=THAT_DAY.date())
        .order_by("-date")
        .first()
    )
    assert meeting is not None
    return meeting


def off_target_from_the_figures(day: datetime.date) -> int:
    """From the figures themselves: indicators whose latest figure published by `day` missed."""
    published_by = day - FIGURE_PUBLISHED_AFTER
    missed = 0
    for indicator in Indicator.objects.filter(partnership__slug="oxfordshire"):
        latest = (
            IndicatorValue.objects.filter(indicator=indicator, period_end__lt=published_by)
            .order_by("-period_start")
            .first()
        )
        missed += bool(latest and latest.rating == Rating.MISSED)
    return missed


def test_a_councillors_dashboard_says_no_change_where_nothing_changed_since_the_meeting(last_meeting, client_for):
    assert last_meeting.date == datetime.date(2026, 12, 17)
    council = Organisation.objects.get(partnership__slug="oxfordshire", kind=OrganisationKind.COUNCIL)
    councillor = make_user("cllr.oxon", council, Role.SCRUTINY)
    with time_machine.travel(THAT_DAY, tick=False):
        cache.clear()
        page = client_for(councillor).get("/").content.decode()

    # Loaded the same day, the twelve statutory responses owed since 2023 and 2024 were owed then too.
    assert headline(page, "Responses due") == (12, "No change")
    off_target = off_target_from_the_figures(THAT_DAY.date())
    assert off_target > 0
    assert headline(page, "Indicators off target") == (off_target, "No change")


def test_the_pack_of_the_last_held_demo_meeting_has_the_figures_and_recommendations_as_they_stood(
    last_meeting, client_for
):
    with time_machine.travel(THAT_DAY, tick=False):
        figures = read_meeting_figures(last_meeting)
        council = Organisation.objects.get(partnership__slug="oxfordshire", kind=OrganisationKind.COUNCIL)
        pack = client_for(make_user("cllr.pack", council, Role.SCRUTINY)).get(
            reverse("governance:board_pack", args=[last_meeting.pk, "csv"])
        )

    assert [row.rating_label for row in figures.indicators].count("No figure") == 0
    assert sum(row.is_off_target for row in figures.indicators) == off_target_from_the_figures(last_meeting.date)
    # The recommendations the Cabinet received in 2023 and 2024 and never answered, overdue since.
    assert len(figures.awaiting) == 12
    assert all(item.days_left is not None and item.days_left < 0 for item in figures.awaiting)
    headlines = {row.key: row.change_text for row in figures.headlines}
    assert headlines["responses_due"] == "No change (was 12)"

    text = pack.content.decode("utf-8-sig")
    assert pack.status_code == 200
    assert "No recommendation was awaiting a response" not in text
    assert "No figure" not in text
    assert len(re.findall(r"\d+ days overdue", text)) == 12
