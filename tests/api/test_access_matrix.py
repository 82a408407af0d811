"""The access matrix, built from the API's routes: every caller against every resource.

For each route the router registers (lists, details and extra routes such as an action's history),
each caller reads and tries to write objects of its own partnership and of another:
- out of scope is 404 on a detail and absent from the list;
- a write the route does not offer is 405; one it offers is 403 for a read-only caller;
- anonymous callers get 401 everywhere;
- and after every attempt nothing in the database has changed.

A resource added to the router without a builder in tests/api/world.py fails
test_every_resource_has_rows_to_test, so the matrix grows with the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from rest_framework.test import APIClient

from send_tracker.accounts.models import Organisation
from send_tracker.alerts.models import Alert
from send_tracker.api.keys import create_api_key
from send_tracker.api_urls import router

from . import world

WRITE_METHODS = ("post", "put", "patch", "delete")
APP_LABELS = {"actions", "kpis", "recommendations", "governance", "alerts", "accounts"}
USER_CALLERS = ("officer", "scrutiny_member", "partner_user", "administrator")
CALLERS = (*USER_CALLERS, "anonymous", "read_key", "write_key")
# Who may change what the council owns (the world's actions): its officer, an administrator of the
# partnership and the council's write key.
WRITERS = {"officer", "administrator", "write_key"}


@dataclass(frozen=True)
class RouteCase:
    basename: str
    name: str
    detail: bool
    offered: frozenset[str]


def route_cases() -> list[RouteCase]:
    cases = []
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            offered = frozenset(method for method, handler in route.mapping.items() if hasattr(viewset, handler))
            if offered:
                cases.append(RouteCase(basename, route.name.format(basename=basename), route.detail, offered))
    return cases


ROUTES = route_cases()


def row_key(basename: str, row: dict[str, Any]) -> Any:
    return row["area_code"] if basename == "ehcp-timeliness" else row["id"]


def object_key(basename: str, obj: models.Model) -> Any:
    return getattr(obj, "area_code") if basename == "ehcp-timeliness" else obj.pk  # noqa: B009


def fingerprint() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model the API could touch, history and API keys' scopes included."""
    state: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        if model._meta.app_label in APP_LABELS:
            rows = model._default_manager.order_by("pk").values()
            # A key's last use is noted on a read; it is not a change made by the request.
            state[model._meta.label] = [{k: v for k, v in row.items() if k != "last_used_at"} for row in rows]
    return state


@dataclass
class World:
    own: dict[str, models.Model]
    other: dict[str, models.Model]
    alerts: dict[str, Alert]  # each person's own alert, and the outsider's


@pytest.fixture
def world_rows(council, other_council, officer, scrutiny_member, partner_user, administrator, outsider) -> World:
    own = {basename: build(council, 1)[0] for basename, build in world.BUILDERS.items()}
    other = {basename: build(other_council, 1)[0] for basename, build in world.BUILDERS.items()}
    people = {"officer": officer, "scrutiny_member": scrutiny_member, "partner_user": partner_user}
    people |= {"administrator": administrator, "outsider": outsider}
    alerts = {name: world.alerts_for(person, 1)[0] for name, person in people.items()}
    return World(own, other, alerts)


def caller_client(request: pytest.FixtureRequest, caller: str, council: Organisation) -> APIClient:
    client = APIClient()
    if caller in USER_CALLERS:
        client.force_login(request.getfixturevalue(caller))
    elif caller in ("read_key", "write_key"):
        _, key = create_api_key(organisation=council, name=caller, can_write=caller == "write_key")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def objects_for(basename: str, caller: str, rows: World) -> list[tuple[models.Model, bool]]:
    """The objects to try on a resource, each with whether the caller may read it."""
    if basename == "alert":
        # Only a person's own alert is theirs: a colleague's, the outsider's and every alert for a key are not.
        mine = rows.alerts.get(caller)
        return [(alert, alert is mine) for alert in rows.alerts.values()]
    public = basename in world.PUBLIC
    return [(rows.own[basename], True), (rows.other[basename], public)]


def test_every_resource_has_rows_to_test():
    assert {basename for _p, _v, basename in router.registry} == set(world.BUILDERS) | {"alert"}


@pytest.mark.parametrize("caller", CALLERS)
def test_access_matrix(request, caller, council, world_rows):
    client = caller_client(request, caller, council)
    before = fingerprint()
    wrong: list[str] = []

    def expect(method: str, url: str, allowed: set[int]) -> None:
        response = getattr(client, method)(url, {} if method != "get" else None, format="json")
        if response.status_code not in allowed:
            wrong.append(f"{method.upper()} {url}: {response.status_code}, expected {sorted(allowed)}")

    for route in ROUTES:
        if not route.detail:
            url = reverse(route.name)
            if caller == "anonymous":
                expect("get", url, {401})
            else:
                response = client.get(url, {"page_size": 500})
                listed = {row_key(route.basename, row) for row in response.json()["results"]}
                for obj, readable in objects_for(route.basename, caller, world_rows):
                    if (object_key(route.basename, obj) in listed) != readable:
                        wrong.append(f"GET {url}: {route.basename} {obj.pk} listed={not readable}")
            for method in WRITE_METHODS:
                expect(method, url, {401} if caller == "anonymous" else {405})
            continue
        for obj, readable in objects_for(route.basename, caller, world_rows):
            url = reverse(route.name, kwargs={"pk": obj.pk})
            if "get" in route.offered:
                expect("get", url, {401} if caller == "anonymous" else {200} if readable else {404})
            for method in WRITE_METHODS:
                if caller == "anonymous":
                    allowed = {401}
                elif method not in route.offered:
                    allowed = {405}
                elif not readable:
                    allowed = {404}
                elif caller in WRITERS:
                    # Allowed to try: refused only for want of If-Match or a valid body.
                    allowed = {400, 412, 428}
                else:
                    allowed = {403}
                expect(method, url, allowed)

    assert wrong == []
    assert fingerprint() == before
