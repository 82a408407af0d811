"""Django's model backend, reading the signed-in user with their organisation and partnership in
one query.

Every page asks which partnership the user belongs to (through their organisation), and its footer
shows that partnership's links; loading both with the user saves queries on every request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation__partnership").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
