from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.views.decorators.http import require_GET, require_http_methods

from governance.rounds import Round, current_round
from kpis.models import Indicator
from recommendations.models import Recommendation
from send_tracker.accounts.access import administers, may_change_in_partnership
from send_tracker.forms import after_stale_edit, filter_by, form_page, object_form_page, submitted
from send_tracker.list_downloads import check_format, list_download, list_download_links
from send_tracker.numbers import whole_number

from . import access
from .baseline import slip_of
from .forms import (
    ActionFilterForm,
    ActionForm,
    ObjectiveForm,
    PriorityAreaForm,
    RatingUpdateForm,
    RetireActionForm,
    ReviseActionForm,
)
from .forum import forum_position_now, summary_of, views_of, with_forum_view
from .forum_views import forum_context
from .list_cells import ACTION_LIST_COLUMNS, action_list_cells
from .models import Action, Plan
from .reports import plan_totals, ratings_by_area
from .services import (
    StaleEditError,
    StaleRowError,
    add_action,
    edit_action,
    record_rating_update,
    retire_action,
    revise_action,
    save_objective,
    save_priority_area,
)
from .timeline import action_timeline, entry_summary


def _today() -> Any:
    return timezone.localdate()


@login_required
def current_plan(request: HttpRequest) -> HttpResponse:
    plan = access.current_plan_for(request.user)
    if plan is None:
        return render(request, "actions/no_plan.html", {"may_start": administers(request.user)}, status=404)
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
        "total_retired": sum(area.retired for area in areas),
        "totals": plan_totals(areas),
        "can_edit": may_change_in_partnership(request.user, plan.partnership_id),
        "areas_for_improvement": plan.areas_for_improvement.all(),
        "milestones": plan.milestones.all(),
        "other_plans": Plan.objects.visible_to(request.user).exclude(pk=plan.pk),
    }
    return render(request, "actions/plan_overview.html", context)


def _listed_actions(request: HttpRequest) -> tuple[Plan, ActionFilterForm, list[dict[str, Any]]] | None:
    """The action list's plan, filters and rows, for its page and its downloads alike; None when
    the reader has no plan."""
    plan_id = request.GET.get("plan")
    plan: Plan | None
    if plan_id and (number := whole_number(plan_id)) is not None:
        plan = access.plan_for_reading(request.user, number)
    else:
        plan = access.current_plan_for(request.user)
    if plan is None:
        return None
    form = ActionFilterForm(request.GET or None, plan=plan)
    actions = Action.objects.filter(plan=plan).with_listing_related()
    today = _today()
    if form.is_valid():
        data = form.cleaned_data
        lookups = {"priority_area": "objective__priority_area", "theme": "themes", "workstream": "workstreams"}
        actions = filter_by(actions, data, lookups)
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
        if data["status"]:
            actions = actions.filter(status=data["status"])
        if data["forum"]:
            actions = forum_position_now(actions, data["forum"])
    action_rows = [
        {"action": action, "overdue": action.is_overdue(today), "forum": summary_of(action)}
        for action in with_forum_view(actions.distinct())
    ]
    return plan, form, action_rows


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    listed = _listed_actions(request)
    if listed is None:
        return render(request, "actions/no_plan.html", status=404)
    plan, form, action_rows = listed
    return render(
        request,
        "actions/action_list.html",
        {
            "plan": plan,
            "form": form,
            "rows": action_rows,
            "filtered": bool(request.GET.keys() - {"plan"}),
            "can_edit": may_change_in_partnership(request.user, plan.partnership_id),
            "downloads": list_download_links(request, "actions:list_download"),
        },
    )


@login_required
@require_GET
def action_list_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The action list as CSV or Excel, with the page's filters applied."""
    check_format(fmt)
    listed = _listed_actions(request)
    if listed is None:
        return render(request, "actions/no_plan.html", status=404)
    plan, form, action_rows = listed
    if form.is_bound and not form.is_valid():
        # The page says what is wrong with the filters; a download would hold every action.
        return redirect(f"{reverse('actions:list')}?{request.GET.urlencode()}")
    rows = (action_list_cells(row["action"], row["overdue"], row["forum"]) for row in action_rows)
    filename = f"actions-{slugify(plan.title)[:40]}-{_today().isoformat()}"
    return list_download(fmt, filename, f"{plan.title}: actions", ACTION_LIST_COLUMNS, rows)


@login_required
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = access.action_for_reading(request.user, action_id)
    views = views_of(action)  # the forum's, for its section and the timeline
    context = {
        "action": action,
        "overdue": action.is_overdue(_today()),
        "can_change": action.can_be_changed_by(request.user),
        "can_edit": action.can_be_edited_by(request.user),
        "timeline": action_timeline(action, views),
        "slip": slip_of(action),
        "themes": action.themes.all(),
        "workstreams": action.workstreams.all(),
        "areas_for_improvement": action.areas_for_improvement.all(),
        "recommendations": _linked_recommendations(request, action),
        "indicators": _linked_indicators(request, action),
        **forum_context(request, action, views),
        "update_round": _round_due(action),
        "today": _today(),
    }
    return render(request, "actions/action_detail.html", context)


