from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kpis.models import Indicator
from recommendations.models import Recommendation
from send_tracker.forms import after_stale_edit, object_form_page, submitted
from send_tracker.numbers import whole_number

from . import access
from .forms import ActionFilterForm, RatingUpdateForm
from .models import Action, Plan
from .reports import plan_totals, ratings_by_area
from .services import StaleEditError, record_rating_update
from .timeline import action_timeline


def _today() -> Any:
    return timezone.localdate()


@login_required
def current_plan(request: HttpRequest) -> HttpResponse:
    plan = access.current_plan_for(request.user)
    if plan is None:
        return render(request, "actions/no_plan.html", status=404)
    return redirect(plan)


@login_required
def plan_overview(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_reading(request.user, plan_id)
    areas = ratings_by_area(plan, _today())
    context = {
        "plan": plan,
        "areas": areas,
        "total_actions": sum(area.total for area in areas),
        "total_overdue": sum(area.overdue for area in areas),
        "totals": plan_totals(areas),
        "areas_for_improvement": plan.areas_for_improvement.all(),
        "milestones": plan.milestones.all(),
        "other_plans": Plan.objects.visible_to(request.user).exclude(pk=plan.pk),
    }
    return render(request, "actions/plan_overview.html", context)


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    plan_id = request.GET.get("plan")
    plan: Plan | None
    if plan_id and (number := whole_number(plan_id)) is not None:
        plan = access.plan_for_reading(request.user, number)
    else:
        plan = access.current_plan_for(request.user)
    if plan is None:
        return render(request, "actions/no_plan.html", status=404)
    form = ActionFilterForm(request.GET or None, plan=plan)
    actions = Action.objects.filter(plan=plan).with_listing_related()
    today = _today()
    if form.is_valid():
        data = form.cleaned_data
        if data["priority_area"]:
            actions = actions.filter(objective__priority_area=data["priority_area"])
        if data["theme"]:
            actions = actions.filter(themes=data["theme"])
        if data["workstream"]:
            actions = actions.filter(workstreams=data["workstream"])
        if data["rating"] == "none":
            actions = actions.filter(brag__isnull=True)
        elif data["rating"]:
            actions = actions.filter(brag=data["rating"])
        if data["overdue"] == "yes":
            actions = actions.overdue(today)
        elif data["overdue"] == "no":
            actions = actions.not_overdue(today)
        if data["owner"]:
            actions = actions.filter(owner=data["owner"])
    action_rows = [{"action": action, "overdue": action.is_overdue(today)} for action in actions.distinct()]
    return render(
        request,
        "actions/action_list.html",
        {"plan": plan, "form": form, "rows": action_rows, "filtered": bool(request.GET.keys() - {"plan"})},
    )


@login_required
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = access.action_for_reading(request.user, action_id)
    context = {
        "action": action,
        "overdue": action.is_overdue(_today()),
        "can_change": action.can_be_changed_by(request.user),
        "timeline": action_timeline(action),
        "themes": action.themes.all(),
        "workstreams": action.workstreams.all(),
        "recommendations": _linked_recommendations(request, action),
        "indicators": _linked_indicators(request, action),
    }
    return render(request, "actions/action_detail.html", context)


def _linked_recommendations(request: HttpRequest, action: Action) -> list[Recommendation]:
    """The scrutiny recommendations the action helps deliver, directly or through their updates."""
    return list(
        Recommendation.objects.visible_to(request.user)
        .linked_to(action)
        .with_status(_today())
        .select_related("report__committee")
        .order_by("report__received_on", "report__title", "position", "pk")
    )


def _linked_indicators(request: HttpRequest, action: Action) -> list[Indicator]:
    """The KPIs that measure the action or its priority area; `for_action` says which."""
    priority_area_id = action.objective.priority_area_id
    direct = Indicator.actions.through.objects.filter(indicator=OuterRef("pk"), action=action)
    return list(
        Indicator.objects.visible_to(request.user)
        .filter(Q(actions=action) | Q(priority_areas=priority_area_id))
        .annotate(for_action=Exists(direct))
        .distinct()
        .order_by("position", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate_action(request: HttpRequest, action_id: int) -> HttpResponse:
    action = access.action_for_change(request.user, action_id)
    stale: StaleEditError | None = None
    if request.method == "POST":
        form = RatingUpdateForm(request.POST, request.FILES)
        try:
            saved = submitted(
                request,
                form,
                lambda data: record_rating_update(
                    action_id=action.pk,
                    user=request.user,
                    brag=data["brag"],
                    commentary=data["commentary"],
                    based_on_version=data["version"],
                    evidence=form.evidence(),
                    commentary_is_public=data["commentary_is_public"],
                ),
            )
        except StaleEditError as exc:
            stale = exc
            action = exc.action
            form = after_stale_edit(
                RatingUpdateForm,
                request.POST,
                action.version,
                "Someone else updated this action while you were editing it. Your update has not been "
                "saved. Check their changes below; submit again to save yours on top of them.",
            )
        else:
            if saved:
                messages.success(request, f"Rating for {action.published_ref} saved.")
                return redirect(action)
    else:
        form = RatingUpdateForm(initial={"version": action.version, "brag": action.brag})
    return object_form_page(
        request,
        "actions/rate_action.html",
        form,
        action,
        f"Back to action {action.published_ref}",
        status=409 if stale else None,
        rating_options=RatingUpdateForm.rating_options(),
        stale=stale,
        stale_changes=stale.changes_since if stale else [],
    )


@login_required
def evidence_download(request: HttpRequest, update_id: int) -> FileResponse:
    update = access.rating_update_for_reading(request.user, update_id)
    # Always a download, never rendered inline: an uploaded HTML or SVG cannot run in our origin.
    response = FileResponse(
        update.evidence_file.open("rb"),
        as_attachment=True,
        filename=update.evidence_filename or "evidence",
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
