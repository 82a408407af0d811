"""The tenancy rule: every row of a partnership's data is read within the reader's partnership.

Every app's partnership-scoped queryset is a PartnershipScopedQuerySet that names the path from
its rows to their partnership (`"plan__partnership"`); the admin's scope reads the same path
(send_tracker.accounts.admin_scope).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

from . import access

if TYPE_CHECKING:
    from .access import AnyUser
    from .models import Partnership


class PartnershipScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a partnership through `partnership_path`."""

    partnership_path = "partnership"

    def visible_to(self, user: AnyUser) -> Self:
        ids = access.partnership_ids_for(user)
        if ids is None:
            return self
        return self.filter(**{f"{self.partnership_path}__in": ids})

    def for_partnership(self, partnership: Partnership) -> Self:
        return self.filter(**{self.partnership_path: partnership.pk})
