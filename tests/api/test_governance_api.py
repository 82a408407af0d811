"""The partner API for board meetings and the risk register."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
import time_machine

from governance.choices import BoardKind, MeetingStatus, RiskStatus, RiskTrend
from governance.models import Board, Meeting, Risk

MEETING_FIELDS = ["id", "board", "date", "title", "status", "papers_deadline", "location", "is_demo"]
RISK_FIELDS = [
    "id",
    "reference",
    "title",
    "cause",
    "consequence",
    "owner",
    "owner_role",
    "likelihood_before",
    "impact_before",
    "score_before",
    "level_before",
    "likelihood_after",
    "impact_after",
    "score_after",
    "level_after",
    "mitigations",
    "trend",
    "status",
    "next_review_date",
    "review_board",
    "is_demo_scores",
    "version",
    "updated_at",
]


@pytest.fixture
def board(partnership) -> Board:
    return Board.objects.create(
        partnership=partnership,
        name="Testshire SEND Improvement and Assurance Board",
        short_name="SIAB",
        kind=BoardKind.IMPROVEMENT_BOARD,
    )


@pytest.fixture
def delivery_group(partnership) -> Board:
    return Board.objects.create(
        partnership=partnership, name="Partnership Delivery Group", kind=BoardKind.DELIVERY_GROUP
    )


def make_risk(partnership, reference: str, scores: tuple[int, int, int, int], **fields: Any) -> Risk:
    lb, ib, la, ia = scores
    return Risk.objects.create(
        partnership=partnership,
        reference=reference,
        title=f"Risk {reference}",
        likelihood_before=lb,
        impact_before=ib,
        likelihood_after=la,
        impact_after=ia,
        **fields,
    )


def results(client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- meetings --------------------------------------------------------------------------------


def test_a_meeting_has_its_fields_in_a_stable_order(board, council, key_client):
    later = Meeting.objects.create(board=board, date=datetime.date(2024, 7, 17), title="Post-16 provision")
    earlier = Meeting.objects.create(
        board=board, date=datetime.date(2024, 4, 17), papers_deadline=datetime.date(2024, 4, 9), location="County Hall"
    )
    client = key_client(council)

    rows = results(client, "/api/v1/meetings/")

    assert [list(row) for row in rows] == [MEETING_FIELDS, MEETING_FIELDS]
    assert [row["id"] for row in rows] == [later.pk, earlier.pk]  # by id, however the dates fall
    assert rows[1] == {
        "id": earlier.pk,
        "board": "Testshire SEND Improvement and Assurance Board",
        "date": "2024-04-17",
        "title": "",
        "status": "scheduled",
        "papers_deadline": "2024-04-09",
        "location": "County Hall",
        "is_demo": False,
    }
    assert client.get(f"/api/v1/meetings/{earlier.pk}/").json() == rows[1]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"board": "SIAB"}, {"siab-apr", "siab-jul"}),
        ({"board": "partnership delivery group"}, {"pdg-may"}),
        ({"status": "cancelled"}, {"siab-jul"}),
        ({"date_from": "2024-05-01"}, {"pdg-may", "siab-jul"}),
        ({"date_to": "2024-05-01"}, {"siab-apr", "pdg-may"}),
        ({"date_from": "2024-04-18", "date_to": "2024-06-30"}, {"pdg-may"}),
    ],
)
def test_meeting_filters(board, delivery_group, council, key_client, params, expected):
    names = {
        Meeting.objects.create(board=board, date=datetime.date(2024, 4, 17)).pk: "siab-apr",
        Meeting.objects.create(board=delivery_group, date=datetime.date(2024, 5, 1)).pk: "pdg-may",
        Meeting.objects.create(board=board, date=datetime.date(2024, 7, 17), status=MeetingStatus.CANCELLED).pk: (
            "siab-jul"
        ),
    }

    rows = results(key_client(council), "/api/v1/meetings/", **params)

    assert {names[row["id"]] for row in rows} == expected


def test_the_board_filter_takes_an_id(board, delivery_group, council, key_client):
    meeting = Meeting.objects.create(board=board, date=datetime.date(2024, 4, 17))
    client = key_client(council)

    assert [row["id"] for row in results(client, "/api/v1/meetings/", board=board.pk)] == [meeting.pk]
    assert results(client, "/api/v1/meetings/", board=delivery_group.pk) == []


def test_a_bad_date_is_a_clear_400(council, key_client):
    response = key_client(council).get("/api/v1/meetings/", {"date_from": "2024-13-45"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["date_from"]


def test_another_partnerships_meetings_and_risks_do_not_exist(board, partnership, other_council, key_client):
    meeting = Meeting.objects.create(board=board, date=datetime.date(2024, 4, 17))
    risk = make_risk(partnership, "R1", (3, 3, 2, 2))
    client = key_client(other_council)

    # The key sees its own partnership's meetings and risks (tests/world.py), never Testshire's.
    theirs = other_council.partnership_id
    assert {row["id"] for row in results(client, "/api/v1/meetings/")} == set(
        Meeting.objects.filter(board__partnership_id=theirs).values_list("pk", flat=True)
    )
    assert {row["id"] for row in results(client, "/api/v1/risks/")} == set(
        Risk.objects.filter(partnership_id=theirs).values_list("pk", flat=True)
    )
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/api/v1/risks/{risk.pk}/").status_code == 404


# --- risks -----------------------------------------------------------------------------------


def test_a_risk_has_its_fields_scores_and_levels(partnership, board, council, key_client):
    risk = make_risk(
        partnership,
        "R3",
        (4, 5, 3, 3),
        cause="Demand grows faster than staffing.",
        owner=council,
        owner_role="Director of Children's Services",
        trend=RiskTrend.FALLING,
        next_review_date=datetime.date(2024, 5, 1),
        review_board=board,
    )
    client = key_client(council)

    rows = results(client, "/api/v1/risks/")

    assert [list(row) for row in rows] == [RISK_FIELDS]
    row = rows[0]
    assert {k: row[k] for k in RISK_FIELDS if k.endswith(("_before", "_after"))} == {
        "likelihood_before": 4,
        "impact_before": 5,
        "score_before": 20,
        "level_before": "very_high",
        "likelihood_after": 3,
        "impact_after": 3,
        "score_after": 9,
        "level_after": "medium",
    }
    assert row["owner"] == "Testshire County Council"
    assert row["review_board"] == "Testshire SEND Improvement and Assurance Board"
    assert (row["id"], row["reference"], row["trend"], row["status"]) == (risk.pk, "R3", "falling", "open")
    assert row["next_review_date"] == "2024-05-01"
    assert client.get(f"/api/v1/risks/{risk.pk}/").json() == row


@pytest.mark.parametrize(
    ("scores", "level"),
    [((1, 4, 1, 4), "low"), ((1, 5, 1, 5), "medium"), ((3, 3, 3, 3), "medium"), ((2, 5, 2, 5), "high")],
)
def test_levels_follow_the_registers_bands(partnership, council, key_client, scores, level):
    make_risk(partnership, "R1", scores)

    row = results(key_client(council), "/api/v1/risks/")[0]

    assert row["level_before"] == row["level_after"] == level


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "closed"}, {"R3"}),
        ({"trend": "rising"}, {"R2"}),
        ({"owner": "ICB"}, {"R2"}),
        ({"owner": "testshire county council"}, {"R1", "R3"}),
        ({"review_overdue": "true"}, {"R1"}),
        ({"review_overdue": "false"}, {"R2", "R3"}),
    ],
)
def test_risk_filters(partnership, council, icb, key_client, params, expected):
    make_risk(partnership, "R1", (3, 3, 3, 3), owner=council, next_review_date=datetime.date(2024, 5, 1))
    make_risk(
        partnership, "R2", (3, 3, 3, 3), owner=icb, trend=RiskTrend.RISING, next_review_date=datetime.date(2024, 7, 1)
    )
    # Closed: never overdue for review, whatever its date.
    make_risk(
        partnership,
        "R3",
        (3, 3, 3, 3),
        owner=council,
        status=RiskStatus.CLOSED,
        next_review_date=datetime.date(2024, 1, 1),
    )

    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        rows = results(key_client(council), "/api/v1/risks/", **params)

    assert {row["reference"] for row in rows} == expected


def test_the_risk_csv_has_every_column(partnership, council, key_client):
    make_risk(partnership, "R1", (4, 4, 2, 2), owner=council)

    response = key_client(council).get("/api/v1/risks/", {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == RISK_FIELDS
    assert (rows[0]["score_before"], rows[0]["level_before"], rows[0]["owner"]) == ("16", "very_high", council.name)


def test_risks_are_read_only_even_to_a_write_key_of_their_owner(partnership, council, key_client):
    risk = make_risk(partnership, "R1", (4, 4, 2, 2), owner=council)
    client = key_client(council, write=True)

    for method in ("put", "patch", "delete"):
        assert (
            getattr(client, method)(f"/api/v1/risks/{risk.pk}/", {"likelihood_after": 1}, format="json").status_code
            == 405
        )

    risk.refresh_from_db()
    assert (risk.likelihood_after, risk.version) == (2, 1)
