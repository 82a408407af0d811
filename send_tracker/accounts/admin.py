from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.forms import PasswordInput
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from . import access, services
from .admin_scope import PartnershipScopedAdmin, PartnershipScopedHistoryAdmin, SuperuserOnlyMixin, keep_for_superusers
from .models import ApiKey, Organisation, Partnership, SingleSignOnProvider, User

# A permission group grants its permissions to whoever is in it, across the instance.
keep_for_superusers(admin.site, Group)
# Sign-in machinery (django-allauth): the single sign-on providers are an instance administrator's to
# set; a person's second factor is reset by their partnership's administrator on the person's page.
keep_for_superusers(admin.site, EmailAddress, Authenticator, SocialApp, SocialAccount, SocialToken)


@admin.register(Partnership)
class PartnershipAdmin(PartnershipScopedAdmin):
    """A partnership administrator sees and may rename their own partnership; partnerships are
    made and removed by an administrator of the whole instance."""

    partnership_path = "pk"
    list_display = ["name", "area_name", "area_code", "region"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.sees_all_partnerships(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.sees_all_partnerships(request.user) and super().has_delete_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(PartnershipScopedHistoryAdmin):
    partnership_path = "partnership"
    list_display = ["name", "short_name", "kind", "partnership"]
    list_filter = ["partnership", "kind"]


@admin.register(User)
class UserAdmin(PartnershipScopedHistoryAdmin, BaseUserAdmin):
    partnership_path = "organisation__partnership"
    list_display = ["username", "email", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__partnership", "organisation", "is_active", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Partnership", {"fields": ("organisation", "role", "job_title")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Partnership", {"fields": ("organisation", "role")}))
    fieldsets = (*fieldsets, ("Sign-in security", {"fields": ("second_factor",)}))
    readonly_fields = ["second_factor"]

    @admin.display(description="Second factor")
    def second_factor(self, obj: User) -> str:
        if obj.pk is None:
            return "-"
        kinds = sorted(
            str(Authenticator.Type(kind).label)
            for kind in Authenticator.objects.filter(user=obj).values_list("type", flat=True)
        )
        state = ", ".join(kinds) if kinds else "None set up"
        if not kinds:
            return state
        return format_html(
            '{} <a href="{}">Reset second factor</a>', state, reverse("reset_second_factor", args=[obj.pk])
        )

    # A partnership administrator manages their partnership's people, but neither sees nor changes
    # an administrator of the whole instance, and grants no one more than a role: superuser status,
    # groups and permissions reach every partnership.
    WHOLE_INSTANCE_FIELDS = ("is_superuser", "groups", "user_permissions")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        users = super().get_queryset(request)
        return users if access.sees_all_partnerships(request.user) else users.filter(is_superuser=False)

    def may_administer(self, request: HttpRequest, obj: Any) -> bool:
        if not access.sees_all_partnerships(request.user) and obj.is_superuser:
            return False
        return super().may_administer(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not access.sees_all_partnerships(request.user):
            fields += [name for name in self.WHOLE_INSTANCE_FIELDS if name not in fields]
        return fields


@admin.register(ApiKey)
class ApiKeyAdmin(PartnershipScopedHistoryAdmin):
    """Keys are made with `manage.py create_api_key` or on a partnership administrator's API keys page
    (send_tracker/accounts/people_views.py), which show the key once; here they are listed, given an
    expiry, or revoked."""

    partnership_path = "organisation__partnership"
    list_display = ["name", "organisation", "prefix", "can_write", "expires_on", "revoked_at", "last_used_at"]
    list_filter = ["can_write", "organisation__partnership", "organisation"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["organisation", "name", "prefix", "can_write", "expires_on", "revoked_at", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        # The queryset is the admin's, already kept to the user's partnership (admin_scope).
        count = services.revoke_api_keys(queryset, by=request.user)
        self.message_user(request, f"Revoked {count} key(s).")


@admin.register(SingleSignOnProvider)
class SingleSignOnProviderAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """An administrator of the whole instance sets up each organisation's own sign-in service."""

    list_display = ["name", "slug", "issuer", "is_enabled"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisations"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "client_secret":
            kwargs["widget"] = PasswordInput(render_value=True)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
