"""The in-app alerts list, its unread count, following, choosing delivery, and /healthz."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from send_tracker.alerts.choices import AlertKind, Delivery, DeliveryMode
from send_tracker.alerts.models import Alert, AlertPreference, Follow
from send_tracker.alerts.sweep import sweep
from tests.alerts.conftest import action_due, at, sweep_at

D = datetime.date


@pytest.fixture
def alerts(make_action, officer, other_officer, with_emails) -> list[Alert]:
    """Three alerts for the officer (owner), one for the ICB officer (lead of 3A1 only)."""
    action_due(make_action, "3A1", D(2026, 4, 30), lead_officer=other_officer)
    action_due(make_action, "3A2", D(2026, 5, 8))
    action_due(make_action, "3A3", D(2026, 4, 20))
    sweep(D(2026, 4, 25))
    return list(Alert.objects.filter(recipient=officer).order_by("due_date"))


def test_the_list_shows_a_persons_own_alerts_unread_first_with_the_count(alerts, officer, client_for):
    Alert.objects.filter(pk=alerts[0].pk).update(read_at=at(2026, 4, 25))
    client = client_for(officer)

    response = client.get("/alerts/")

    assert response.status_code == 200
    text = response.text
    assert "Alerts (2 unread)" in text  # the navigation, on every page
    assert "You have 2 unread." in text
    titles = [alert.title for alert in Alert.objects.filter(recipient=officer).in_reading_order()]
    assert titles[-1] == alerts[0].title  # the read one last
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert text.count('govuk-tag--blue">Unread') == 2
    assert f'href="/plan/actions/{alerts[1].subject_id}/"' in text  # links to the item


def test_the_count_is_in_the_navigation_of_other_pages(alerts, officer, client_for):
    response = client_for(officer).get("/alerts/preferences/")

    assert "Alerts (3 unread)" in response.text


def test_nobody_sees_anothers_alerts(alerts, other_officer, client_for):
    response = client_for(other_officer).get("/alerts/")

    assert "Alerts (1 unread)" in response.text
    assert "Action 3A1" in response.text
    assert "Action 3A2" not in response.text and "Action 3A3" not in response.text


def test_the_list_needs_a_sign_in(db):
    response = Client().get("/alerts/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_takes_a_fixed_number_of_queries(
    alerts, officer, client_for, make_action, django_assert_max_num_queries
):
    client = client_for(officer)
    client.get("/alerts/")
    for n in range(20):
        action_due(make_action, f"9Z{n}", D(2026, 4, 29))
    sweep(D(2026, 4, 25))

    with django_assert_max_num_queries(12):
        response = client.get("/alerts/")

    assert response.text.count("Mark as read<span") == 23


def test_marking_one_read(alerts, officer, client_for):
    client = client_for(officer)

    response = client.post(f"/alerts/{alerts[0].pk}/read/", {"next": "/alerts/?page=1"})

    assert response.status_code == 302
    assert response["Location"] == "/alerts/?page=1"
    alerts[0].refresh_from_db()
    assert alerts[0].read_at is not None
    assert Alert.objects.for_user(officer).unread().count() == 2


def test_marking_read_refuses_another_site_as_next(alerts, officer, client_for):
    response = client_for(officer).post(f"/alerts/{alerts[0].pk}/read/", {"next": "https://evil.example/"})

    assert response["Location"] == "/alerts/"


def test_another_persons_alert_cannot_be_marked_read(alerts, other_officer, client_for):
    response = client_for(other_officer).post(f"/alerts/{alerts[0].pk}/read/")

    assert response.status_code == 404
    alerts[0].refresh_from_db()
    assert alerts[0].read_at is None


def test_marking_all_read(alerts, officer, other_officer, client_for):
    response = client_for(officer).post("/alerts/read-all/", follow=True)

    assert "Alerts (0 unread)" in response.text
    assert Alert.objects.for_user(officer).unread().count() == 0
    assert Alert.objects.for_user(other_officer).unread().count() == 1


def test_reading_needs_a_post(alerts, officer, client_for):
    assert client_for(officer).get(f"/alerts/{alerts[0].pk}/read/").status_code == 405


def test_choosing_a_daily_digest_for_one_kind(alerts, officer, client_for):
    modes = {kind: DeliveryMode.IMMEDIATE for kind in AlertKind.values}
    modes[AlertKind.ACTION_DUE_7] = DeliveryMode.DIGEST
    client = client_for(officer)

    response = client.post("/alerts/preferences/", modes)

    assert response.status_code == 302
    assert list(AlertPreference.objects.filter(user=officer).values_list("kind", "mode")) == [
        (AlertKind.ACTION_DUE_7, DeliveryMode.DIGEST)
    ]
    waiting = Alert.objects.get(recipient=officer, kind=AlertKind.ACTION_DUE_7)
    assert waiting.delivery == Delivery.DIGEST
    page = client.get("/alerts/preferences/").text
    assert f'name="{AlertKind.ACTION_DUE_7}" type="radio" value="digest" checked>' in page
    assert f'name="{AlertKind.ACTION_DUE_14}" type="radio" value="immediate" checked>' in page


def test_a_bad_choice_is_a_400_and_nothing_changes(officer, client_for):
    modes = {kind: DeliveryMode.IMMEDIATE for kind in AlertKind.values}
    modes[AlertKind.ACTION_DUE_7] = "hourly"

    response = client_for(officer).post("/alerts/preferences/", modes)

    assert response.status_code == 400
    assert "Select one of the options for" in response.text
    assert not AlertPreference.objects.filter(user=officer).exists()


def test_a_councillor_may_follow_an_item_and_is_then_told_of_it(make_action, scrutiny_member, client_for):
    action = action_due(make_action, "3A1", D(2026, 4, 30))
    client = client_for(scrutiny_member)

    response = client.post(
        "/alerts/follow/", {"subject_type": "actions.action", "subject_id": action.pk, "follow": "1"}
    )

    assert response.status_code == 302
    assert Follow.objects.filter(user=scrutiny_member).count() == 1
    sweep(D(2026, 4, 25))
    assert Alert.objects.filter(recipient=scrutiny_member).count() == 1

    client.post("/alerts/follow/", {"subject_type": "actions.action", "subject_id": action.pk, "follow": "0"})
    assert not Follow.objects.filter(user=scrutiny_member).exists()


def test_every_followable_page_offers_follow_and_then_stop_following(make_action, scrutiny_member, client_for):
    action = action_due(make_action, "3A1", D(2026, 4, 30))
    client = client_for(scrutiny_member)

    before = client.get(action.get_absolute_url()).content.decode()
    assert 'action="/alerts/follow/"' in before and ">Follow<" in before

    client.post("/alerts/follow/", {"subject_type": "actions.action", "subject_id": action.pk, "follow": "1"})
    after = client.get(action.get_absolute_url()).content.decode()
    assert "Stop following" in after


def test_an_item_of_another_partnership_cannot_be_followed(make_action, outsider, client_for):
    action = action_due(make_action, "3A1", D(2026, 4, 30))

    response = client_for(outsider).post(
        "/alerts/follow/", {"subject_type": "actions.action", "subject_id": action.pk, "follow": "1"}
    )

    assert response.status_code == 404
    assert not Follow.objects.filter(user=outsider).exists()


def test_following_something_unfollowable_is_a_400(officer, client_for):
    response = client_for(officer).post(
        "/alerts/follow/", {"subject_type": "accounts.user", "subject_id": officer.pk, "follow": "1"}
    )

    assert response.status_code == 400
    assert not Follow.objects.filter(user=officer).exists()


def test_healthz_reports_when_the_sweep_last_ran(db):
    assert Client().get("/healthz").json()["last_sweep"] is None

    sweep_at(at(2026, 3, 10, 6, 15))

    assert Client().get("/healthz").json()["last_sweep"] == "2026-03-10T06:15:00+00:00"
