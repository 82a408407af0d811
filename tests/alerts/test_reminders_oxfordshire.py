"""On the real Oxfordshire case: `scan_deadlines --as-of 2026-12-07` (a Monday) sends the council's
officers one grouped reminder naming each overdue action the council owns, however long ago it
fell due, and a second run that week sends nothing. The demo is loaded that day, so its own items
(an action arising, a risk review) are overdue by weeks, not years."""

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
OXFORDSHIRE_LOADED_ON = AS_OF


@pytest.fixture
def council(oxfordshire_committed: None) -> Organisation:
    return Organisation.objects.get(partnership__slug="oxfordshire", kind=OrganisationKind.COUNCIL)


def test_the_councils_officers_get_one_reminder_naming_each_overdue_action_they_own(council):
    officers = [
        make_user(f"oxon.officer{n}", council, Role.OFFICER, email=f"officer{n}@oxfordshire.gov.uk") for n in (1, 2)
    ]
    overdue = list(
        Action.objects.filter(plan__partnership__slug="oxfordshire", owner=council).overdue(AS_OF).order_by("due_date")
    )
    assert len(overdue) >= 5  # the published plan's dates are in 2024 and 2025
    assert not [action for action in overdue if action.brag in (Brag.GREEN, Brag.BLUE) or action.is_retired]

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
            assert action.description in message.body  # what it is, not only its reference
            assert absolute(action.get_absolute_url()) in message.body
            assert f'href="{absolute(action.get_absolute_url())}"' in html
        assert message.body.count(" is overdue: it was due on ") == len(overdue)
        # However long overdue, and the demo's own risk review overdue since its meeting of
        # 21 September (the demo is dated from the day it was loaded).
        assert f"{(AS_OF - overdue[0].due_date).days:,} days overdue." in message.body
        assert (
            "Risk reviews (1)\n\n- Risk R1 was due for review on 21 September 2026\n"
            "  Lack of capacity in CEF to meet demand and workload\n  77 days overdue.\n"
        ) in message.body
    assert "written 0, emailed 0" in out.getvalue()  # the second run that week
    assert out.getvalue().strip().splitlines()[-1] == "alerts created: 0"


def test_the_demos_own_overdue_items_are_weeks_overdue_not_years(council):
    icb = Organisation.objects.get(partnership__slug="oxfordshire", kind=OrganisationKind.ICB)
    officer = make_user("oxon.icb", icb, Role.OFFICER, email="icb@example.nhs.uk")

    call_command("scan_deadlines", "--as-of", AS_OF.isoformat(), stdout=StringIO())

    (message,) = [message for message in mail.outbox if message.to == [officer.email]]
    # The action arising of the demo's meeting of 21 September, due at the one of 23 November.
    assert (
        "Actions arising from board meetings (1)\n\n- Action arising overdue: from the Oxfordshire SEND Strategic "
        "Improvement and Assurance Board meeting on 21 September 2026, due 23 November 2026\n"
        "  Review vacancies on the decision-making panels (4B2).\n"
        "  14 days overdue.\n"
    ) in message.body
