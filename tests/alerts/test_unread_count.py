"""The unread count in the header is kept in the cache and exact (send_tracker/alerts/unread.py):
every committed change to a person's alerts shows on their next page, in both partnerships, and
nobody else's count moves.

A test runs inside one transaction that never commits, so a write's on-commit callbacks are run
here as its commit would run them (`committed`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action
from send_tracker.accounts.models import User
from send_tracker.alerts import unread
from send_tracker.alerts.choices import AlertKind
from send_tracker.alerts.models import Alert
from send_tracker.alerts.sweep import sweep
from tests.alerts.conftest import action_due

D = datetime.date
UNREAD = re.compile(r"Alerts \((\d+) unread\)")


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], AbstractContextManager[Any]]:
    """A block whose on-commit callbacks run at its end, as a committed transaction's would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def header(client_for: Callable[[User | None], Client]) -> Callable[[User], int]:
    """The count in a person's header on the dashboard, each person with a browser of their own."""
    clients: dict[int, Client] = {}

    def read(person: User) -> int:
        client = clients.setdefault(person.pk, client_for(person))
        found = UNREAD.search(client.get("/").content.decode())
        assert found is not None
        return int(found.group(1))

    return read


def alert_for(person: User, action: Action, kind: str = AlertKind.ACTION_DUE_14) -> Alert:
    return Alert.objects.create(
        recipient=person,
        kind=kind,
        subject_type=ContentType.objects.get_for_model(Action),
        subject_id=action.pk,
        due_date=action.due_date or D(2026, 4, 30),
        title=f"{action.ref} is due",
        link=action.get_absolute_url(),
    )


def in_database(person: User) -> int:
    return Alert.objects.for_user(person).unread().count()


def test_a_raised_alert_shows_at_once_to_its_person_and_no_one_else(
    make_action, officer, outsider, with_emails, header, committed
):
    assert (header(officer), header(outsider)) == (0, 1)  # Elsewhere's officer has one unread
    action_due(make_action, "3A1", D(2026, 4, 30))
    action_due(make_action, "3A2", D(2026, 5, 8))

    with committed():
        sweep(D(2026, 4, 25))  # Elsewhere's items are swept too

    assert header(officer) == 2 == in_database(officer)
    assert header(outsider) == in_database(outsider)
    before = in_database(outsider)

    with committed():
        alert_for(outsider, elsewhere_action(outsider), AlertKind.ACTION_DUE_7)

    assert (header(officer), header(outsider)) == (2, before + 1)


def elsewhere_action(outsider: User) -> Action:
    action = Action.objects.filter(plan__partnership=outsider.partnership_id).order_by("pk").first()
    assert action is not None
    return action


def test_reading_one_and_reading_all_show_at_once(
    make_action, officer, other_officer, outsider, with_emails, header, client_for, committed
):
    action_due(make_action, "3A1", D(2026, 4, 30), lead_officer=other_officer)
    action_due(make_action, "3A2", D(2026, 5, 8))
    with committed():
        sweep(D(2026, 4, 25))
    assert (header(officer), header(other_officer), header(outsider)) == (2, 1, 1)
    first = Alert.objects.filter(recipient=officer).order_by("due_date").first()
    assert first is not None

    with committed():
        client_for(officer).post(f"/alerts/{first.pk}/read/")

    assert (header(officer), header(other_officer), header(outsider)) == (1, 1, 1)

    with committed():
        client_for(officer).post("/alerts/read-all/")

    assert (header(officer), header(other_officer), header(outsider)) == (0, 1, 1)


def test_before_its_commit_a_change_is_not_shown_and_after_it_it_is(
    action, officer, header, django_capture_on_commit_callbacks
):
    assert header(officer) == 0

    with django_capture_on_commit_callbacks() as callbacks:
        alert_for(officer, action)
    assert header(officer) == 0  # not committed: the kept count stands, as for any other reader
    for callback in callbacks:
        callback()

    assert header(officer) == 1


