"""The partner API for KPIs and the DfE's published EHCP timeliness figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

DFE_2025 = Path(settings.BASE_DIR) / "send_tracker" / "seed_data" / "dfe_ehcp_timeliness_20_week_ry2025_all_plans.csv"
FIELDS = [
    "area_code",
    "area_name",
    "level",
    "year",
    "plans_issued",
    "plans_issued_ex",
    "within_20_weeks",
    "within_20_weeks_ex",
    "pc_within_20_weeks",
    "pc_within_20_weeks_ex",
    "avg_weeks",
    "avg_weeks_ex",
]


@pytest.fixture
def dfe(db: None) -> None:
    call_command("import_dfe_timeliness", str(DFE_2025), stdout=io.StringIO())


def test_ehcp_timeliness_has_the_contract_fields_and_the_published_figures(dfe, partner_user, key_client, icb):
    client = key_client(icb)

    rows = client.get("/api/v1/ehcp-timeliness/", {"area_name": "Oxfordshire", "year": 2022}).json()["results"]

    assert len(rows) == 1
    assert list(rows[0]) == FIELDS
    assert rows[0]["level"] == "local_authority" and rows[0]["area_code"] == "E10000025"
    assert rows[0]["pc_within_20_weeks_ex"] == 4.0
    assert rows[0]["avg_weeks"] is None  # not published in the 2025 release


@pytest.mark.parametrize(
    ("params", "count"),
    [({"level": "national"}, 6), ({"level": "regional", "year": 2024}, 9), ({"area_code": "E92000001"}, 6)],
)
def test_ehcp_timeliness_filters(dfe, icb, key_client, params, count):
    body = key_client(icb).get("/api/v1/ehcp-timeliness/", {**params, "page_size": 500}).json()

    assert len(body["results"]) == count


def test_pandas_reads_the_csv_of_ehcp_timeliness_and_of_actions(dfe, action, council, key_client):
    pandas = pytest.importorskip("pandas")
    client = key_client(council)

    timeliness = pandas.read_csv(io.BytesIO(client.get("/api/v1/ehcp-timeliness/", {"format": "csv"}).content))
    actions = pandas.read_csv(io.BytesIO(client.get("/api/v1/actions/", {"format": "csv"}).content))

    assert list(timeliness.columns) == FIELDS
    assert len(timeliness) > 900
    england_2022 = timeliness[(timeliness.area_code == "E92000001") & (timeliness.year == 2022)]
    assert float(england_2022.pc_within_20_weeks_ex.iloc[0]) == 49.2
    assert list(actions.ref) == ["3A1"]


def test_the_csv_leaves_missing_figures_empty_not_zero(dfe, icb, key_client):
    content = key_client(icb).get("/api/v1/ehcp-timeliness/", {"format": "csv", "year": 2019}).content.decode()

    rows = list(csv.DictReader(io.StringIO(content)))
    assert all(row["avg_weeks"] == "" for row in rows)


def test_kpis_are_scoped_to_the_partnership(make_indicator, council, other_council, key_client):
    from kpis.models import Indicator

    make_indicator("EHCP timeliness")

    assert len(key_client(council).get("/api/v1/kpis/").json()["results"]) == 1
    theirs = key_client(other_council).get("/api/v1/kpis/").json()["results"]
    assert {row["id"] for row in theirs} == set(
        Indicator.objects.filter(partnership_id=other_council.partnership_id).values_list("pk", flat=True)
    )