def _round_due(action: Action) -> Round | None:
    """The update round in which the action is due an update, if it is: one query when no board
    oversees its plan."""
    if action.is_retired:
        return None
    update_round = current_round(action.plan_id, _today())
    return update_round if update_round is not None and update_round.is_due(action.pk) else None


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


# ---------------------------------------------------------------------------------------------
# Editing the plan: administrators add and edit areas, objectives and actions and retire actions;
# the owning organisation's officers move their action's target date and name its lead officer.

STALE_MESSAGE = (
    "Someone else changed this while you were editing it. Your changes have not been saved. Check "
    "theirs below; your entries are kept in the form: submit again to save them on top."
)


@dataclass
class Edited:
    """A posted edit page's outcome: the form to draw, what was saved, what changed meanwhile."""

    form: Any
    saved: Any = None
    changes_since: list[dict[str, Any]] = field(default_factory=list)
    stale: bool = False


def _edited(
    request: HttpRequest, form_class: type[Any], initial: dict[str, Any], write: Any, **form_kwargs: Any
) -> Edited:
    """A GET's form, filled with `initial`; or a POST's form given to `write` (a service call), and
    when someone else saved first, the form again with the editor's entries and what they changed."""
    if request.method != "POST":
        return Edited(form_class(initial=initial, **form_kwargs))
    form = form_class(request.POST, **form_kwargs)
    try:
        return Edited(form, saved=submitted(request, form, write))
    except (StaleEditError, StaleRowError) as exc:
        current = exc.action if isinstance(exc, StaleEditError) else exc.row
        again = after_stale_edit(form_class, request.POST, current.version, STALE_MESSAGE, **form_kwargs)
        return Edited(again, changes_since=_changes_since(exc), stale=True)


def _changes_since(exc: StaleEditError | StaleRowError) -> list[dict[str, Any]]:
    if isinstance(exc, StaleRowError):
        return [
            {"when": r.history_date, "who": r.actor, "what": "Edited", "why": r.why}  # type: ignore[attr-defined]
            for r in exc.changes_since
        ]
    return [
        {"when": entry.when, "who": entry.who, "what": entry_summary(entry), "why": entry.why}
        for entry in reversed(action_timeline(exc.action))
        if entry.version > exc.based_on_version
    ]


def _edit_page(
    request: HttpRequest,
    edited: Edited,
    *,
    saved: str,
    title: str,
    caption: str,
    back_url: str,
    submit: str,
    intro: str = "",
    back_label: str = "Back",
    to_saved: bool = True,
    warning: bool = False,
) -> HttpResponse:
    """After a save, `saved` (formatted with the saved row as `row`) and its page, or back to
    `back_url` when not `to_saved`; else the form page, with what changed if the save was stale."""
    if edited.saved:
        messages.success(request, saved.format(row=edited.saved))
        return redirect(edited.saved if to_saved else back_url)
    return form_page(
        request,
        "actions/edit_page.html",
        edited.form,
        back_url=back_url,
        back_label=back_label,
        status=409 if edited.stale else None,
        page_title=title,
        caption=caption,
        submit=submit,
        intro=intro,
        stale=edited.stale,
        changes_since=edited.changes_since,
        warning=warning,
    )


def _structure_page(
    request: HttpRequest, plan: Plan, edited: Edited, *, title: str, what: str, submit: str
) -> HttpResponse:
    """A priority area's or an objective's page, which go back to the plan's areas and objectives."""
    return _edit_page(
        request,
        edited,
        saved=f"{what} saved.",
        title=title,
        caption=plan.title,
        back_url=reverse("actions:structure", args=[plan.pk]),
        submit=submit,
        back_label="Back to the priority areas and objectives",
        to_saved=False,
    )


def _action_page(
    request: HttpRequest, action: Action, edited: Edited, *, title: str, submit: str, **options: Any
) -> HttpResponse:
    """An action's edit page: back to the action, the action's words as the caption."""
    options.setdefault("saved", "Action {row.published_ref} saved.")
    return _edit_page(
        request,
        edited,
        title=title,
        caption=Truncator(action.description).words(20),
        back_url=action.get_absolute_url(),
        back_label=f"Back to action {action.published_ref}",
        submit=submit,
        **options,
    )


