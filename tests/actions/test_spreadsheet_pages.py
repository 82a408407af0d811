"""The plan's upload and export pages: an administrator uploads, checks every row, matches a column
and confirms; nothing is written before, nor when the file has a problem; everyone else 403, another
partnership 404; the export downloads in the layout the upload reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actions import spreadsheet_views
from actions.models import Action, Plan
from send_tracker.accounts.models import Organisation, User
from tests.actions.test_spreadsheet_import import CSV_TEXT
from tests.world import World

Clients = Callable[[User | None], Client]


@pytest.fixture(autouse=True)
def upload_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(spreadsheet_views, "UPLOAD_DIR", tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def orgs(council: Organisation, icb: Organisation) -> None:
    return None


def upload(client: Client, plan: Plan, name: str, raw: bytes) -> Any:
    return client.post(reverse("actions:import", args=[plan.pk]), {"file": SimpleUploadedFile(name, raw)})


@pytest.mark.django_db
def test_an_administrator_uploads_checks_and_confirms(
    plan: Plan, orgs: None, administrator: User, client_for: Clients, upload_dir: Path
) -> None:
    client = client_for(administrator)
    assert client.get(reverse("actions:plan", args=[plan.pk])).content.count(b"/import/") == 1
    assert client.get(reverse("actions:import", args=[plan.pk])).status_code == 200
    response = upload(client, plan, "Board plan.csv", CSV_TEXT)
    check = reverse("actions:import_check", args=[plan.pk])
    assert response.status_code == 302 and response["Location"] == check
    page = client.get(check).content.decode()
    assert "7 actions: 7 new, 0 changed, 0 unchanged." in page
    assert "Board plan.csv, row 10" in page and "EHC needs assessments in 20 weeks" in page
    assert not Action.objects.filter(plan=plan).exists()  # nothing before the confirmation
    assert len(list(upload_dir.iterdir())) == 1
    response = client.post(check, {"step": "confirm"})
    assert response.status_code == 302
    assert Action.objects.filter(plan=plan).count() == 7
    action = Action.objects.get(plan=plan, ref="2.1")
    assert action.history.first().history_change_reason == "Imported from Board plan.csv"
    assert action.history.first().history_user == administrator
    assert list(upload_dir.iterdir()) == []  # the file is gone once saved
    # The same file again changes nothing, and says so.
    upload(client, plan, "Board plan.csv", CSV_TEXT)
    page = client.get(check).content.decode()
    assert "7 actions: 0 new, 0 changed, 7 unchanged." in page and "Nothing in the file changes the plan." in page


@pytest.mark.django_db
def test_an_unplaced_column_is_matched_on_the_page(
    plan: Plan, orgs: None, administrator: User, client_for: Clients
) -> None:
    client = client_for(administrator)
    upload(client, plan, "plan.csv", b"Ref,Activity,Priority area\n1.1,Map the pathway,PAP 1: Voice\n")
    check = reverse("actions:import_check", args=[plan.pk])
    page = client.get(check).content.decode()
    assert "no column holds the action" in page and "What does the column \u201cActivity\u201d hold?" in page
    assert client.post(check, {"step": "confirm"}).status_code == 400
    assert not Action.objects.filter(plan=plan).exists()
    assert client.post(check, {"step": "columns", "column_1": "description"}).status_code == 302
    page = client.get(check).content.decode()
    assert "no column holds" not in page and "1 action: 1 new" in page
    client.post(check, {"step": "confirm"})
    assert Action.objects.get(plan=plan, ref="1.1").description == "Map the pathway"


@pytest.mark.django_db
def test_a_bad_file_shows_its_problems_and_writes_nothing(
    plan: Plan, orgs: None, administrator: User, client_for: Clients, elsewhere_world: World
) -> None:
    client = client_for(administrator)
    raw = b"Ref,Action,Owner,Target date,RAG\n1.1,One,Elsewhere Council,31/2/25,X\n"
    upload(client, plan, "bad.csv", raw)
    check = reverse("actions:import_check", args=[plan.pk])
    page = client.get(check).content.decode()
    assert "bad.csv, row 2: the target date &#x27;31/2/25&#x27;" in page
    assert "bad.csv, row 2: the BRAG rating &#x27;X&#x27;" in page
    assert "Save the plan" not in page
    assert client.post(check, {"step": "confirm"}).status_code == 400
    assert not Action.objects.filter(plan=plan).exists()
    for name, raw_file in [("plan.xls", b"old"), ("plan.docx", b"PK"), ("plan.xlsx", b"not a zip")]:
        response = upload(client, plan, name, raw_file)
        if name == "plan.xlsx":
            assert "the file is not an Excel workbook" in client.get(check).content.decode()
        else:
            assert response.status_code == 400


@pytest.mark.django_db
def test_only_the_partnerships_administrators_import(
    plan: Plan,
    orgs: None,
    officer: User,
    scrutiny_member: User,
    partner_user: User,
    elsewhere_world: World,
    client_for: Clients,
) -> None:
    pages = [reverse("actions:import", args=[plan.pk]), reverse("actions:import_check", args=[plan.pk])]
    for user in (officer, scrutiny_member, partner_user):
        client = client_for(user)
        for url in pages:
            assert client.get(url).status_code == 403
        assert upload(client, plan, "plan.csv", CSV_TEXT).status_code == 403
    other_admin = client_for(elsewhere_world.administrator)
    for url in pages:
        assert other_admin.get(url).status_code == 404
    assert upload(other_admin, plan, "plan.csv", CSV_TEXT).status_code == 404
    assert client_for(None).get(pages[0]).status_code == 302
    assert not Action.objects.filter(plan=plan).exists()


@pytest.mark.django_db
def test_the_plan_downloads_in_the_layout_the_upload_reads(
    plan: Plan, orgs: None, administrator: User, officer: User, elsewhere_world: World, client_for: Clients
) -> None:
    client = client_for(administrator)
    upload(client, plan, "plan.csv", CSV_TEXT)
    client.post(reverse("actions:import_check", args=[plan.pk]), {"step": "confirm"})
    reader = client_for(officer)
    csv_file = reader.get(reverse("actions:export_csv", args=[plan.pk]))
    assert csv_file["Content-Type"].startswith("text/csv")
    assert b"Ref,Priority area,Action,Lead organisation" in csv_file.content
    assert b"Elsewhere" not in csv_file.content
    xlsx = reader.get(reverse("actions:export_xlsx", args=[plan.pk]))
    assert xlsx.content[:2] == b"PK"
    for fmt, raw in (("csv", csv_file.content), ("xlsx", xlsx.content)):
        upload(client, plan, f"plan.{fmt}", raw)
        page = client.get(reverse("actions:import_check", args=[plan.pk])).content.decode()
        assert "7 actions: 0 new, 0 changed, 7 unchanged." in page, fmt
    outsider = client_for(elsewhere_world.officer)
    assert outsider.get(reverse("actions:export_csv", args=[plan.pk])).status_code == 404
    assert outsider.get(reverse("actions:export_xlsx", args=[plan.pk])).status_code == 404
