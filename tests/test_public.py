"""The public transparency page: only what is marked public, nothing internal, no sign-in."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from actions.models import Action, Plan
from actions.services import Evidence, record_rating_update
from kpis.models import IndicatorValue

SECRET = "INTERNAL-ONLY-planted-text-7f3a"


@pytest.fixture
def published(action, officer, plan, make_action, make_indicator):
    plan.is_public = True
    plan.save()
    record_rating_update(
        action_id=action.pk,
        user=officer,
        brag="green",
        commentary=f"Internal view {SECRET}",
        based_on_version=1,
        evidence=Evidence(text=f"Evidence {SECRET}", file=SimpleUploadedFile(f"{SECRET}.pdf", b"%PDF-1.4")),
    )
    public_action = make_action("3A2", description="Publish the local offer")
    record_rating_update(
        action_id=public_action.pk,
        user=officer,
        brag="amber",
        commentary="Workshops held with parents in May.",
        based_on_version=1,
        commentary_is_public=True,
    )
    public_kpi = make_indicator("EHC plans within 20 weeks", definition="Share issued on time.", is_public=True)
    internal_kpi = make_indicator(
        f"Staff sickness {SECRET}", definition="Internal.", polarity="lower", source="HR", is_public=False
    )
    for indicator, value in ((public_kpi, 41), (internal_kpi, 9)):
        IndicatorValue.objects.create(
            indicator=indicator,
            period_start=datetime.date(2024, 5, 1),
            period_end=datetime.date(2024, 5, 31),
            value=value,
        )
    return plan


def test_anonymous_visitors_see_the_published_plan_without_internal_text(published, officer):
    response = Client().get(f"/public/{published.partnership.slug}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Publish the local offer" in page and "Amber" in page and "Green" in page
    assert "Workshops held with parents in May." in page
    assert "EHC plans within 20 weeks" in page and "41" in page
    assert SECRET not in page
    assert officer.get_full_name() not in page and officer.username not in page
    assert "/plan/evidence/" not in page


def test_a_plan_not_marked_public_is_not_shown(plan, action, other_partnership):
    assert Client().get(f"/public/{plan.partnership.slug}/").status_code == 404
    # Elsewhere publishes its plan: the index offers it alone, and not Testshire.
    response = Client().get("/public/")
    assert response["Location"] == f"/public/{other_partnership.slug}/"
    Plan.objects.filter(partnership=other_partnership).update(is_public=False)
    cache.clear()
    assert "No local area has published" in Client().get("/public/").content.decode()


def test_the_index_goes_straight_to_the_only_published_area(published, other_partnership):
    Plan.objects.filter(partnership=other_partnership).update(is_public=False)

    response = Client().get("/public/")

    assert response.status_code == 302
    assert response["Location"] == f"/public/{published.partnership.slug}/"


def test_the_public_page_is_cached_and_costs_a_fixed_number_of_queries(published, django_assert_max_num_queries):
    url = f"/public/{published.partnership.slug}/"
    with django_assert_max_num_queries(10):
        Client().get(url)
    with django_assert_max_num_queries(0):
        Client().get(url)


def test_the_page_an_officer_saw_names_nobody_to_the_next_visitor(published, officer, client_for):
    url = f"/public/{published.partnership.slug}/"
    officers_page = client_for(officer).get(url)
    assert "Olivia Officer" in officers_page.content.decode() and "Sign out" in officers_page.content.decode()

    response = Client().get(url)

    page = response.content.decode()
    assert "Publish the local offer" in page
    assert "Olivia Officer" not in page and "Sign out" not in page and 'action="/accounts/logout/"' not in page
    assert officers_page["Cache-Control"] == "private, no-store"  # no browser or proxy keeps a name
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]  # a shared cache keeps apart the signed-in request's answer


def test_a_signed_in_person_gets_their_own_header_after_an_anonymous_visit(published, officer, client_for):
    url = f"/public/{published.partnership.slug}/"
    Client().get(url)

    page = client_for(officer).get(url).content.decode()

    assert "Olivia Officer" in page and "Sign out" in page


def test_the_index_never_shows_a_visitor_another_visitors_header(published, other_partnership, officer, client_for):
    Plan.objects.update_or_create(
        partnership=other_partnership, title="Elsewhere Priority Action Plan", defaults={"is_public": True}
    )
    client_for(officer).get("/public/")

    page = Client().get("/public/").content.decode()

    assert published.partnership.area_name in page and other_partnership.area_name in page
    assert "Olivia Officer" not in page and "Sign out" not in page


def test_oxfordshire_publishes_its_plan_and_the_dfe_figures_beside_england(oxfordshire_loaded):
    page = Client().get("/public/oxfordshire/").content.decode()

    assert "Oxfordshire SEND Priority Action Plan" in page
    assert page.count("govuk-table__row") > 34
    assert '<th scope="row" class="govuk-table__header">2022</th>' in page
    assert "4.0%" in page and "49.2%" in page
    assert "Demo figure" not in page


def test_the_public_pages_answer_a_head_request(published, partnership):
    # Link checkers and monitors ask with HEAD; a 405 would report the page as broken.
    client = Client()
    for address in (
        "/public/",
        f"/public/{partnership.slug}/",
        f"/public/{partnership.slug}/accessibility/",
        "/accessibility/",
    ):
        response = client.head(address)
        assert response.status_code in (200, 302), address
        assert response.content == b"", address


def test_withdrawing_a_plan_or_a_commentary_shows_on_the_next_visit(
    published, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """The cached content is kept under the partnership's data version, so a change made in the
    admin or a service is public at once, not five minutes later."""
    url = f"/public/{published.partnership.slug}/"
    action = Action.objects.get(plan=published, ref="3A2")
    assert action.brag_commentary_is_public
    assert action.brag_commentary in Client().get(url).content.decode()
    with django_assert_max_num_queries(0):
        Client().get(url)

    with django_capture_on_commit_callbacks(execute=True):
        action.brag_commentary_is_public = False
        action.save()
    assert action.brag_commentary not in Client().get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        published.is_public = False
        published.save()
    assert Client().get(url).status_code == 404
