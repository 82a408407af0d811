"""The plan from a spreadsheet, in the browser: an administrator uploads it, sees every row as it
will be saved and every problem by sheet and row, says what any column the product could not place
holds, and confirms; and anyone who reads the plan downloads it in the same layout.

The uploaded file waits between the steps in a private temporary folder under a random name that
only the uploader's session holds (never in the database, never served), and is deleted when the
import is saved, replaced by another upload, or a day old.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from send_tracker.forms import form_page

from . import access
from .choices import PlanColumn
from .models import Plan
from .services import start_plan
from .spreadsheet_export import plan_csv, plan_xlsx
from .spreadsheet_import import (
    LEAVE_OUT,
    SPREADSHEET_SUFFIXES,
    CheckedPlan,
    SpreadsheetImportError,
    UnplacedColumn,
    check_plan_import,
    import_plan_spreadsheet,
    read_plan_spreadsheet,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_DIR = Path(tempfile.gettempdir()) / "send-tracker-plan-imports"
KEPT_SECONDS = 24 * 60 * 60
SESSION_KEY = "plan_import"
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Your plan's spreadsheet",
        help_text="An Excel workbook (.xlsx) or a CSV file, up to 5 MB.",
        error_messages={"required": "Choose the plan's spreadsheet.", "empty": "The file is empty."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file must be smaller than 5 MB.")
        name = (upload.name or "").lower()
        if name.endswith(".xls"):
            raise ValidationError("The file is an Excel 97-2003 workbook: save it from Excel as “Excel Workbook”.")
        if not name.endswith(SPREADSHEET_SUFFIXES):
            raise ValidationError("The file must be an Excel workbook (.xlsx) or a CSV file (.csv).")
        return upload


class ColumnsForm(forms.Form):
    """What each column the product could not place holds, a select each."""

    def __init__(self, *args: Any, columns: list[UnplacedColumn], mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys: dict[str, str] = {}
        for number, column in enumerate(columns, start=1):
            name = f"column_{number}"
            self.keys[name] = column.key
            self.fields[name] = forms.ChoiceField(
                label=f"What does the column “{column.header}” hold?",
                help_text=f"On {', '.join(column.sheets)}",
                choices=[(LEAVE_OUT, "Leave it out"), *PlanColumn.choices],
                initial=mapping.get(column.key, LEAVE_OUT),
            )

    def mapping(self) -> dict[str, str]:
        return {self.keys[name]: value for name, value in self.cleaned_data.items() if value != LEAVE_OUT}


# -- the file between the steps


def _path(token: str) -> Path:
    if not TOKEN.fullmatch(token):
        raise ValueError("not an upload's name")
    return UPLOAD_DIR / f"{token}.upload"


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _path(pending["token"]).unlink(missing_ok=True)


def _keep(request: HttpRequest, plan: Plan, upload: Any) -> None:
    _forget(request)
    UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = time.time() - KEPT_SECONDS
    for old in UPLOAD_DIR.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    with _path(token).open("wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    request.session[SESSION_KEY] = {"plan": plan.pk, "token": token, "name": upload.name, "mapping": {}}


def _pending(request: HttpRequest, plan: Plan) -> tuple[dict[str, Any], bytes] | None:
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("plan") != plan.pk:
        return None
    try:
        return pending, _path(pending["token"]).read_bytes()
    except (OSError, ValueError):
        return None


# -- the pages


@login_required
@require_http_methods(["POST"])
def start_plan_import(request: HttpRequest) -> HttpResponse:
    """A partnership with no plan yet (made with create_partnership) starts it from its spreadsheet."""
    plan = start_plan(user=request.user)
    return redirect("actions:import", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, plan_id)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _keep(request, plan, form.cleaned_data["file"])
        return redirect("actions:import_check", plan.pk)
    return form_page(
        request,
        "actions/plan_upload.html",
        form,
        back_url=plan.get_absolute_url(),
        back_label=f"Back to {plan.title}",
        plan=plan,
        headers={column.label: words for column, words in _header_words().items()},
    )


def _header_words() -> dict[PlanColumn, str]:
    from .spreadsheet_import import HEADER_WORDS

    return {column: ", ".join(f"“{word.capitalize()}”" for word in words[:4]) for column, words in HEADER_WORDS.items()}


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_check(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_editing(request.user, plan_id)
    found = _pending(request, plan)
    if found is None:
        messages.info(request, "Upload the plan's spreadsheet first.")
        return redirect("actions:import", plan.pk)
    pending, raw = found
    mapping: dict[str, str] = pending["mapping"]
    columns = read_plan_spreadsheet(pending["name"], raw).unplaced
    columns_form = ColumnsForm(
        request.POST if request.POST.get("step") == "columns" else None, columns=columns, mapping=mapping
    )
    if columns_form.is_bound and columns_form.is_valid():
        pending["mapping"] = columns_form.mapping()
        request.session[SESSION_KEY] = pending
        return redirect("actions:import_check", plan.pk)
    read = read_plan_spreadsheet(pending["name"], raw, mapping)
    checked = check_plan_import(plan, read)
    status = 200
    if request.method == "POST" and request.POST.get("step") == "confirm":
        try:
            counts = import_plan_spreadsheet(plan=plan, read=read, by=request.user)
        except SpreadsheetImportError as error:
            checked.problems = error.problems
            status = 400
        else:
            _forget(request)
            messages.success(
                request,
                f"{pending['name']} imported: {counts.created} new action{'s' if counts.created != 1 else ''}, "
                f"{counts.updated} changed, {counts.unchanged} unchanged.",
            )
            return redirect(plan)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "actions/plan_import_check.html",
        {
            "plan": plan,
            "filename": pending["name"],
            "checked": checked,
            "columns_form": columns_form if columns else None,
            "summary": _summary(checked),
            "back_url": reverse("actions:import", args=[plan.pk]),
        },
        status=status,
    )


def _summary(checked: CheckedPlan) -> str:
    new = sum(1 for row in checked.rows if row.action is None)
    changed = sum(1 for row in checked.rows if row.action is not None and row.changes)
    total = len(checked.rows)
    return (
        f"{total} action{'s' if total != 1 else ''}: {new} new, {changed} changed, {total - new - changed} unchanged."
    )


@login_required
@require_GET
def plan_export(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    plan = access.plan_for_reading(request.user, plan_id)
    today = timezone.localdate()
    content = plan_xlsx(plan, today) if fmt == "xlsx" else plan_csv(plan, today)
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{plan.partnership.slug}-plan-{today.isoformat()}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
