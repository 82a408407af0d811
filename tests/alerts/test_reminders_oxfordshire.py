"""On the real Oxfordshire case: `scan_deadlines --as-of 2026-12-07` (a Monday) sends the council's
officers one grouped reminder naming each overdue action the council owns, however long ago it
fell due, and a second run that week sends nothing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from actions.choices import Brag
from actions.models import Action
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import Organisation
from send_tracker.alerts.reminders import absolute
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 12, 7)


@pytest.fixture
def council(oxfordshire_committed: None) -> Organisation:
    return Organisation.objects.get(partnership__slug="oxfordshire", kind=OrganisationKind.COUNCIL)


def test_the_councils_officers_get_one_reminder_naming_each_overdue_action_they_own(council):
    officers = [
        make_user(f"oxon.officer{n}", council, Role.OFFICER, email=f"officer{n}@oxfordshire.gov.uk") for n in (1, 2)
    ]
    overdue = list(
        Action.objects.filter(plan__partnership__slug="oxfordshire", owner=council, due_date__lt=AS_OF)
        .open()
        .exclude(brag__in=[Brag.GREEN, Brag.BLUE])
        .order_by("due_date")
    )
    assert len(overdue) >= 5  # the published plan's dates are in 2024 and 2025

    for _ in range(2):
        out = StringIO()
        call_command("scan_deadlines", "--as-of", AS_OF.isoformat(), stdout=out)

    for officer in officers:
        (message,) = [message for message in mail.outbox if message.to == [officer.email]]
        assert message.subject.endswith("overdue items still open")
        assert f"Plan actions ({len(overdue)})" in message.body
        html = message.alternatives[0][0]
        for action in overdue:
            assert f"Action {action.published_ref} is overdue: it was due on " in message.body
            assert absolute(action.get_absolute_url()) in message.body
            assert f'href="{absolute(action.get_absolute_url())}"' in html
    assert "written 0, emailed 0" in out.getvalue()  # the second run that week
    assert out.getvalue().strip().splitlines()[-1] == "alerts created: 0"
