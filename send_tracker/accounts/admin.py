from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiKey, Organisation, Partnership, User


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area_name", "area_code", "region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "partnership"]
    list_filter = ["partnership", "kind"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__partnership", "organisation", "is_active", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Partnership", {"fields": ("organisation", "role", "job_title")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Partnership", {"fields": ("organisation", "role")}))


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made with `manage.py create_api_key`, which shows the key once; here they are
    listed, given an expiry, or revoked."""

    list_display = ["name", "organisation", "prefix", "can_write", "expires_on", "revoked_at", "last_used_at"]
    list_filter = ["can_write", "organisation__partnership", "organisation"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["organisation", "name", "prefix", "can_write", "expires_on", "revoked_at", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} key(s).")
