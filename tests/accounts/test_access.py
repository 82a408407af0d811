"""The access rules for each kind of caller a request can carry: a person, nobody, or an API key."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from send_tracker.accounts import access
from send_tracker.accounts.choices import Role
from send_tracker.accounts.principals import ApiKeyPrincipal
from send_tracker.alerts import services as alert_services
from send_tracker.alerts.models import AlertPreference, Follow
from send_tracker.api.keys import create_api_key
from tests.conftest import make_user


@pytest.fixture
def callers(partnership, council, icb, officer, administrator, partner_user):
    deactivated = make_user("gone", council, Role.ADMINISTRATOR, is_active=False)
    return {
        "nobody": None,
        "anonymous": AnonymousUser(),
        "deactivated administrator": deactivated,
        "officer": officer,
        "administrator": administrator,
        "partner": partner_user,
        "instance administrator": make_user("root", None, Role.PARTNER, is_superuser=True),
        "person of no organisation": make_user("loose", None, Role.OFFICER),
        "read key": ApiKeyPrincipal(create_api_key(organisation=council, name="Read")[0]),
        "write key": ApiKeyPrincipal(create_api_key(organisation=council, name="Write", can_write=True)[0]),
    }


def test_each_caller_reads_its_own_partnership_or_nothing(callers, partnership):
    readable = {name: access.partnership_ids_for(caller) for name, caller in callers.items()}
    assert readable == {
        "nobody": [],
        "anonymous": [],
        "deactivated administrator": [],
        "officer": [partnership.pk],
        "administrator": [partnership.pk],
        "partner": [partnership.pk],
        "instance administrator": None,
        "person of no organisation": [],
        "read key": [partnership.pk],
        "write key": [partnership.pk],
    }


def test_each_caller_changes_what_its_role_and_organisation_allow(callers, partnership, other_partnership, council):
    changes = {
        name: (
            access.may_change_owned_by(caller, partnership.pk, council.pk),
            access.may_change_in_partnership(caller, partnership.pk),
            access.may_change_owned_by(caller, other_partnership.pk, council.pk),
        )
        for name, caller in callers.items()
    }
    # (what the council owns, anything in the partnership, a claim on another partnership)
    assert changes == {
        "nobody": (False, False, False),
        "anonymous": (False, False, False),
        "deactivated administrator": (False, False, False),
        "officer": (True, False, False),
        "administrator": (True, True, False),
        "partner": (False, False, False),
        "instance administrator": (True, True, True),
        "person of no organisation": (False, False, False),
        "read key": (False, False, False),
        "write key": (True, False, False),
    }


def test_only_an_active_person_is_a_person_and_each_caller_has_its_partnership(callers, partnership):
    people = {name for name, caller in callers.items() if access.person(caller) is not None}
    assert people == {"officer", "administrator", "partner", "instance administrator", "person of no organisation"}
    belongs = {name for name, caller in callers.items() if access.partnership_of(caller) == partnership}
    assert belongs == {"officer", "administrator", "partner", "read key", "write key"}


def test_an_api_key_or_a_visitor_follows_nothing_and_has_no_choices_to_write(callers, action):
    key = callers["write key"]
    written_before = (Follow.objects.count(), AlertPreference.objects.count())
    assert alert_services.is_following(key, action) is False
    assert alert_services.is_following(AnonymousUser(), action) is False
    with pytest.raises(PermissionDenied):
        alert_services.set_following(user=key, subject=action, follow=True)
    with pytest.raises(PermissionDenied):
        alert_services.set_preferences(user=key, modes={})
    with pytest.raises(PermissionDenied):
        alert_services.preferences_for(AnonymousUser())
    assert (Follow.objects.count(), AlertPreference.objects.count()) == written_before
