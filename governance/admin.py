from django.contrib import admin
from django.http import HttpRequest

from send_tracker.accounts.admin_scope import (
    PartnershipChoicesMixin,
    PartnershipScopedAdmin,
    PartnershipScopedHistoryAdmin,
)

from .models import ActionArising, AgendaItem, Board, BoardMember, Decision, InspectionEvent, Meeting, Risk, RiskReview


class BoardMemberInline(PartnershipChoicesMixin, admin.TabularInline):
    model = BoardMember
    extra = 0
    fields = ["name", "job_title", "organisation", "represents", "role", "is_active"]


@admin.register(Board)
class BoardAdmin(PartnershipScopedHistoryAdmin):
    list_display = ["name", "partnership", "kind", "independently_chaired", "is_active"]
    list_filter = ["partnership", "kind", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [BoardMemberInline]


@admin.register(BoardMember)
class BoardMemberAdmin(PartnershipScopedHistoryAdmin):
    partnership_path = "board__partnership"
    list_display = ["name", "board", "role", "organisation", "represents", "is_active"]
    list_filter = ["board__partnership", "role", "is_active"]
    search_fields = ["name", "job_title", "represents"]


class AgendaItemInline(PartnershipChoicesMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "title", "purpose", "presenter", "action", "risk", "indicator"]
    raw_id_fields = ["action", "risk", "indicator"]


@admin.register(Meeting)
class MeetingAdmin(PartnershipScopedHistoryAdmin):
    list_display = ["board", "date", "status", "is_demo"]
    list_filter = ["board__partnership", "board", "status", "is_demo"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(PartnershipScopedHistoryAdmin):
    partnership_path = "meeting__board__partnership"
    list_display = ["meeting", "number", "text"]
    list_filter = ["meeting__board"]


@admin.register(ActionArising)
class ActionArisingAdmin(PartnershipScopedHistoryAdmin):
    list_display = ["description", "meeting", "owner_name", "due_date", "done_on"]
    list_filter = ["meeting__board"]
    search_fields = ["description", "owner_name"]


@admin.register(InspectionEvent)
class InspectionEventAdmin(PartnershipScopedHistoryAdmin):
    list_display = ["title", "partnership", "kind", "date", "is_expected"]
    list_filter = ["partnership", "kind", "is_expected"]
    search_fields = ["title", "outcome"]


@admin.register(Risk)
class RiskAdmin(PartnershipScopedHistoryAdmin):
    """Risks are re-scored on the risk's own page (governance.services.rescore_risk), which keeps a
    review row and the trend; the admin is for wording, owner and status."""

    list_display = ["reference", "title", "partnership", "owner", "trend", "next_review_date", "status"]
    list_filter = ["partnership", "status", "trend", "is_demo_scores"]
    search_fields = ["reference", "title"]
    readonly_fields = ["likelihood_before", "impact_before", "likelihood_after", "impact_after", "trend", "version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Risk | None = None) -> list[str]:
        # Scores are typed in when a risk is first added; after that they change by re-scoring.
        return self.readonly_fields if obj is not None else ["trend", "version"]


@admin.register(RiskReview)
class RiskReviewAdmin(PartnershipScopedAdmin):
    partnership_path = "risk__partnership"
    list_display = ["risk", "reviewed_on", "meeting", "trend", "is_demo"]
    list_filter = ["risk__partnership", "trend", "is_demo"]

    def has_change_permission(self, request: HttpRequest, obj: RiskReview | None = None) -> bool:
        # A review is a record of what a board agreed on a day: it is not edited afterwards.
        return False
