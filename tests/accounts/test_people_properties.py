"""A partnership administrator's writes with values as people type them: names pasted from Word
(O’Neill with its curly apostrophe), email addresses at and past the 150 characters a username holds,
organisation and key names at and past their columns. Each is saved whole (surrounding whitespace
stripped) or refused on the page with a clear message, and then nothing is written: no person,
invitation, email, organisation, key or history row. Never a 500."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from send_tracker.accounts import services
from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import ApiKey, Invitation, Organisation, User
from tests.as_people_write import counts, fits, refused_on_the_page, rolled_back, text_near
from tests.conftest import need_postgres

pytestmark = pytest.mark.django_db

DOMAIN = "@council.gov.uk"
LOCAL_PARTS = st.sampled_from(
    ["siobhan.o'neill", "Mary.O’Neill", "ann+send", "=cmd", "first last", "zoë", "", "two@@signs", "a.b-c_d"]
)


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    """An address as typed or pasted: sometimes padded to 149, 150 or 151 characters."""
    local = draw(LOCAL_PARTS)
    pad_to = draw(st.sampled_from([0, 0, services.EMAIL_MAX - 1, services.EMAIL_MAX, services.EMAIL_MAX + 1]))
    if pad_to:
        local += "x" * max(0, pad_to - len(local) - len(DOMAIN))
    around = draw(st.sampled_from(["", " ", "\u00a0", "\t"]))
    return f"{around}{local}{DOMAIN}{around}"


def good_email(text: str) -> bool:
    email = text.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return False
    return len(email) <= services.EMAIL_MAX


TABLES = (User, Invitation, User.history.model, Invitation.history.model)


@given(email=email_addresses(), first=text_near(services.NAME_MAX), last=text_near(services.NAME_MAX))
@example(email="siobhan.o'neill@council.gov.uk", first="Siobhán", last="O’Neill")
@example(email="x" * (services.EMAIL_MAX - len(DOMAIN)) + DOMAIN, first="A" * 150, last="B" * 150)
@example(email="x" * (services.EMAIL_MAX + 1 - len(DOMAIN)) + DOMAIN, first="A", last="")
@example(email="a@council.gov.uk", first="A" * 151, last="")
def test_an_invitation_saves_names_and_addresses_whole_or_refuses_them(
    client_for, administrator, council, email, first, last
):
    need_postgres()
    admin = client_for(administrator)
    with rolled_back():
        before = counts(*TABLES)
        mail.outbox = []
        data = {
            "email": email,
            "first_name": first,
            "last_name": last,
            "organisation": council.pk,
            "role": Role.OFFICER,
        }

        response = admin.post(reverse("people:invite"), data)

        if good_email(email) and fits(first, services.NAME_MAX) and fits(last, services.NAME_MAX, required=False):
            assert response.status_code == 302, response.content.decode()[:2000]
            person = User.objects.get(email=email.strip().lower())
            assert (person.first_name, person.last_name) == (first.strip(), last.strip())
            assert (person.role, person.organisation_id, person.has_usable_password()) == (
                Role.OFFICER,
                council.pk,
                False,
            )
            assert len(person.username) <= services.EMAIL_MAX
            assert person.invitations.count() == 1
        else:
            assert refused_on_the_page(response), response.status_code
            assert counts(*TABLES) == before


ORGANISATION_TABLES = (Organisation, Organisation.history.model)


@given(name=text_near(200), short_name=text_near(60), kind=st.sampled_from([*OrganisationKind.values, "parish", ""]))
@example(name="Ó Néill’s Parent Carer Forum – North", short_name="ONPCF", kind=OrganisationKind.PARENT_CARER_FORUM)
def test_an_organisation_saves_its_names_whole_or_refuses_them(
    client_for, administrator, council, name, short_name, kind
):
    need_postgres()
    admin = client_for(administrator)
    with rolled_back():
        before = counts(*ORGANISATION_TABLES)

        response = admin.post(
            reverse("people:organisation_new"), {"name": name, "short_name": short_name, "kind": kind}
        )

        clashes = name.strip().lower() in ("testshire county council",) or short_name.strip().lower() in ("tcc",)
        if fits(name, 200) and fits(short_name, 60, required=False) and kind in OrganisationKind.values and not clashes:
            assert response.status_code == 302, response.content.decode()[:2000]
            saved = Organisation.objects.get(partnership=council.partnership, name=name.strip())
            assert (saved.short_name, saved.kind) == (short_name.strip(), kind)
            assert saved.history.get().history_actor == "Ada Admin (TCC)"
        else:
            assert refused_on_the_page(response), response.status_code
            assert counts(*ORGANISATION_TABLES) == before


@given(name=text_near(200))
def test_an_api_key_saves_its_name_whole_or_refuses_it(client_for, administrator, council, name):
    need_postgres()
    admin = client_for(administrator)
    with rolled_back():
        before = counts(ApiKey, ApiKey.history.model)
        data = {"name": name, "organisation": council.pk, "expires_on_day": "1", "expires_on_month": "1"}

        response = admin.post(reverse("people:api_key_new"), data | {"expires_on_year": "2099"})

        if fits(name, 200):
            assert response.status_code == 302
            assert ApiKey.objects.get(organisation=council).name == name.strip()
        else:
            assert refused_on_the_page(response), response.status_code
            assert counts(ApiKey, ApiKey.history.model) == before