@login_required
@require_GET
def plan_structure(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for_reading(request.user, plan_id)
    areas = plan.priority_areas.prefetch_related("objectives")
    can_edit = may_change_in_partnership(request.user, plan.partnership_id)
    return render(request, "actions/plan_structure.html", {"plan": plan, "areas": areas, "can_edit": can_edit})


@login_required
@require_http_methods(["GET", "POST"])
def priority_area_page(request: HttpRequest, plan_id: int = 0, area_id: int = 0) -> HttpResponse:
    """Add a priority area to the plan `plan_id`, or edit the area `area_id`."""
    area = access.priority_area_for_editing(request.user, area_id) if area_id else None
    plan = area.plan if area else access.plan_for_editing(request.user, plan_id)
    edited = _edited(
        request,
        PriorityAreaForm,
        PriorityAreaForm.initial_for(area) if area else {},
        lambda data: save_priority_area(plan_id=plan.pk, user=request.user, area_id=area.pk if area else None, **data),
    )
    title = f"Edit priority area {area.number}" if area else "Add a priority area"
    return _structure_page(
        request, plan, edited, title=title, what="Priority area {row.number}", submit="Save priority area"
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_page(request: HttpRequest, plan_id: int = 0, objective_id: int = 0) -> HttpResponse:
    """Add an objective to the plan `plan_id`, or edit the objective `objective_id`."""
    objective = access.objective_for_editing(request.user, objective_id) if objective_id else None
    plan = objective.priority_area.plan if objective else access.plan_for_editing(request.user, plan_id)
    initial = ObjectiveForm.initial_for(objective) if objective else {"priority_area": request.GET.get("area")}
    edited = _edited(
        request,
        ObjectiveForm,
        initial,
        lambda data: save_objective(
            plan_id=plan.pk, user=request.user, objective_id=objective.pk if objective else None, **data
        ),
        plan=plan,
    )
    title = f"Edit objective {objective.code}" if objective else "Add an objective"
    return _structure_page(request, plan, edited, title=title, what="Objective {row.code}", submit="Save objective")


@login_required
@require_http_methods(["GET", "POST"])
def action_page(request: HttpRequest, plan_id: int = 0, action_id: int = 0) -> HttpResponse:
    """Add an action to the plan `plan_id`, or edit the action `action_id`: administrators."""
    action = access.action_for_editing(request.user, action_id) if action_id else None
    plan = action.plan if action else access.plan_for_editing(request.user, plan_id)

    def write(data: dict[str, Any]) -> Action:
        details, reason = ActionForm.details(data), data["reason"]
        if action is None:
            return add_action(plan_id=plan.pk, user=request.user, details=details, reason=reason)
        version = data["version"] or 0
        return edit_action(
            action_id=action.pk, user=request.user, details=details, based_on_version=version, reason=reason
        )

    initial = ActionForm.initial_for(action) if action else {"objective": request.GET.get("objective")}
    edited = _edited(request, ActionForm, initial, write, plan=plan)
    if action:
        return _action_page(request, action, edited, title=f"Edit action {action.published_ref}", submit="Save action")
    return _edit_page(
        request,
        edited,
        saved="Action {row.published_ref} added to the plan.",
        title="Add an action",
        caption=plan.title,
        back_url=f"{reverse('actions:list')}?plan={plan.pk}",
        submit="Add action",
        back_label="Back to the actions",
    )


def _changed_action(
    request: HttpRequest,
    action: Action,
    form_class: type[Any],
    initial: dict[str, Any],
    service: Any,
    form_options: dict[str, Any],
    **page: Any,
) -> HttpResponse:
    """A form that changes `action` (filled with `initial`), its data given to `service` with the
    action and the user, on the action's edit page (`_action_page`)."""

    def write(data: dict[str, Any]) -> Any:
        return service(action_id=action.pk, user=request.user, **data)

    return _action_page(request, action, _edited(request, form_class, initial, write, **form_options), **page)


@login_required
@require_http_methods(["GET", "POST"])
def action_revise(request: HttpRequest, action_id: int) -> HttpResponse:
    action = access.action_for_change(request.user, action_id)
    due = action.due_date_text or action.get_due_date_kind_display()
    return _changed_action(
        request, action, ReviseActionForm, ReviseActionForm.initial_for(action), revise_action, {"plan": action.plan},
        title=f"Change the target date or lead officer of {action.published_ref}",
        submit="Save changes",
        intro=f"The target date is now {due}.",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def action_retire(request: HttpRequest, action_id: int) -> HttpResponse:
    action = access.action_for_editing(request.user, action_id)
    return _changed_action(
        request, action, RetireActionForm, {"version": action.version}, retire_action, {"action": action},
        saved="Action {row.published_ref} retired. It stays in the plan and its history, marked retired.",
        title=f"Retire action {action.published_ref}",
        submit="Retire action",
        warning=True,
        intro="A retired action is not deleted: it stays in the plan, its history and past board packs, "
        "marked retired, and is no longer counted among the open actions or alerted as overdue.",
    )  # fmt: skip
