"""The recommendation pages: the tracker, a report, a recommendation, and the officer's forms.

Thin: fetch through recommendations.access (404 outside the partnership, 403 for read-only users),
write through recommendations.services, and show its ValidationErrors in the GOV.UK error summary.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from send_tracker.accounts.access import administered_partnership, administers
from send_tracker.forms import (
    add_service_errors,
    filter_by,
    form_page,
    object_form_page,
    saved_redirect,
    service_arguments,
)
from send_tracker.list_downloads import check_format, list_download, list_download_links

from . import access, services
from .choices import Status
from .deadlines import Deadline
from .forms import CloseForm, ReportForm, ResponseForm, TrackerFilterForm, UpdateForm
from .list_cells import TRACKER_COLUMNS, tracker_cells
from .models import Recommendation
from .timeline import HistoryEntry, recommendation_history


def _today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Row:
    recommendation: Recommendation
    status: Status
    deadline: Deadline | None


def _rows(recommendations: list[Recommendation], today: datetime.date) -> list[Row]:
    return [Row(rec, rec.status_on(today), rec.deadline_on(today)) for rec in recommendations]


def _tracked(request: HttpRequest, today: datetime.date) -> tuple[TrackerFilterForm, list[Row]]:
    """The tracker's filters and rows, for its page and its downloads alike."""
    form = TrackerFilterForm(request.GET or None, user=request.user)
    recommendations = (
        Recommendation.objects.visible_to(request.user)
        .with_status(today)
        .with_listing_related()
        .order_by("-report__received_on", "report__title", "position", "pk")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["committee"]:
            committee = data["committee"]
            recommendations = recommendations.filter(Q(report__committee=committee) | Q(joint_with=committee))
        recommendations = filter_by(
            recommendations, data, {"report": "report", "status": "status", "respondent": "respondent"}
        )
        if data["overdue"] == "yes":
            recommendations = recommendations.filter(status=Status.RESPONSE_OVERDUE)
        elif data["overdue"] == "no":
            recommendations = recommendations.exclude(status=Status.RESPONSE_OVERDUE)
    return form, _rows(list(recommendations.distinct()), today)


@login_required
def tracker(request: HttpRequest) -> HttpResponse:
    today = _today()
    form, rows = _tracked(request, today)
    return render(
        request,
        "recommendations/tracker.html",
        {
            "form": form,
            "rows": rows,
            "today": today,
            "filtered": any(value for value in request.GET.values()),
            "overdue_count": sum(1 for row in rows if row.status == Status.RESPONSE_OVERDUE),
            "administers": administers(request.user),
            "downloads": list_download_links(request, "recommendations:tracker_download"),
        },
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


@login_required
@require_GET
def tracker_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The tracker as CSV or Excel, with the page's filters applied."""
    check_format(fmt)
    today = _today()
    form, rows = _tracked(request, today)
    if form.is_bound and not form.is_valid():
        # The page says what is wrong with the filters; a download would hold every recommendation.
        return redirect(f"{reverse('recommendations:tracker')}?{request.GET.urlencode()}")
    cells = (tracker_cells(row.recommendation, row.status, row.deadline, today) for row in rows)
    filename = f"scrutiny-recommendations-{today.isoformat()}"
    return list_download(fmt, filename, "Scrutiny recommendations", TRACKER_COLUMNS, cells)


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    today = _today()
    report = access.report_for_reading(request.user, report_id)
    recommendations = list(
        report.recommendations.with_status(today)
        .select_related("respondent_organisation", "response")
        .prefetch_related("joint_with")
        .order_by("position", "pk")
    )
    lists: dict[str, list[Row]] = {}
    for row in _rows(recommendations, today):
        lists.setdefault(row.recommendation.list_name, []).append(row)
    return render(
        request,
        "recommendations/report_detail.html",
        {"report": report, "lists": lists, "deadline": report.response_deadline, "today": today},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """Enter a scrutiny report in two steps: the form, then its recommendations split and numbered
    for checking. "Change" goes back to the form with everything as typed; "Save" saves it all at once."""
    partnership = administered_partnership(request.user, "Only an administrator can enter a scrutiny report.")
    form = ReportForm(request.POST or None, partnership_id=partnership.pk)
    step = request.POST.get("step", "")
    page: dict[str, Any] = {
        "back_url": reverse("recommendations:tracker"),
        "back_label": "Back to scrutiny recommendations",
        "page_title": "Enter a scrutiny report",
        "caption": "Scrutiny recommendations",
        "submit": "Continue",
    }
    if request.method == "POST" and step != "change" and form.is_valid():
        try:
            if step == "confirm":
                report = services.enter_report(
                    partnership_id=partnership.pk, user=request.user, **service_arguments(form)
                )
                count = report.recommendations.count()
                messages.success(
                    request, f"{report.title} saved with {count} recommendation{'s' if count != 1 else ''}."
                )
                return redirect(report)
            draft = services.read_report(partnership_id=partnership.pk, **service_arguments(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "recommendations/report_check.html", {"form": form, "draft": draft, **page})
    status = 200 if step == "change" else None
    return form_page(request, "recommendations/report_form.html", form, status=status, **page)


@login_required
def recommendation_detail(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    today = _today()
    recommendation = access.recommendation_for_reading(request.user, recommendation_id)
    history: list[HistoryEntry] = recommendation_history(recommendation)
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "report": recommendation.report,
            "status": recommendation.status_on(today),
            "deadline": recommendation.deadline_on(today),
            "response": recommendation.response_or_none,
            "updates": recommendation.updates.select_related("created_by").prefetch_related("actions__plan"),
            "actions": recommendation.actions.select_related("plan").order_by("position", "ref"),
            "joint_with": recommendation.joint_with.all(),
            "responsible": recommendation.responsible_organisation(),
            "can_change": recommendation.can_be_changed_by(request.user),
            "history": history,
            "today": today,
        },
    )


def _date_initial(prefix: str, value: datetime.date | None) -> dict[str, object]:
    if value is None:
        return {}
    return {f"{prefix}_day": str(value.day), f"{prefix}_month": str(value.month), f"{prefix}_year": str(value.year)}


@login_required
@require_http_methods(["GET", "POST"])
def record_response(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = access.recommendation_for_change(request.user, recommendation_id)
    existing = recommendation.response_or_none
    if request.method == "POST":
        form = ResponseForm(request.POST)
        # The form's fields are the service's: outcome, proposed action, timescale, reasons,
        # lead Cabinet members, the date given and whether it is published.
        said = "Response to {row.recommendation.reference} saved."
        saved = saved_redirect(
            request, form, services.record_response, said, to=recommendation, recommendation_id=recommendation.pk
        )
        if saved:
            return saved
    else:
        initial: dict[str, object] = _date_initial("given_on", _today())
        if existing is not None:
            initial = {
                "outcome": existing.outcome,
                "proposed_action": existing.proposed_action,
                "indicative_timescale": existing.indicative_timescale,
                "reasons": existing.reasons,
                "lead_cabinet_members": existing.lead_cabinet_members,
                "is_published": existing.is_published,
                **(_date_initial("given_on", existing.given_on) or initial),
            }
        form = ResponseForm(initial=initial)
    return _recommendation_form_page(
        request,
        "recommendations/response_form.html",
        recommendation,
        form,
        existing=existing,
        outcome_options=ResponseForm.outcome_options(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_update(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = access.recommendation_for_change(request.user, recommendation_id)
    initial = {
        **_date_initial("reported_on", _today()),
        "actions": [str(pk) for pk in recommendation.actions.values_list("pk", flat=True)],
    }
    form = UpdateForm(
        request.POST if request.method == "POST" else None, initial=initial, recommendation=recommendation
    )
    said = "Update to {row.recommendation.reference} saved."
    saved = saved_redirect(
        request, form, services.add_implementation_update, said, to=recommendation, recommendation_id=recommendation.pk
    )
    return saved or _recommendation_form_page(request, "recommendations/update_form.html", recommendation, form)


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    recommendation = access.recommendation_for_change(request.user, recommendation_id)
    form = CloseForm(request.POST if request.method == "POST" else None)
    said = "{row.reference} closed."
    saved = saved_redirect(request, form, services.close_recommendation, said, recommendation_id=recommendation.pk)
    return saved or _recommendation_form_page(request, "recommendations/close_form.html", recommendation, form)


def _recommendation_form_page(
    request: HttpRequest, template_name: str, recommendation: Recommendation, form: Any, **context: Any
) -> HttpResponse:
    return object_form_page(
        request, template_name, form, recommendation, f"Back to {recommendation.reference}", **context
    )
