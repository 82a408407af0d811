"""Signing in and out, changing a password, and the per-username lockout."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from send_tracker import freshness
from send_tracker.accounts.models import User
from tests.conftest import PASSWORD, need_redis


def test_sign_in_lands_on_the_plan_and_sign_out_needs_a_post(officer, plan):
    client = Client()

    response = client.post(reverse("login"), {"username": "olivia", "password": PASSWORD}, follow=True)

    assert response.status_code == 200
    assert plan.title in response.content.decode()
    assert client.get(reverse("logout")).status_code == 405  # a link cannot sign someone out
    client.post(reverse("logout"))
    assert client.get(reverse("actions:current_plan")).status_code == 302


def test_a_wrong_password_says_what_to_do(officer):
    response = Client().post(reverse("login"), {"username": "olivia", "password": "wrong"})

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_failed_sign_ins_lock_the_username_whatever_the_address(officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        Client(REMOTE_ADDR=address).post(reverse("login"), {"username": "olivia", "password": "guess"})

    response = Client(REMOTE_ADDR="10.0.0.4").post(reverse("login"), {"username": "olivia", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_another_username_is_not_locked_by_someone_elses_failures(officer, scrutiny_member, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        Client().post(reverse("login"), {"username": "olivia", "password": "guess"})

    response = Client().post(reverse("login"), {"username": "cllr", "password": PASSWORD})

    assert response.status_code == 302


def test_password_change_refuses_a_weak_password_and_accepts_a_strong_one(officer, client_for):
    client = client_for(officer)
    url = reverse("password_change")

    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200
    assert "There is a problem" in weak.content.decode()

    strong = "a-much-longer-passphrase-2026"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(strong)


def test_a_user_with_no_partnership_sees_no_plan(db, client_for, plan):
    from send_tracker.accounts.models import User

    loose = User.objects.create_user(username="loose", password=PASSWORD)

    response = client_for(loose).get(reverse("actions:current_plan"))

    assert response.status_code == 404
    assert "not linked to a partnership" in response.content.decode()


def test_the_header_names_a_superuser_an_instance_administrator(db, client_for):
    superuser = User.objects.create_superuser("root", "root@example.org", PASSWORD, first_name="Rory")

    page = client_for(superuser).get(reverse("compare_partnerships")).content.decode()

    assert "Rory (Instance administrator)" in page and "(Partner)" not in page


def test_a_session_signed_out_cannot_be_replayed(officer, plan, settings):
    """Sessions are cached in Redis when there is one; a sign-out ends the cached copy too, so a
    stolen cookie is worthless after it."""
    need_redis()
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client = Client()
    client.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert thief.get("/").status_code == 200

    client.post(reverse("logout"))

    assert thief.get("/").status_code == 302


def test_signing_in_records_the_time_and_writes_no_history(officer, plan):
    # A sign-in is not a change to the person: their history and their partnership's data
    # version (which the cached dashboard is keyed by) stay as they were.
    rows = officer.history.count()
    version = freshness.current_version(plan.partnership_id)

    response = Client().post(reverse("login"), {"username": officer.username, "password": PASSWORD})

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.last_login is not None
    assert officer.history.count() == rows
    assert freshness.current_version(plan.partnership_id) == version
