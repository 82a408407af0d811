"""manage.py create_partnership: a partnership from nothing, in one transaction, with its first
administrator's one-time link; run again, it changes nothing; given a bad value, it writes nothing."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from send_tracker.accounts.choices import OrganisationKind, Role
from send_tracker.accounts.models import ApiKey, Invitation, Organisation, Partnership, User
from tests.as_people_write import counts

pytestmark = pytest.mark.django_db

TABLES = (Partnership, Organisation, User, Invitation, Organisation.history.model, User.history.model)
OPTIONS = [
    "--name=Northshire SEND Partnership",
    "--slug=northshire",
    "--area-name=Northshire",
    "--area-code=e10000099",
    "--organisation=Northshire County Council|NCC|council",
    "--organisation=Northshire and Westshire ICB|NWICB|Integrated care board",
    "--organisation=Northshire Parent Carer Forum|NPCF|parent_carer_forum",
    "--admin-email=Niamh.O'Neill@Northshire.gov.uk",
    "--admin-first-name=Niamh",
    "--admin-last-name=O’Neill",
]


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("create_partnership", *arguments, stdout=out)
    return out.getvalue()


def test_a_partnership_is_made_from_nothing_and_its_administrator_signs_in_with_the_link(settings):
    settings.ALERT_BASE_URL = "https://send.northshire.gov.uk/"

    output = run(*OPTIONS)

    partnership = Partnership.objects.get(slug="northshire")
    assert (partnership.name, partnership.area_name, partnership.area_code) == (
        "Northshire SEND Partnership",
        "Northshire",
        "E10000099",
    )
    assert sorted(partnership.organisations.values_list("name", "short_name", "kind")) == [
        ("Northshire County Council", "NCC", OrganisationKind.COUNCIL),
        ("Northshire Parent Carer Forum", "NPCF", OrganisationKind.PARENT_CARER_FORUM),
        ("Northshire and Westshire ICB", "NWICB", OrganisationKind.ICB),
    ]
    administrator = User.objects.get(email="niamh.o'neill@northshire.gov.uk")
    assert (administrator.role, administrator.organisation.short_name, administrator.get_full_name()) == (
        Role.ADMINISTRATOR,
        "NCC",
        "Niamh O’Neill",
    )
    assert administrator.is_staff and not administrator.is_superuser and not administrator.has_usable_password()
    link = output.strip().splitlines()[-1]
    assert link.startswith("https://send.northshire.gov.uk/invitation/")
    path = urlsplit(link).path
    browser = Client()
    response = browser.post(
        path, {"new_password1": "northshire-first-admin-26", "new_password2": "northshire-first-admin-26"}
    )
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(administrator.pk)
    assert Client().post(path, {"new_password1": "x" * 20, "new_password2": "x" * 20}).status_code == 410


def test_running_it_again_with_the_same_slug_changes_nothing_and_says_so():
    run(*OPTIONS)
    before = counts(*TABLES)

    output = run(*OPTIONS[:2], "--area-name=Elsewhere", "--area-code=E10000001", "--admin-email=other@x.gov.uk")

    assert "already exists" in output and "nothing was changed" in output
    assert counts(*TABLES) == before
    assert Partnership.objects.get(slug="northshire").area_name == "Northshire"


def test_a_toml_file_gives_the_same(tmp_path: Path):
    path = tmp_path / "westshire.toml"
    path.write_text(
        """
name = "Westshire Local Area Partnership"
slug = "westshire"
area_name = "Westshire"
area_code = "E06000099"

[administrator]
email = "admin@westshire.gov.uk"
organisation = "WCHT"
first_name = "Wyn"

[[organisations]]
name = "Westshire Council"
short_name = "WC"
kind = "council"

[[organisations]]
name = "Westshire Community Health NHS Trust"
short_name = "WCHT"
kind = "NHS trust"
""",
        encoding="utf-8",
    )

    output = run(f"--from={path}")

    organisation = Organisation.objects.get(people__email="admin@westshire.gov.uk")
    assert (organisation.name, organisation.kind) == (
        "Westshire Community Health NHS Trust",
        OrganisationKind.NHS_TRUST,
    )
    assert "/invitation/" in output.splitlines()[-1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--area-code": "E1"}, "not an ONS code"),
        ({"--admin-email": "not an address"}, "correct format"),
        ({"--slug": "north shire!"}, "slug"),
        ({"--name": "Elsewhere Partnership"}, "already exists"),  # tests/world.py's name
        ({"--admin-organisation": "Nobody"}, "not one of the organisations"),
        ({"--organisation": "Northshire County Council|NCC|parish"}, "kind 'parish'"),
        ({"--organisation": "Only a name"}, "separated by |"),
        ({"--admin-last-name": "O’" + "n" * 150}, "150 characters or fewer"),
    ],
)
def test_a_bad_value_is_refused_clearly_and_nothing_is_written(change, message):
    before = counts(*TABLES)
    arguments = [option for option in OPTIONS if option.split("=")[0] not in change]
    arguments += [f"{option}={value}" for option, value in change.items()]

    with pytest.raises(CommandError, match=message):
        run(*arguments)

    assert counts(*TABLES) == before
    assert not Partnership.objects.filter(slug="northshire").exists()


def test_two_organisations_of_one_name_are_refused_with_the_organisation_named():
    before = counts(*TABLES, ApiKey)
    duplicate = "--organisation=northshire county council|NCC2|council"

    with pytest.raises(CommandError, match=r"Organisation 4 \('northshire county council'\)"):
        run(*OPTIONS, duplicate)

    assert counts(*TABLES, ApiKey) == before
