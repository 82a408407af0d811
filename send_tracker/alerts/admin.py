from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from send_tracker.accounts import access
from send_tracker.accounts.admin_scope import PartnershipScopedAdmin

from .choices import Delivery
from .models import Alert, AlertPreference, Follow


class NeedsAttention(admin.SimpleListFilter):
    """The operator's first question: what has not gone out, and what has failed."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("waiting", "Waiting to be emailed (pending or sending)"),
            ("failed", "Failed"),
            ("retrying", "Failed at least once, still retrying"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Alert]) -> QuerySet[Alert]:
        if self.value() == "waiting":
            return queryset.filter(delivery__in=[Delivery.PENDING, Delivery.SENDING])
        if self.value() == "failed":
            return queryset.filter(delivery=Delivery.FAILED)
        if self.value() == "retrying":
            return queryset.filter(delivery=Delivery.PENDING, attempts__gt=0)
        return queryset


@admin.register(Alert)
class AlertAdmin(PartnershipScopedAdmin):
    """Alerts are written by the sweep and changed only by delivery: the admin reads them, and can
    put failed ones back in the queue once the cause (an SMTP password, a Notify key) is fixed."""

    partnership_path = "recipient__organisation__partnership"

    list_display = [
        "title",
        "recipient",
        "kind",
        "due_date",
        "delivery",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = [NeedsAttention, "delivery", "kind", "due_date"]
    search_fields = ["title", "recipient__username", "recipient__email", "last_error"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [field.name for field in Alert._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="last error")
    def short_error(self, alert: Alert) -> str:
        return alert.last_error[:120]

    @admin.action(description="Email the selected failed or waiting alerts again now")
    # The operator has fixed the cause and chosen to send: the cutoff, which stops stale alerts going
    # out by themselves after an outage, is restarted from now so they are not expired at once.
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Alert]) -> None:
        count = queryset.filter(delivery__in=[Delivery.FAILED, Delivery.PENDING]).update(
            delivery=Delivery.PENDING, attempts=0, next_attempt_at=timezone.now(), created_at=timezone.now()
        )
        self.message_user(request, f"{count} alerts will be emailed on the next delivery run.", messages.SUCCESS)


@admin.register(Follow)
class FollowAdmin(PartnershipScopedAdmin):
    """People follow items on the items' own pages; the admin lists follows and removes them."""

    partnership_path = "user__organisation__partnership"
    list_display = ["user", "subject_type", "subject_id", "created_at"]
    list_filter = ["subject_type"]
    search_fields = ["user__username"]

    # A follow names its subject by a bare id, which no select limits to the partnership: typed in
    # here, it could make someone follow, and be emailed about, another partnership's action.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.sees_all_partnerships(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.sees_all_partnerships(request.user) and super().has_change_permission(request, obj)


@admin.register(AlertPreference)
class AlertPreferenceAdmin(PartnershipScopedAdmin):
    partnership_path = "user__organisation__partnership"
    list_display = ["user", "kind", "mode"]
    list_filter = ["kind", "mode"]
    search_fields = ["user__username"]
