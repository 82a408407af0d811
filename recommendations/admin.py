from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from send_tracker.accounts.admin_scope import (
    PartnershipChoicesMixin,
    PartnershipScopedHistoryAdmin,
    ReferenceDataHistoryAdmin,
)
from send_tracker.history import stamp

from .models import BankHoliday, ImplementationUpdate, Recommendation, Report, Response


@admin.register(BankHoliday)
class BankHolidayAdmin(ReferenceDataHistoryAdmin):
    """Bank holidays proclaimed since the `holidays` package was released; working-day deadlines skip them.
    They count for every partnership, so only an administrator of the whole instance adds them."""

    list_display = ["date", "name"]
    date_hierarchy = "date"


class RecommendationInline(PartnershipChoicesMixin, admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ["list_name", "number", "position", "text", "response_required", "note", "respondent"]
    show_change_link = True


@admin.register(Report)
class ReportAdmin(PartnershipScopedHistoryAdmin):
    """Administrators set reports up here. The response due date is computed, never typed."""

    list_display = ["title", "committee", "received_on", "regime", "response_due_date", "partnership"]
    list_filter = ["partnership", "committee", "regime"]
    search_fields = ["title"]
    readonly_fields = ["response_due_date", "response_due_rule", "created_at", "updated_at"]
    inlines = [RecommendationInline]

    def save_model(self, request: HttpRequest, obj: Report, form: Any, change: bool) -> None:
        # The same recomputation as recommendations.services.save_report, so the stored date the
        # deadline sweep reads is never stale after an edit here.
        obj.refresh_response_due_date()
        stamp(obj, by=request.user, reason="Changed in the admin" if change else "Added in the admin")
        super().save_model(request, obj, form, change)


@admin.register(Recommendation)
class RecommendationAdmin(PartnershipScopedHistoryAdmin):
    """Responses, updates and closing go through the site's forms, where their rules apply."""

    list_display = ["reference", "report", "respondent", "response_required", "closed_at"]
    list_filter = ["report__partnership", "report__committee", "respondent", "response_required"]
    search_fields = ["text", "number"]
    filter_horizontal = ["joint_with", "actions"]
    readonly_fields = ["closed_at", "closed_by", "closed_reason", "created_at", "updated_at"]


@admin.register(Response)
class ResponseAdmin(PartnershipScopedHistoryAdmin):
    partnership_path = "recommendation__report__partnership"

    list_display = ["recommendation", "outcome", "given_on", "is_published"]
    list_filter = ["outcome", "is_published"]
    readonly_fields = ["recorded_by", "recorded_at", "updated_at"]


@admin.register(ImplementationUpdate)
class ImplementationUpdateAdmin(PartnershipScopedHistoryAdmin):
    partnership_path = "recommendation__report__partnership"

    list_display = ["recommendation", "reported_on", "implemented", "created_by_label"]
    list_filter = ["implemented"]
    filter_horizontal = ["actions"]
    readonly_fields = ["created_by", "created_by_label", "created_at"]
