from django.contrib import admin
from django.http import HttpRequest

from send_tracker.accounts.admin_scope import PartnershipScopedAdmin, PartnershipScopedHistoryAdmin, ReadOnlyMixin

from .models import (
    Action,
    AreaForImprovement,
    Objective,
    ParentCarerView,
    Plan,
    PriorityArea,
    RatingUpdate,
    RoadmapMilestone,
    Theme,
    Workstream,
)


@admin.register(Plan)
class PlanAdmin(PartnershipScopedHistoryAdmin):
    list_display = ["title", "partnership", "kind", "approved_date", "is_current"]
    list_filter = ["partnership", "kind", "is_current"]


@admin.register(PriorityArea)
class PriorityAreaAdmin(PartnershipScopedHistoryAdmin):
    list_display = ["__str__", "plan"]
    list_filter = ["plan"]


@admin.register(Objective)
class ObjectiveAdmin(PartnershipScopedHistoryAdmin):
    partnership_path = "priority_area__plan__partnership"
    list_display = ["code", "priority_area"]
    list_filter = ["priority_area__plan"]


@admin.register(Action)
class ActionAdmin(ReadOnlyMixin, PartnershipScopedHistoryAdmin):
    """Actions are read here, never written: the site adds, edits, retires and rates them through
    actions.services, where a new target date needs its reason, a rating its commentary and
    evidence, every save the version check, and nothing is deleted.
    """

    list_display = ["published_ref", "plan", "owner", "due_date_text", "brag", "version", "updated_at"]
    list_filter = ["plan", "brag", "owner", "themes", "workstreams"]
    search_fields = ["ref", "published_ref", "description"]
    readonly_fields = ["brag", "brag_commentary", "rated_at", "rated_by", "version", "created_at", "updated_at"]
    filter_horizontal = ["themes", "workstreams"]


@admin.register(RatingUpdate)
class RatingUpdateAdmin(PartnershipScopedAdmin):
    partnership_path = "action__plan__partnership"
    list_display = ["action", "version", "brag", "created_by_label", "created_at"]
    list_filter = ["brag"]
    readonly_fields = [f.name for f in RatingUpdate._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ParentCarerView)
class ParentCarerViewAdmin(ReadOnlyMixin, PartnershipScopedHistoryAdmin):
    """The forum's views and the owners' replies are read here, never written: the site gives and
    answers them through actions.forum, which checks who speaks for the forum and for the owner."""

    partnership_path = "action__plan__partnership"
    list_display = ["action", "position", "on_rating", "given_by_label", "given_at", "replied_at"]
    list_filter = ["position"]
    readonly_fields = [f.name for f in ParentCarerView._meta.fields]


@admin.register(Theme, Workstream, AreaForImprovement, RoadmapMilestone)
class PlanPartAdmin(PartnershipScopedAdmin):
    """A plan's themes, workstreams, areas for improvement and roadmap milestones."""

    partnership_path = "plan__partnership"
