"""Permission-checked fetches for the plan. Views, the API and exports fetch through these.

Out of the reader's partnership: 404, so an id reveals nothing. Visible but not theirs to change:
403 (PermissionDenied).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from send_tracker.accounts import access
from send_tracker.accounts.access import AnyUser

from .models import Action, Plan, RatingUpdate


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
            "plan__partnership", "objective__priority_area", "owner", "lead_officer", "rated_by"
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
