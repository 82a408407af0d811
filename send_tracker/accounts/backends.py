"""Django's model backend, reading the signed-in user with their organisation and partnership in
one query, and granting the partnership Administrator role what it needs in the Django admin.

Every page asks which partnership the user belongs to (through their organisation), and its footer
shows that partnership's links; loading both with the user saves queries on every request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from .choices import Role
from .models import User

# The apps that hold a partnership's rows. A partnership's administrator holds every model
# permission of them by their role: admin_scope keeps each to their own partnership and refuses
# what would reach past it (superuser status, groups, permissions, shared reference data, another
# partnership's rows). A permission group would do it only where an administrator of the whole
# instance made one, and never for an administrator a partnership appoints itself.
ADMINISTERED_APPS = ("accounts", "actions", "alerts", "governance", "kpis", "recommendations")


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation__partnership").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        permissions: set[str] = super().get_all_permissions(user_obj, obj)
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return permissions
        if getattr(user_obj, "role", None) != Role.ADMINISTRATOR:
            return permissions
        if not hasattr(user_obj, "_role_perm_cache"):
            granted = Permission.objects.filter(content_type__app_label__in=ADMINISTERED_APPS)
            user_obj._role_perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in granted.values_list("content_type__app_label", "codename")
            }
        return permissions | user_obj._role_perm_cache
