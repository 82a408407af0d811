"""Permission-checked fetches for the plan. Views, the API and exports fetch through these.

Out of the reader's partnership: 404, so an id reveals nothing. Visible but not theirs to change:
403 (PermissionDenied).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from send_tracker.accounts import access
from send_tracker.accounts.access import AnyUser

from .models import Action, Objective, Plan, PriorityArea, RatingUpdate


def plan_for_reading(user: AnyUser, plan_id: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user).select_related("partnership"), pk=plan_id)


def current_plan_for(user: AnyUser) -> Plan | None:
    """The plan a reader lands on: their partnership's current plan."""
    return (
        Plan.objects.visible_to(user)
        .select_related("partnership")
        .order_by("-is_current", "partnership__name", "pk")
        .first()
    )


def action_for_reading(user: AnyUser, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.visible_to(user).select_related(
            "plan__partnership", "objective__priority_area", "owner", "lead_officer", "rated_by", "merged_into"
        ),
        pk=action_id,
    )


def action_for_change(user: AnyUser, action_id: int) -> Action:
    return access.for_change(user, action_for_reading(user, action_id), access.owners_only("action"))


def rating_update_for_reading(user: AnyUser, update_id: int) -> RatingUpdate:
    update = get_object_or_404(
        RatingUpdate.objects.select_related("action__plan").filter(action__in=Action.objects.visible_to(user)),
        pk=update_id,
    )
    if not update.evidence_file:
        raise Http404("This update has no evidence file.")
    return update


PLAN_EDITORS_ONLY = "Only an administrator of the partnership can change the plan's areas, objectives and actions."


def plan_for_editing(user: AnyUser, plan_id: int) -> Plan:
    """A plan whose areas, objectives and actions the user may add and edit: administrators."""
    plan = plan_for_reading(user, plan_id)
    return access.for_administrators(user, plan, plan.partnership_id, PLAN_EDITORS_ONLY)


def action_for_editing(user: AnyUser, action_id: int) -> Action:
    """An action whose every detail the user may edit, or retire: administrators."""
    action = action_for_reading(user, action_id)
    access.require(action.can_be_edited_by(user), PLAN_EDITORS_ONLY)
    return action


def priority_area_for_editing(user: AnyUser, area_id: int) -> PriorityArea:
    area = get_object_or_404(PriorityArea.objects.visible_to(user).select_related("plan"), pk=area_id)
    return access.for_administrators(user, area, area.plan.partnership_id, PLAN_EDITORS_ONLY)


def objective_for_editing(user: AnyUser, objective_id: int) -> Objective:
    objective = get_object_or_404(
        Objective.objects.filter(priority_area__in=PriorityArea.objects.visible_to(user)).select_related(
            "priority_area__plan"
        ),
        pk=objective_id,
    )
    partnership_id = objective.priority_area.plan.partnership_id
    return access.for_administrators(user, objective, partnership_id, PLAN_EDITORS_ONLY)
