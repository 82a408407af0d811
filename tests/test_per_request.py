"""What a signed-in page reads afresh on every request, however much of it is kept in the cache:
the session and the person (a revoked session or a deactivated person is signed out at once),
and the header's links, whose paths are reversed once per process (accounts/templatetags/navigation.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from django.urls import clear_script_prefix, set_script_prefix

from send_tracker.accounts.models import User
from send_tracker.accounts.templatetags.navigation import path_of


def signed_in_twice(person: User, client_for: Callable[[User | None], Client]) -> tuple[Client, Client]:
    """Two browsers holding the same session, each having opened the dashboard once."""
    first = client_for(person)
    second = Client()
    second.cookies[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value
    assert first.get("/").status_code == second.get("/").status_code == 200
    return first, second


def test_a_session_signed_out_elsewhere_is_refused_at_once(scrutiny_member, outsider, client_for):
    for person in (scrutiny_member, outsider):
        first, second = signed_in_twice(person, client_for)

        first.post("/accounts/logout/")

        response = second.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_session_revoked_in_the_store_is_refused_at_once(scrutiny_member, client_for):
    first, _ = signed_in_twice(scrutiny_member, client_for)

    SessionStore(first.cookies[settings.SESSION_COOKIE_NAME].value).delete()

    assert first.get("/").status_code == 302


def test_a_deactivated_person_is_signed_out_at_once(scrutiny_member, outsider, client_for):
    for person in (scrutiny_member, outsider):
        first, second = signed_in_twice(person, client_for)

        person.is_active = False
        person.save(update_fields=["is_active"])

        assert first.get("/").status_code == second.get("/").status_code == 302


def test_the_headers_links_follow_the_script_prefix_and_leave_out_what_does_not_reverse():
    assert path_of("alerts:list") == "/alerts/"
    assert path_of("no_such_page") == ""
    set_script_prefix("/tracker/")
    try:
        assert path_of("alerts:list") == "/tracker/alerts/"
    finally:
        clear_script_prefix()
    assert path_of("alerts:list") == "/alerts/"


def test_the_header_links_to_each_section(scrutiny_member, client_for):
    page = client_for(scrutiny_member).get("/").content.decode()

    for path in ("/plan/", "/alerts/", "/governance/", "/accounts/logout/"):
        assert f'"{path}' in page
