"""The accessibility statement and the footer's support links (statement, privacy, contact).

The links come from the partnership a page belongs to, as its administrator set them in the admin,
or from the instance's settings where a partnership set none or a page belongs to no partnership.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse

from send_tracker.accounts.models import Partnership

pytestmark = pytest.mark.django_db

INSTANCE = {
    "SERVICE_OPERATOR": "The Regional SEND Hub",
    "PRIVACY_URL": "https://hub.example.org/privacy",
    "CONTACT_URL": "https://hub.example.org/contact",
    "CONTACT_EMAIL": "hub@example.org",
    "ACCESSIBILITY_CONTACT_EMAIL": "hub-access@example.org",
}
TESTSHIRE = {
    "privacy_url": "https://testshire.example.gov.uk/send-privacy",
    "contact_url": "",
    "contact_email": "send@testshire.example.gov.uk",
    "accessibility_contact_email": "send-access@testshire.example.gov.uk",
}


@pytest.fixture
def testshire_links(partnership: Partnership) -> Partnership:
    Partnership.objects.filter(pk=partnership.pk).update(**TESTSHIRE)
    partnership.refresh_from_db()
    return partnership


def footer(html: str) -> str:
    return html[html.index('<footer class="govuk-footer">') :]


def test_the_statement_needs_no_sign_in_and_uses_the_model_wording(client):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "Accessibility statement for the SEND improvement tracker",
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading.replace("'", "&#x27;") in page or heading in page, heading
    assert "The Equality and Human Rights Commission (EHRC) is responsible for enforcing" in page
    assert "Equality Commission for Northern Ireland" in page
    assert "partially compliant with the" in page and "Web Content Accessibility Guidelines version 2.2" in page
    assert "320 CSS pixels" in page and "axe-core" in page and "keyboard alone" in page


@override_settings(**INSTANCE)
def test_pages_of_no_partnership_show_the_instances_links(client):
    for path in (reverse("login"), reverse("accessibility")):
        links = footer(client.get(path).content.decode())
        assert f'href="{reverse("accessibility")}">Accessibility statement' in links
        assert 'href="https://hub.example.org/privacy">Privacy' in links
        assert 'href="https://hub.example.org/contact">Contact' in links

    statement = client.get(reverse("accessibility")).content.decode()
    assert "This website is run by The Regional SEND Hub." in statement
    assert 'href="mailto:hub-access@example.org"' in statement


@override_settings(**{name: "" for name in INSTANCE})
def test_with_nothing_set_the_footer_still_links_the_statement_and_says_no_contact_is_given(client):
    links = footer(client.get(reverse("login")).content.decode())

    assert "Accessibility statement" in links
    assert ">Privacy<" not in links and ">Contact" not in links
    statement = client.get(reverse("accessibility")).content.decode()
    assert "has not yet given a contact address" in statement


@override_settings(**INSTANCE)
def test_a_partnerships_people_see_its_links_and_another_partnerships_people_do_not(
    client_for, testshire_links, officer, outsider
):
    mine = client_for(officer)
    theirs = client_for(outsider)

    my_footer = footer(mine.get(reverse("home")).content.decode())
    their_footer = footer(theirs.get(reverse("home")).content.decode())

    assert 'href="https://testshire.example.gov.uk/send-privacy">Privacy' in my_footer
    # Testshire gave an email and no contact page: its email wins over the instance's contact page.
    assert 'href="mailto:send@testshire.example.gov.uk">Contact' in my_footer
    assert "testshire.example.gov.uk" not in their_footer
    assert 'href="https://hub.example.org/privacy">Privacy' in their_footer

    my_statement = mine.get(reverse("accessibility")).content.decode()
    their_statement = theirs.get(reverse("accessibility")).content.decode()
    assert "send-access@testshire.example.gov.uk" in my_statement
    assert f"This website is run by {testshire_links.name}." in my_statement
    assert "testshire" not in their_statement.lower()
    assert "hub-access@example.org" in their_statement


@override_settings(**INSTANCE)
def test_a_public_page_shows_its_partnerships_links_to_anyone(client_for, testshire_links, plan, outsider, officer):
    plan.is_public = True
    plan.save()
    public_statement = reverse("public_accessibility", args=[testshire_links.slug])

    for visitor in (None, outsider):
        links = footer(
            client_for(visitor).get(reverse("public_partnership", args=[testshire_links.slug])).content.decode()
        )
        assert f'href="{public_statement}">Accessibility statement' in links
        assert 'href="https://testshire.example.gov.uk/send-privacy">Privacy' in links

    statement = client_for(None).get(public_statement)
    assert statement.status_code == 200
    assert "send-access@testshire.example.gov.uk" in statement.content.decode()
    assert 'href="https://testshire.example.gov.uk/send-privacy">Privacy' in footer(statement.content.decode())

    # Another partnership's public page, seen by Testshire's officer, shows none of Testshire's links.
    elsewhere = outsider.organisation.partnership
    elsewhere_page = client_for(officer).get(reverse("public_partnership", args=[elsewhere.slug]))
    assert elsewhere_page.status_code == 200
    assert "testshire.example.gov.uk" not in footer(elsewhere_page.content.decode())


def test_a_partnership_with_no_public_plan_has_no_public_statement(client, partnership, plan):
    assert not plan.is_public

    assert client.get(reverse("public_accessibility", args=[partnership.slug])).status_code == 404
    assert client.get(reverse("public_accessibility", args=["no-such-partnership"])).status_code == 404


def test_a_partnership_administrator_sets_the_links_in_the_admin(client_for, administrator, partnership, officer):
    administrator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_partnership", "change_partnership"])
    )
    url = reverse("admin:accounts_partnership_change", args=[partnership.pk])
    form = client_for(administrator).get(url)
    assert form.status_code == 200
    for field in ("privacy_url", "contact_url", "contact_email", "accessibility_contact_email"):
        assert f'name="{field}"' in form.content.decode()

    response = client_for(administrator).post(
        url,
        {
            "name": partnership.name,
            "slug": partnership.slug,
            "area_name": partnership.area_name,
            "area_code": partnership.area_code,
            "region": partnership.region,
            "privacy_url": "https://testshire.example.gov.uk/privacy-notice",
            "contact_url": "https://testshire.example.gov.uk/send-contact",
            "contact_email": "",
            "accessibility_contact_email": "a11y@testshire.example.gov.uk",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    partnership.refresh_from_db()
    assert partnership.privacy_url == "https://testshire.example.gov.uk/privacy-notice"
    links = footer(client_for(officer).get(reverse("home")).content.decode())
    assert 'href="https://testshire.example.gov.uk/privacy-notice">Privacy' in links
    assert 'href="https://testshire.example.gov.uk/send-contact">Contact' in links


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "http://testshire.example.gov.uk/privacy", "ftp://testshire.example.gov.uk/"]
)
def test_the_admin_refuses_an_address_that_is_not_a_secure_web_address(client_for, administrator, partnership, address):
    administrator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_partnership", "change_partnership"])
    )
    response = client_for(administrator).post(
        reverse("admin:accounts_partnership_change", args=[partnership.pk]),
        {
            "name": partnership.name,
            "slug": partnership.slug,
            "area_name": partnership.area_name,
            "privacy_url": address,
            "contact_url": address,
            "contact_email": "not an email",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() >= {"privacy_url", "contact_url", "contact_email"}
    if address.startswith(("http:", "ftp:")):
        assert "Enter a web address beginning https://" in str(response.context["adminform"].form.errors["privacy_url"])
    partnership.refresh_from_db()
    assert (partnership.privacy_url, partnership.contact_url) == ("", "")
