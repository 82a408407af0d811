"""The action list's own reader (actions.api.rows): one statement a page, DRF's cursors, and the same
answers as the ORM would give, filtered or not, on PostgreSQL and SQLite alike."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser

from actions.api.rows import ActionRows
from actions.choices import Brag
from actions.models import Action, Theme, Workstream
from send_tracker.accounts.access import partnership_ids_for
from send_tracker.accounts.models import User
from send_tracker.accounts.principals import ApiKeyPrincipal
from send_tracker.api.keys import create_api_key

from . import world


def walk(client, url: str, direction: str = "next") -> list[list[str]]:
    """The refs on each page, following `direction` links to the end."""
    pages = []
    while url:
        body = client.get(url).json()
        pages.append([row["ref"] for row in body["results"]])
        url = body[direction]
    return pages


def test_forward_and_back_through_every_page_sees_each_action_once_in_order(make_action, council, key_client):
    for n in range(1, 8):
        make_action(f"3A{n}")
    client = key_client(council)

    forward = walk(client, "/api/v1/actions/?page_size=3")
    assert forward == [["3A1", "3A2", "3A3"], ["3A4", "3A5", "3A6"], ["3A7"]]

    last = client.get("/api/v1/actions/?page_size=3").json()
    while last["next"]:
        last = client.get(last["next"]).json()
    back = walk(client, last["previous"], direction="previous")
    assert back == [["3A4", "3A5", "3A6"], ["3A1", "3A2", "3A3"]]


def test_a_filtered_list_pages_with_its_filter(make_action, council, key_client):
    for n in range(1, 7):
        make_action(f"3A{n}", brag=Brag.RED if n % 2 else Brag.GREEN)
    client = key_client(council)

    pages = walk(client, "/api/v1/actions/?brag=red&page_size=2")

    assert pages == [["3A1", "3A3"], ["3A5"]]


def test_a_filter_that_can_match_nothing_is_an_empty_list_not_an_error(make_action, council, key_client):
    make_action("3A1")

    response = key_client(council).get("/api/v1/actions/", {"priority_area": -5, "format": "csv"})

    assert response.status_code == 200
    assert response.content.decode().splitlines()[1:] == []


def cursor(**tokens: str) -> str:
    return base64.b64encode(urlencode(tokens).encode()).decode()


@pytest.mark.parametrize("position", ["abc", str(2**80), "-" + str(2**80), "1.5"])
def test_a_cursor_no_id_could_match_is_a_404_in_the_error_shape(action, council, key_client, position):
    response = key_client(council).get("/api/v1/actions/", {"cursor": cursor(o="0", r="0", p=position)})

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Invalid cursor"


def test_themes_and_workstreams_are_in_name_order_in_the_list_as_in_the_detail(action, plan, council, key_client):
    for name in ["Zeta", "alpha", "Beta"]:
        action.themes.add(Theme.objects.create(plan=plan, name=name))
        action.workstreams.add(Workstream.objects.create(plan=plan, name=f"{name} work"))
    client = key_client(council)

    listed = client.get("/api/v1/actions/").json()["results"][0]
    detail = client.get(f"/api/v1/actions/{action.pk}/").json()

    assert listed == detail
    assert sorted(listed["themes"]) == sorted(["Right Plan", "Zeta", "alpha", "Beta"])


def test_an_instance_administrator_lists_every_partnership_and_a_person_without_one_nothing(
    action, other_council, client_for
):
    elsewhere = world.actions(other_council, 2)
    superuser = User.objects.create_superuser("root", "root@example.org", "pw-not-used-1234")
    nobody = User.objects.create_user("nobody", password="pw-not-used-1234")

    everything = client_for(superuser).get("/api/v1/actions/", HTTP_ACCEPT="application/json").json()
    nothing = client_for(nobody).get("/api/v1/actions/", HTTP_ACCEPT="application/json").json()

    # Every partnership's actions: Testshire's, these and those Elsewhere already had (tests/world.py).
    listed = [row["id"] for row in everything["results"]]
    assert listed == list(Action.objects.order_by("pk").values_list("pk", flat=True))
    assert {action.pk, *(a.pk for a in elsewhere)} < set(listed)
    assert nothing["results"] == []


def test_the_reader_sees_exactly_what_the_access_rules_let_each_caller_see(
    action, other_council, officer, scrutiny_member, partner_user, administrator
):
    """The reader writes the partnership scope in SQL; it must agree with Action.objects.visible_to."""
    world.actions(other_council, 2)
    superuser = User.objects.create_superuser("root", "root@example.org", "pw-not-used-1234")
    nobody = User.objects.create_user("nobody", password="pw-not-used-1234")
    outsider = User.objects.create_user("out", password="pw-not-used-1234", organisation=other_council)
    key, _ = create_api_key(organisation=other_council, name="elsewhere")

    for caller in [
        officer,
        scrutiny_member,
        partner_user,
        administrator,
        superuser,
        nobody,
        outsider,
        AnonymousUser(),
        ApiKeyPrincipal(key),
    ]:
        read = [row["id"] for row in ActionRows(partnership_ids_for(caller)).order_by("id")]
        assert read == list(Action.objects.visible_to(caller).order_by("id").values_list("id", flat=True)), caller