def test_a_count_taken_while_a_change_commits_is_not_served_after_it(action, officer, committed):
    def count_then_a_change_commits() -> int:
        before = in_database(officer)
        with committed():
            alert_for(officer, action)
        return before

    assert unread.count_for(officer.pk, count_then_a_change_commits) == 0  # what it counted

    assert unread.count_for(officer.pk, lambda: in_database(officer)) == 1


def test_writes_that_send_no_signal_reach_the_count(action, officer, other_officer, header, committed):
    alerts = [alert_for(officer, action, kind) for kind in (AlertKind.ACTION_DUE_14, AlertKind.ACTION_OVERDUE)]
    assert (header(officer), header(other_officer)) == (2, 0)

    with committed():
        Alert.objects.filter(pk=alerts[0].pk).update(read_at=datetime.datetime.now(datetime.UTC))
    assert header(officer) == 1

    with committed():
        Alert.objects.filter(pk=alerts[1].pk).update(recipient=other_officer)
    assert (header(officer), header(other_officer)) == (0, 1)

    alerts[1].recipient = officer
    with committed():
        Alert.objects.bulk_update([alerts[1]], ["recipient"])
    assert (header(officer), header(other_officer)) == (1, 0)

    with committed():
        Alert.objects.bulk_create([Alert(**{**_fields(alerts[1]), "kind": AlertKind.ACTION_DUE_7, "pk": None})])
    assert header(officer) == 2


def _fields(alert: Alert) -> dict[str, Any]:
    return {field.attname: getattr(alert, field.attname) for field in Alert._meta.concrete_fields}


def test_a_save_that_gives_an_alert_to_someone_else_and_a_delete_reach_both_counts(
    action, officer, other_officer, header, committed
):
    alert = alert_for(officer, action)
    assert (header(officer), header(other_officer)) == (1, 0)

    alert.recipient = other_officer
    with committed():
        alert.save()
    assert (header(officer), header(other_officer)) == (0, 1)

    with committed():
        alert.delete()
    assert (header(officer), header(other_officer)) == (0, 0)


def test_a_kept_count_costs_no_query(action, officer, header):
    alert_for(officer, action)
    assert header(officer) == 1

    with CaptureQueriesContext(connection) as queries:
        assert header(officer) == 1

    assert not [query for query in queries if "alerts_alert" in query["sql"]]


def test_without_the_cache_the_count_comes_from_the_database(action, officer, header, caplog):
    alert_for(officer, action)

    with mock.patch.object(unread.cache, "get_many", side_effect=ConnectionError("cache down")):
        assert header(officer) == 1

    assert "counted in the database" in caplog.text


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["raise", "read one", "read all", "delete"]), st.sampled_from(["officer", "outsider"])),
    max_size=8,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_whatever_happens_to_two_partnerships_alerts_each_header_shows_the_database(
    operations, action, officer, outsider, header, committed
):
    people = {"officer": officer, "outsider": outsider}
    actions = {"officer": action, "outsider": elsewhere_action(outsider)}
    for operation, whose in operations:
        person = people[whose]
        mine = Alert.objects.for_user(person)
        with committed():
            if operation == "raise":
                kinds = set(AlertKind.values) - set(mine.values_list("kind", flat=True))
                if kinds:
                    alert_for(person, actions[whose], min(kinds))
            elif operation == "read one" and (first := mine.unread().first()) is not None:
                client = Client()
                client.force_login(person)
                client.post(f"/alerts/{first.pk}/read/")
            elif operation == "read all":
                mine.unread().update(read_at=datetime.datetime.now(datetime.UTC))
            elif operation == "delete" and (last := mine.last()) is not None:
                last.delete()
        assert header(officer) == in_database(officer)
        assert header(outsider) == in_database(outsider)
    with committed():  # the next example starts with no alerts
        Alert.objects.filter(recipient__in=people.values()).delete()
