"""Demo accounts: only with DEBUG on, idempotent, and listed for `make run`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from send_tracker.accounts.models import User
from send_tracker.sample_data.demo import DEMO_PASSWORD
from tests import world

pytestmark = pytest.mark.django_db


def not_elsewhere():
    """Everyone but the other partnership's people (tests/world.py), whom the demo never touches."""
    return User.objects.exclude(organisation__partnership__slug=world.SLUG)


def test_refused_when_debug_is_off(settings, oxfordshire_loaded):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="demo accounts are only created with DEBUG on"):
        call_command("demo_accounts", stdout=io.StringIO())

    assert not not_elsewhere().exists()


def test_creates_one_account_per_role_and_a_second_run_adds_none(settings, oxfordshire_loaded):
    settings.DEBUG = True

    call_command("demo_accounts", stdout=io.StringIO())
    history = User.history.count()
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)

    assert not_elsewhere().count() == 6
    assert User.history.count() == history
    assert "unchanged 6" in out.getvalue()
    people = {user.username: user for user in not_elsewhere().select_related("organisation")}
    assert {name: (user.role, user.organisation.short_name) for name, user in people.items()} == {
        "officer": ("officer", "OCC"),
        "icb.officer": ("officer", "BOB ICB"),
        "councillor": ("scrutiny", "OCC"),
        "partner": ("partner", "PCF"),
        "forum": ("officer", "PCF"),
        "admin": ("administrator", "OCC"),
    }
    officer = people["officer"]
    assert (officer.first_name, officer.last_name, officer.job_title) == (
        "Olivia",
        "Officer",
        "SEND Improvement Officer",
    )
    assert people["councillor"].get_full_name() == "Cllr Sam Scrutiny"
    assert all(user.check_password(DEMO_PASSWORD) for user in people.values())
    assert [name for name, user in people.items() if user.is_staff] == ["admin"]
    assert not not_elsewhere().filter(is_superuser=True).exists()
    assert people["admin"].has_perm("actions.change_action")
    # by the Administrator role, which the admin keeps to Oxfordshire (tests/test_admin_scope.py)
    assert people["admin"].has_perm("accounts.change_partnership")


def test_a_changed_demo_password_is_put_back(settings, oxfordshire_loaded):
    settings.DEBUG = True
    call_command("demo_accounts", stdout=io.StringIO())
    partner = not_elsewhere().get(username="partner")
    partner.set_password("something-else-entirely")
    partner.save()

    call_command("demo_accounts", stdout=io.StringIO())

    assert not_elsewhere().get(username="partner").check_password(DEMO_PASSWORD)
    assert not_elsewhere().count() == 6


def test_needs_the_partnership_first(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="load_oxfordshire"):
        call_command("demo_accounts", stdout=io.StringIO())

    assert not not_elsewhere().exists()


def test_print_lists_the_six_sign_ins_and_writes_nothing():
    out = io.StringIO()

    call_command("demo_accounts", "--print", stdout=out)

    assert out.getvalue().splitlines() == [
        "officer / send-demo-2026!  (Officer, OCC)",
        "icb.officer / send-demo-2026!  (Officer, BOB ICB)",
        "councillor / send-demo-2026!  (Scrutiny member, OCC)",
        "partner / send-demo-2026!  (Partner, PCF)",
        "forum / send-demo-2026!  (Officer, PCF)",
        "admin / send-demo-2026!  (Administrator, OCC)",
    ]
    assert not not_elsewhere().exists()
