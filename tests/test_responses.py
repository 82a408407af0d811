"""What every answer carries: cache headers, and the pages and JSON given when something is refused,
missing or broken, and how those are logged."""

from __future__ import annotations

import logging

from django.test import Client, RequestFactory, override_settings

from actions.api.views import ActionViewSet
from send_tracker.error_pages import server_error
from send_tracker.overview import public
from tests.test_settings import PRODUCTION, run_manage

PRIVATE = "private, no-store"


def production_client() -> Client:
    """A client that gets what a browser would from a production server: error pages, not tracebacks."""
    return Client(raise_request_exception=False)


# --- Cache-Control ---------------------------------------------------------------------------


def test_signed_in_pages_and_api_answers_are_kept_by_no_cache(officer, action, client_for):
    client = client_for(officer)

    for url in ("/", f"/plan/actions/{action.pk}/", "/api/v1/actions/", "/alerts/", "/accounts/password/"):
        assert client.get(url)["Cache-Control"] == PRIVATE, url


def test_the_sign_in_page_and_an_api_key_answer_are_kept_by_no_cache(db):
    assert Client().get("/accounts/login/")["Cache-Control"] == PRIVATE
    refused = Client().get("/api/v1/actions/", HTTP_AUTHORIZATION="Bearer st_not-a-key")
    assert refused.status_code == 401 and refused["Cache-Control"] == PRIVATE


def test_a_view_that_says_public_is_still_private_for_a_signed_in_person(officer, client_for, monkeypatch):
    # Were a view to mark a page public by mistake, the middleware would not let a name be cached.
    monkeypatch.setattr(public, "_public_for_anonymous", _always_public)
    published = officer.organisation.partnership.plans.create(title="Published", is_public=True)

    response = client_for(officer).get(f"/public/{published.partnership.slug}/")

    assert response.status_code == 200 and response["Cache-Control"] == PRIVATE


def _always_public(request, response):
    response["Cache-Control"] = "public, max-age=300"
    return response


def test_static_files_are_answered_before_the_private_default():
    """In production WhiteNoise answers static files with their own long-lived headers, so it must
    stand outside the middleware that marks everything else private."""
    script = (
        "from django.conf import settings; m = settings.MIDDLEWARE; "
        "print(m.index('whitenoise.middleware.WhiteNoiseMiddleware') "
        "< m.index('send_tracker.middleware.PrivateByDefaultMiddleware'))"
    )

    result = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION)

    assert result.stdout.strip() == "True", result.stderr


# --- Error pages -----------------------------------------------------------------------------


@override_settings(DEBUG=False)
def test_a_refused_change_says_why_on_a_govuk_page(scrutiny_member, action, client_for):
    client = client_for(scrutiny_member)
    client.raise_request_exception = False

    response = client.get(f"/plan/actions/{action.pk}/rate/")

    page = response.content.decode()
    assert response.status_code == 403
    assert "govuk-template" in page and "<h1" in page and "You cannot do this" in page
    assert "Only officers of the organisation that owns this action, or an administrator, can change it." in page
    assert "Sam Scrutiny" in page  # the header is the person's own: they are still signed in
    assert response["Cache-Control"] == PRIVATE


@override_settings(DEBUG=False)
def test_a_missing_page_is_a_govuk_page(officer, client_for, other_partnership):
    client = client_for(officer)
    client.raise_request_exception = False

    for url in ("/no-such-page/", "/plan/actions/999999999/"):
        response = client.get(url)

        page = response.content.decode()
        assert response.status_code == 404, url
        assert "govuk-template" in page and "Page not found" in page, url
        assert "matches the given query" not in page  # Django's own text names a model


@override_settings(DEBUG=False)
def test_a_failure_is_a_govuk_page_without_the_details(partnership, monkeypatch):
    monkeypatch.setattr(public, "public_context", _explode)

    response = production_client().get("/public/testshire/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "govuk-template" in page and "Sorry, there is a problem with the service" in page
    assert "SEND improvement tracker" in page
    assert "planted failure" not in page and "Traceback" not in page


def test_the_failure_page_reads_nothing_from_the_database(django_assert_num_queries, db):
    request = RequestFactory().get("/plan/")

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500 and "Sorry, there is a problem with the service" in response.content.decode()


def _explode(*args, **kwargs):
    raise RuntimeError("planted failure")


@override_settings(DEBUG=False)
def test_api_errors_stay_json_a_failure_included(officer, client_for, monkeypatch):
    client = client_for(officer)
    client.raise_request_exception = False
    monkeypatch.setattr(ActionViewSet, "list", _explode)

    failure = client.get("/api/v1/actions/")
    missing = client.get("/api/v1/no-such-thing/")

    assert failure.status_code == 500 and failure["Content-Type"] == "application/json"
    assert failure.json() == {
        "error": {
            "status": 500,
            "code": "server_error",
            "message": "Something went wrong on the server. Try again later.",
        }
    }
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@override_settings(DEBUG=False)
def test_an_api_refusal_is_json_with_the_reason(scrutiny_member, action, client_for):
    response = client_for(scrutiny_member).patch(
        f"/api/v1/actions/{action.pk}/",
        {"brag": "red", "commentary": "Late."},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )

    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403 and response.json()["error"]["message"]


# --- Logging ---------------------------------------------------------------------------------


def test_a_refusal_is_logged_in_one_line_without_a_traceback(scrutiny_member, action, client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(scrutiny_member).get(f"/plan/actions/{action.pk}/rate/")

    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request" and "Forbidden" in r.getMessage()]
    assert len(refusals) == 1
    assert refusals[0].exc_info is None and "Traceback" not in caplog.text


def test_a_failure_is_still_logged_with_its_traceback(partnership, monkeypatch, caplog):
    monkeypatch.setattr(public, "public_context", _explode)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        production_client().get("/public/testshire/")

    failures = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert failures and failures[0].exc_info is not None
